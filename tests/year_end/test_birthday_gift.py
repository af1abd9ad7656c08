"""The birthday gift: the reward a coordinator chooses comes free with the birthday points, once
per member per birthday however often the hourly job runs, as a redemption of price 0 with its
code or slip, and the greeting names it; out of stock or no gift chosen, the points still go."""

from __future__ import annotations

from datetime import UTC, date, datetime

from club.jobs import award_birthday_points
from club.ledger import balance_of
from club.rewards import urls as reward_urls
from club.rewards.tables import Redemption, Reward
from club.settings import Settings
from club.year_end import urls
from events.birthday_greetings import greet_birthdays
from events.reminders.tables import ReminderMessage
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.rewards.helpers import make_reward

NOW = datetime(2027, 4, 12, 17, 30, tzinfo=UTC)  # already 13 April in Shanghai


async def _choose(server: LiveServer, coordinator: Caller, reward_id: int | None) -> dict[str, object]:
    async with server.client(coordinator.token) as http:
        answer = await http.put(urls.BIRTHDAY_GIFT, json={"reward_id": reward_id})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_the_gift_comes_once_with_the_points_and_the_greeting_names_it(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    voucher = await make_reward(server, coordinator, kind="voucher", price=2_000, stock=5,
                                title_zh="下午茶礼券", title_en="Afternoon tea voucher")
    chosen = await _choose(server, coordinator, voucher["id"])
    assert chosen["reward_id"] == voucher["id"] and chosen["reward_title"] == "Afternoon tea voucher"
    wang = await make_member("王芳", birthday=date(1988, 4, 13), time_zone="Asia/Shanghai", language="zh-Hans")
    assert await award_birthday_points({}, NOW) == 1
    assert await award_birthday_points({}, NOW) == 0  # the next hour: nothing more
    gifts = await Redemption.select().where(Redemption.member == wang.member_id)
    assert len(gifts) == 1 and gifts[0]["points"] == 0 and gifts[0]["voucher_code"]
    assert await balance_of(wang.member_id) == 100  # type: ignore[arg-type]  # the points, nothing spent
    stock = await Reward.select(Reward.stock).where(Reward.id == voucher["id"]).first()
    assert stock is not None and stock["stock"] == 4
    async with server.client(wang.token) as http:
        mine = (await http.get(reward_urls.MY_REDEMPTIONS)).json()
    assert [(r["reward_id"], r["points"], r["voucher_code"]) for r in mine] == [(voucher["id"], 0, gifts[0]["voucher_code"])]
    assert await greet_birthdays(settings, NOW) == 1
    body = (await ReminderMessage.select(ReminderMessage.body).first())["body"]  # type: ignore[index]
    assert body.startswith("尊敬的王芳，值此生日之际")
    assert body.endswith(f"我们为您备上一份礼品：下午茶礼券，礼券码 {gifts[0]['voucher_code']}。")


async def test_a_gift_to_collect_names_its_slip_and_none_left_gives_only_the_points(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    scarf = await make_reward(server, coordinator, kind="gift", price=9_000, stock=1, title_en="Silk scarf", title_zh="")
    await _choose(server, coordinator, scarf["id"])
    first = await make_member("Mei Huang", birthday=date(1992, 4, 13), time_zone="Asia/Shanghai", language="en")
    second = await make_member("Lin Yu", birthday=date(1990, 4, 13), time_zone="Asia/Shanghai", language="en")
    assert await award_birthday_points({}, NOW) == 2
    given = await Redemption.select(Redemption.id, Redemption.member)
    assert len(given) == 1  # one piece: one of the two has it
    assert {await balance_of(m.member_id) for m in (first, second)} == {100}  # type: ignore[arg-type]
    assert await greet_birthdays(settings, NOW) == 2
    bodies = {r["member"]: r["body"] for r in await ReminderMessage.select(ReminderMessage.member, ReminderMessage.body)}
    lucky = given[0]["member"]
    assert bodies[lucky].endswith(f" Our gift to you: Silk scarf, to collect at the boutique with slip No. {given[0]['id']:06d}.")
    other = next(b for m, b in bodies.items() if m != lucky)
    assert "gift" not in other and other.endswith("added to your balance.")


async def test_no_gift_and_an_unknown_reward(server: LiveServer, coordinator: Caller) -> None:
    assert (await _choose(server, coordinator, None))["reward_id"] is None
    await make_member("Mei Huang", birthday=date(1992, 4, 13), time_zone="Asia/Shanghai")
    assert await award_birthday_points({}, NOW) == 1
    assert await Redemption.count() == 0
    async with server.client(coordinator.token) as http:
        unknown = await http.put(urls.BIRTHDAY_GIFT, json={"reward_id": 999_999})
        wrong = await http.put(urls.BIRTHDAY_GIFT, json={"reward_id": "scarf"})
    assert (unknown.status_code, unknown.json()["type"]) == (404, "/problems/not-found")
    assert wrong.status_code == 400
