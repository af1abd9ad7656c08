"""The console's rewards for a coordinator reading zh-Hans over real HTTP: a reward created and
edited through the form (recorded), withdrawn by unticking "open to members"; the redemptions desk
finds a redemption by the number a member shows, hands it over once, and cancels another with the
points and the piece back; a refused form says so beside its field and changes nothing."""

from __future__ import annotations

from club.ledger import balance_of
from club.rewards import urls
from club.rewards.tables import Redemption, Reward
from club.tables import ConsoleAction
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.pages import submit
from tests.rewards.helpers import give_points, make_reward
from tests.web.sign_in_steps import ZH, text_of

FORM = {
    "kind": "gift", "title_zh": "真丝方巾", "title_en": "Silk scarf", "description_zh": "经典图案\n限量", "description_en": "",
    "price": "1,200", "stock": "20", "min_tier": "", "per_member_limit": "1", "available_from": "2026-01-01T10:00",
    "available_until": "", "active": "1",
}


async def test_a_coordinator_creates_edits_and_withdraws_a_reward(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        made = await submit(console, urls.CONSOLE_NEW_REWARD, urls.CONSOLE_NEW_REWARD, FORM)
        assert made.status_code == 303, made.text
        reward = await Reward.select().first()
        assert reward is not None
        assert (reward["price"], reward["stock"], reward["per_member_limit"], reward["description_zh"]) == (1200, 20, 1, "经典图案\n限量")
        # 10:00 on the club's clock (Paris, winter): 09:00 UTC.
        assert reward["available_from"].isoformat().startswith("2026-01-01T09:00")
        listed = text_of((await console.get(urls.CONSOLE_REWARDS)).text)
        assert "真丝方巾" in listed and "1,200" in listed and "礼品" in listed
        page = urls.link(urls.CONSOLE_REWARD, reward_id=reward["id"])
        refused = await submit(console, page, page, {**FORM, "price": "免费"})
        assert refused.status_code == 400 and "请填写 1 至 100,000,000 之间的整数积分。" in text_of(refused.text)
        saved = await submit(console, page, page, {**FORM, "price": "900", "stock": ""})
        assert saved.headers["location"] == f"{page}?done=saved"
        withdrawn = await submit(console, page, page, {**{k: v for k, v in FORM.items() if k != "active"}, "price": "900", "stock": ""})
        assert withdrawn.status_code == 303
    after = await Reward.select(Reward.price, Reward.stock, Reward.active).first()
    assert after == {"price": 900, "stock": None, "active": False}
    records = [(r["action"], r["detail"]) for r in await ConsoleAction.select(ConsoleAction.action, ConsoleAction.detail).order_by(ConsoleAction.id)]
    assert [a for a, _ in records] == ["reward_created", "reward_updated", "reward_updated"]
    assert "所需积分" in records[1][1] and "对会员开放" in records[2][1]


async def test_the_desk_hands_over_once_and_a_cancel_gives_points_and_stock_back(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    reward = await make_reward(server, coordinator, price=400, stock=5)
    await give_points(member.member_id, 1_000)  # type: ignore[arg-type]
    path = urls.link(urls.REWARD_REDEEM, reward_id=reward["id"])
    async with server.client(member.token) as http:
        one = (await http.post(path)).json()
        two = (await http.post(path)).json()
    assert await balance_of(member.member_id) == 200  # type: ignore[arg-type]
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        desk = await console.get(urls.CONSOLE_REDEMPTIONS, params={"number": f"{one['id']:06d}"})
        shown = text_of(desk.text)
        assert f"第 {one['id']:06d} 号" in shown and f"第 {two['id']:06d} 号" not in shown and "待领取" in shown
        hand = urls.link(urls.CONSOLE_HAND_OVER, redemption_id=one["id"])
        handed = await submit(console, urls.CONSOLE_REDEMPTIONS, hand, {"back": urls.CONSOLE_REDEMPTIONS})
        assert handed.status_code == 303 and handed.headers["location"] == f"{urls.CONSOLE_REDEMPTIONS}?done=handed"
        again = await submit(console, urls.CONSOLE_REDEMPTIONS, hand, {})
        assert again.status_code == 409 and "此兑换已交付。" in text_of(again.text)
        page = urls.link(urls.CONSOLE_REWARD, reward_id=reward["id"])
        cancel = urls.link(urls.CONSOLE_CANCEL, redemption_id=two["id"])
        cancelled = await submit(console, page, cancel, {"reason": "尺寸不合", "back": page})
        assert cancelled.headers["location"] == f"{page}?done=cancelled"
        twice = await submit(console, page, cancel, {"reason": "again"})
        assert twice.status_code == 409
        after = text_of((await console.get(page)).text)
        assert "已领取" in after and "已取消，积分已退回" in after and "尺寸不合" in after
        # A form's way back never leads off the console's rewards pages.
        elsewhere = await submit(console, page, urls.link(urls.CONSOLE_HAND_OVER, redemption_id=two["id"]), {"back": "https://evil.test/"})
        assert elsewhere.status_code == 409
    assert await balance_of(member.member_id) == 600  # type: ignore[arg-type]
    assert (await Reward.select(Reward.stock).where(Reward.id == reward["id"]).first()) == {"stock": 4}
    statuses = {r["id"]: r["status"] for r in await Redemption.select(Redemption.id, Redemption.status)}
    assert statuses == {one["id"]: "handed_over", two["id"]: "cancelled"}
    actions = [r["action"] for r in await ConsoleAction.select(ConsoleAction.action).order_by(ConsoleAction.id)]
    assert actions == ["redemption_handed_over", "redemption_cancelled"]
