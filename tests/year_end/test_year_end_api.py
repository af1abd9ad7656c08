"""The year-end rewards through the API: the table, its refusals, the preview, the run (once per
member, by the balance at the year's end), the member's own rewards, and the message telling
them, once, in their language."""

from __future__ import annotations

import pytest

from club import clock
from club.settings import Settings
from club.tables import Member, MemberStatus
from club.year_end import urls
from club.year_end.tables import YearEndAward
from events.reminders.tables import ReminderMessage
from events.year_end_messages import message_key, tell_year_end_awards
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.rewards.helpers import make_reward
from tests.year_end.helpers import AFTER, DECEMBER, JANUARY, give_points_at, put_rules, standard_table

PREVIEW = urls.link(urls.PREVIEW, year=2026)
RUN = urls.link(urls.RUN, year=2026)


async def _club() -> dict[str, Caller]:
    members = {
        "王芳": await make_member("王芳", language="zh-Hans"),
        "陳美玲": await make_member("陳美玲", language="zh-Hant"),
        "Mei Huang": await make_member("Mei Huang", language="en"),
        "small": await make_member("Small"),
        "none": await make_member("Nobody"),
        "suspended": await make_member("Suspended"),
    }
    await give_points_at(members["王芳"].member_id, 45_000, DECEMBER)  # type: ignore[arg-type]
    await give_points_at(members["陳美玲"].member_id, 30_000, DECEMBER)  # type: ignore[arg-type]
    await give_points_at(members["Mei Huang"].member_id, 29_999, DECEMBER)  # type: ignore[arg-type]
    await give_points_at(members["small"].member_id, 49, DECEMBER)  # type: ignore[arg-type]  # 2% of 49: nothing
    await give_points_at(members["suspended"].member_id, 50_000, DECEMBER)  # type: ignore[arg-type]
    await Member.update({Member.status: MemberStatus.suspended.value}).where(Member.id == members["suspended"].member_id)
    return members


async def test_the_preview_then_the_run_give_each_member_the_row_of_their_balance_once(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    members = await _club()
    await put_rules(server, coordinator, standard_table())
    # In January Mei Huang earns 5,000 more: her 2026 is still the 29,999 of 31 December.
    await give_points_at(members["Mei Huang"].member_id, 5_000, JANUARY)  # type: ignore[arg-type]
    with clock.frozen_at(JANUARY):
        async with server.client(coordinator.token) as http:
            seen = (await http.get(PREVIEW)).json()
            first = (await http.post(RUN)).json()
            again = (await http.post(RUN)).json()
            after = (await http.get(PREVIEW)).json()
    assert seen["can_run"] and seen["members"] == 3 and seen["already_awarded"] == 0
    high, low = seen["rows"]
    assert (high["rule"]["min_balance"], high["members"], high["total_value"]) == (30_000, 2, 1_350 + 900)
    assert (low["rule"]["min_balance"], low["members"], low["total_value"]) == (1, 1, 599)
    assert [m["balance"] for m in seen["first_members"]] == [45_000, 30_000, 29_999]
    assert first == {"year": 2026, "awarded": 3, "already_awarded": 0}
    assert again == {"year": 2026, "awarded": 0, "already_awarded": 3}
    assert after["already_awarded"] == 3 and all(m["awarded"] for m in after["first_members"])
    awards = {r["member"]: r for r in await YearEndAward.select()}
    assert len(awards) == 3
    mei = awards[members["Mei Huang"].member_id]
    assert (mei["balance"], mei["value"], mei["currency"], mei["percent_bp"]) == (29_999, 599, "CNY", 200)
    assert len({a["voucher_code"] for a in awards.values()}) == 3

    async with server.client(members["王芳"].token) as http:
        mine = (await http.get(urls.MY_YEAR_END)).json()
    assert [(a["year"], a["value"], a["balance"]) for a in mine] == [(2026, 1_350, 45_000)]
    assert mine[0]["voucher_code"] == awards[members["王芳"].member_id]["voucher_code"]
    async with server.client(members["none"].token) as http:
        assert (await http.get(urls.MY_YEAR_END)).json() == []

    # The messages: once each, in the member's language, under the award's key.
    assert await tell_year_end_awards(settings, JANUARY) == 3
    assert await tell_year_end_awards(settings, JANUARY) == 0
    kept = {r["member"]: r for r in await ReminderMessage.select()}
    assert len(kept) == 3
    hans = kept[members["王芳"].member_id]
    assert hans["delivery_key"] == message_key(awards[members["王芳"].member_id]["id"])
    assert "王芳" in hans["body"] and "1,350" in hans["body"] and hans["body"].count(mine[0]["voucher_code"]) == 1
    assert hans["subject"] != "Your year-end reward for 2026"  # translated
    en = kept[members["Mei Huang"].member_id]
    assert en["subject"] == "Your year-end reward for 2026"
    assert "a voucher worth 599 CNY" in en["body"] and "29,999 points" in en["body"]


async def test_a_reward_row_gives_the_reward_with_a_code(server: LiveServer, coordinator: Caller) -> None:
    members = await _club()
    scarf = await make_reward(server, coordinator, kind="gift", price=9_000, title_zh="真丝方巾", title_en="Silk scarf")
    await put_rules(server, coordinator, [*standard_table(), {"min_balance": 40_000, "kind": "reward", "reward_id": scarf["id"]}])
    with clock.frozen_at(JANUARY):
        async with server.client(coordinator.token) as http:
            seen = (await http.get(PREVIEW)).json()
            assert (await http.post(RUN)).json()["awarded"] == 3
    top = seen["rows"][0]
    assert (top["rule"]["reward_title"], top["members"], top["pieces"], top["total_value"]) == ("Silk scarf", 1, 1, 0)
    async with server.client(members["王芳"].token) as http:
        mine = (await http.get(urls.MY_YEAR_END, headers={"Accept-Language": "zh-Hans"})).json()
    assert (mine[0]["kind"], mine[0]["reward_title"], mine[0]["value"]) == ("reward", "真丝方巾", None)
    assert len(mine[0]["voucher_code"]) == 19


@pytest.mark.parametrize(("rows", "status", "kind"), [
    ([{"min_balance": 1, "kind": "percent"}], 400, "year-end-rule-invalid"),
    ([{"min_balance": 1, "kind": "reward"}], 400, "year-end-rule-invalid"),
    ([{"min_balance": 1, "kind": "percent", "percent_bp": 300, "reward_id": 1}], 400, "year-end-rule-invalid"),
    ([{"min_balance": 0, "kind": "percent", "percent_bp": 300}], 400, "validation-error"),
    ([{"min_balance": 1, "kind": "percent", "percent_bp": 5_001}], 400, "validation-error"),
    ([{"min_balance": 1, "kind": "percent", "percent_bp": 300, "currency": "yuan"}], 400, "validation-error"),
    ([{"min_balance": 1, "kind": "gift"}], 400, "validation-error"),
    ([{"min_balance": 5, "kind": "percent", "percent_bp": 300}, {"min_balance": 5, "kind": "percent", "percent_bp": 200}],
     409, "year-end-rule-duplicate"),
    ([{"min_balance": 1, "kind": "reward", "reward_id": 999_999}], 404, "not-found"),
])
async def test_a_wrong_table_is_refused_whole_with_a_clear_problem(
    server: LiveServer, coordinator: Caller, rows: list[dict[str, object]], status: int, kind: str
) -> None:
    await put_rules(server, coordinator, standard_table())
    async with server.client(coordinator.token) as http:
        answer = await http.put(urls.RULES, json={"rows": rows})
        kept = (await http.get(urls.RULES)).json()
    assert answer.status_code == status, answer.text
    assert answer.json()["type"].endswith(kind), answer.json()
    assert [r["min_balance"] for r in kept] == [1, 30_000]  # unchanged


async def test_a_run_is_refused_before_the_years_end_and_with_an_empty_table(server: LiveServer, coordinator: Caller) -> None:
    await _club()
    async with server.client(coordinator.token) as http:
        with clock.frozen_at(JANUARY):
            empty = await http.post(RUN)
            preview = (await http.get(PREVIEW)).json()
        await put_rules(server, coordinator, standard_table())
        with clock.frozen_at(DECEMBER):
            early = await http.post(RUN)
        with clock.frozen_at(AFTER):
            on_time = await http.post(RUN)
        bad_year = await http.get(urls.link(urls.PREVIEW, year=1999))
    assert (empty.status_code, empty.json()["type"]) == (409, "/problems/year-end-no-rules")
    assert preview["can_run"] is False and preview["refusal"] == "no_rules" and preview["rows"] == []
    assert (early.status_code, early.json()["type"]) == (409, "/problems/year-not-over")
    assert on_time.status_code == 200 and on_time.json()["awarded"] == 3
    assert bad_year.status_code == 400


async def test_editing_the_table_keeps_a_rows_id_and_the_awards_copy(server: LiveServer, coordinator: Caller) -> None:
    await _club()
    first = await put_rules(server, coordinator, standard_table())
    with clock.frozen_at(JANUARY):
        async with server.client(coordinator.token) as http:
            await http.post(RUN)
    changed = await put_rules(server, coordinator, [{"min_balance": 30_000, "kind": "percent", "percent_bp": 500}])
    assert changed[0]["id"] == next(r["id"] for r in first if r["min_balance"] == 30_000)
    values = sorted(r["value"] for r in await YearEndAward.select(YearEndAward.value))
    assert values == [599, 900, 1_350]  # what the rows said when they were given
