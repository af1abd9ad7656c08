"""The tier ladder in the console (club.web.console_tiers), for a coordinator reading zh-Hans over
real HTTP: each tier with its threshold, cap and holders; who waits for a place in a capped tier,
the longest waiting first; a tier's edit through club.tiers.update_tier, recorded, and refused next
to its field when the API would refuse it (a cap below the members holding the tier, a threshold
that would not climb), with nothing changed.
"""

from __future__ import annotations

import re
from datetime import timedelta

from club import clock
from club.audit import ActionKind
from club.points import adjust
from club.tables import ConsoleAction, Tier
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.pages import submit
from tests.web.sign_in_steps import ZH, text_of

TIERS = "/console/tiers"


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="t-{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


async def _tier_ids() -> dict[str, int]:
    return {r["name"]: r["id"] for r in await Tier.select(Tier.id, Tier.name)}


async def test_the_tiers_page_shows_the_queue_for_a_capped_tier(server: LiveServer, coordinator: Caller) -> None:
    tiers = await _tier_ids()
    diamond = f"{TIERS}/{tiers['Diamond']}"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        # Diamond takes one member from now on.
        saved = await submit(console, diamond, diamond, {"name": "Diamond", "points_threshold": "15,000", "member_cap": "1"})
        assert saved.status_code == 303
        assert saved.headers["location"] == f"{TIERS}?done=saved"
        holder, first, second = [await make_member(n, language="zh-Hans") for n in ("王芳", "李静", "陈雅")]
        with clock.frozen_at(clock.now()):
            for member in (holder, first, second):
                assert member.member_id is not None
                await adjust(member.member_id, 16_000, "年度消费积分", coordinator.user_id)
                clock.advance(timedelta(minutes=1))  # each waits from a minute of its own
        answer = await console.get(TIERS)
    assert answer.status_code == 200
    assert 'lang="zh-Hans"' in answer.text
    row = text_of("<main>" + answer.text[answer.text.find(f'id="tier-{tiers["Diamond"]}"'):].split("</tr>")[0] + "</main>")
    assert "钻石卡" in row and "15,000" in row and "已满" in row
    queue = answer.text[answer.text.find(f'id="queue-{tiers["Diamond"]}"'):]
    queue = text_of("<main>" + queue[:queue.find("</section>")] + "</main>")
    assert "钻石卡候补名单" in queue and "2 位会员候补" in queue
    # The longest waiting first, each with the tier they hold meanwhile.
    assert queue.index("李静") < queue.index("陈雅")
    assert "候补第 1 位 李静 白金卡 16,000" in queue and "候补第 2 位 陈雅 白金卡 16,000" in queue
    assert "王芳" not in queue
    # The edit is in the ladder's record.
    changes = text_of("<main>" + answer.text[answer.text.find('id="changes-heading"'):] + "</main>")
    assert "钻石卡：名额上限：25 → 1" in changes and "Test coordinator" in changes


async def test_a_cap_below_its_holders_is_refused_next_to_the_cap(server: LiveServer, coordinator: Caller) -> None:
    tiers = await _tier_ids()
    for name in ("王芳", "李静"):
        member = await make_member(name)
        assert member.member_id is not None
        await adjust(member.member_id, 1200, "迁移", coordinator.user_id)  # Gold
    gold = f"{TIERS}/{tiers['Gold']}"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        form = await console.get(gold)
        assert form.status_code == 200 and "2 位会员持有此等级。" in text_of(form.text)
        refused = await submit(console, gold, gold, {"name": "Gold", "points_threshold": "1000", "member_cap": "1"})
        assert refused.status_code == 409
        assert field_error(refused.text, "member_cap") == "目前有 2 位会员持有金卡，名额上限不能低于此数。"
        assert 'name="member_cap" value="1"' in refused.text
        not_climbing = await submit(console, gold, gold, {"name": "Gold", "points_threshold": "6000", "member_cap": ""})
        assert not_climbing.status_code == 400
        assert field_error(not_climbing.text, "points_threshold").startswith("此更改会使等级设置无效")
        not_a_number = await submit(console, gold, gold, {"name": "", "points_threshold": "一千", "member_cap": "-3"})
        assert not_a_number.status_code == 400
        assert field_error(not_a_number.text, "name") == "请填写等级名称（不超过 60 个字符）。"
        assert field_error(not_a_number.text, "points_threshold") == "请填写 0 至 100,000,000 之间的整数积分。"
        assert field_error(not_a_number.text, "member_cap") == "请填写整数名额；留空表示不限名额。"
        unchanged = await submit(console, gold, gold, {"name": "Gold", "points_threshold": "1,000", "member_cap": ""})
        assert unchanged.headers["location"] == f"{TIERS}?done=unchanged"
    row = await Tier.select(Tier.points_threshold, Tier.member_cap).where(Tier.id == tiers["Gold"]).first()
    assert row == {"points_threshold": 1000, "member_cap": None}
    assert await ConsoleAction.count().where(ConsoleAction.action == ActionKind.tier_updated.value) == 0


async def test_a_tier_asks_a_yearly_spend_typed_in_the_clubs_currency(server: LiveServer, coordinator: Caller) -> None:
    tiers = await _tier_ids()
    diamond = f"{TIERS}/{tiers['Diamond']}"
    fields = {"name": "Diamond", "points_threshold": "15,000", "member_cap": "25"}
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        form = await console.get(diamond)
        assert "年度消费要求" in text_of(form.text) and "以 CNY 计" in text_of(form.text)
        assert 'name="spend_threshold" value=""' in form.text
        # What the API refuses is refused next to the field, with nothing saved.
        for bad in ("五万", "-1", "50,000.001", "1e20"):
            refused = await submit(console, diamond, diamond, {**fields, "spend_threshold": bad})
            assert refused.status_code == 400, bad
            assert field_error(refused.text, "spend_threshold") == "请填写不小于 0 的金额，例如 50,000；留空表示不要求消费。"
            assert f'name="spend_threshold" value="{bad}"' in refused.text
        assert (await Tier.select(Tier.spend_threshold).where(Tier.id == tiers["Diamond"]).first()) == {"spend_threshold": None}
        saved = await submit(console, diamond, diamond, {**fields, "spend_threshold": "¥50,000"})
        assert saved.headers["location"] == f"{TIERS}?done=saved"
        row = await Tier.select(Tier.spend_threshold, Tier.spend_currency).where(Tier.id == tiers["Diamond"]).first()
        assert row == {"spend_threshold": 5_000_000, "spend_currency": "CNY"}  # minor units, as PATCH /api/tiers takes them
        assert 'name="spend_threshold" value="50,000"' in (await console.get(diamond)).text
        ladder = await console.get(TIERS)
        line = text_of("<main>" + ladder.text[ladder.text.find(f'id="tier-{tiers["Diamond"]}"'):].split("</tr>")[0] + "</main>")
        assert "¥50,000" in line
        gold = text_of("<main>" + ladder.text[ladder.text.find(f'id="tier-{tiers["Gold"]}"'):].split("</tr>")[0] + "</main>")
        assert "不要求消费" in gold
        assert "钻石卡：年度消费要求：不要求消费 → ¥50,000" in text_of(ladder.text)
        # Emptied: the tier asks no spend again.
        cleared = await submit(console, diamond, diamond, {**fields, "spend_threshold": ""})
        assert cleared.headers["location"] == f"{TIERS}?done=saved"
    row = await Tier.select(Tier.spend_threshold, Tier.spend_currency).where(Tier.id == tiers["Diamond"]).first()
    assert row == {"spend_threshold": None, "spend_currency": ""}
