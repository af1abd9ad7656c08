"""The leaderboards over real HTTP: only members who opted in are ranked, under the name they
chose; equal scores share a rank; the reader's own rank shows even off the list; points earned
leave out adjustments and what another period earned; a display name is checked (clear 400s)."""

from __future__ import annotations

from datetime import timedelta

from club import clock
from club.honours import urls
from club.honours.rules import Period, period_bounds
from club.points import award
from club.tables import PointsReason
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

PROBLEM = "application/problem+json"


async def _opt_in(server: LiveServer, member: Caller, name: str) -> None:
    async with server.client(member.token) as http:
        answer = await http.put(urls.MY_HONOURS, json={"opted_in": True, "display_name": name})
    assert answer.status_code == 200, answer.text


async def _board(server: LiveServer, caller: Caller, **params: str | int) -> dict:
    async with server.client(caller.token) as http:
        answer = await http.get(urls.LEADERBOARDS, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_attendance_ranks_only_opted_in_members_with_ties_and_the_readers_own_place(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    first = await door_open_event(server, coordinator, attendance_points=10)
    second = await door_open_event(server, coordinator, attendance_points=10)
    wang, lin, chen, hidden = [await make_member(n) for n in ("Wang Li", "Lin Yu", "Chen Jing", "Zhou Min")]
    for m in (wang, lin, chen, hidden):
        _, token = await rsvp_and_ticket(server, m, first["id"])
        async with server.client(staff.token) as http:
            assert (await scan(http, first["id"], token))["result"] == "admitted"  # type: ignore[arg-type]
    for m in (wang, hidden):
        _, token = await rsvp_and_ticket(server, m, second["id"])
        async with server.client(staff.token) as http:
            await scan(http, second["id"], token)  # type: ignore[arg-type]
            await scan(http, second["id"], token, gate="B")  # type: ignore[arg-type]  # the same admission again
    await _opt_in(server, wang, "  小王 ")
    await _opt_in(server, lin, "Lin")
    await _opt_in(server, chen, "陈")

    board = await _board(server, chen, board="attendance", period="month")
    assert [(x["rank"], x["display_name"], x["score"], x["me"]) for x in board["lines"]] == [
        (1, "小王", 2, False), (2, "Lin", 1, False), (2, "陈", 1, True),
    ]
    assert all(x["member_id"] is None for x in board["lines"])  # members never see who is behind a name
    assert board["ranked"] == 3 and board["me"] == {"score": 1, "rank": 2, "opted_in": True, "listed": True}
    # Zhou did not opt in: not on the board, yet sees where two events would place them.
    mine = await _board(server, hidden, board="attendance", period="year")
    assert "Zhou Min" not in str(mine) and len(mine["lines"]) == 3
    assert mine["me"] == {"score": 2, "rank": 1, "opted_in": False, "listed": False}
    # A short list: the reader's rank is still there.
    short = await _board(server, chen, board="attendance", period="season", limit=1)
    assert [x["display_name"] for x in short["lines"]] == ["小王"] and short["me"]["rank"] == 2 and not short["me"]["listed"]
    # Coordinators see the member behind each line, and have no standing of their own.
    console = await _board(server, coordinator, board="attendance")
    assert [x["member_id"] for x in console["lines"]] == [wang.member_id, lin.member_id, chen.member_id]
    assert console["me"] is None and console["period"] == "month"
    # Leaving the boards takes the name off at once.
    async with server.client(lin.token) as http:
        left = await http.put(urls.MY_HONOURS, json={"opted_in": False})
        assert left.json() == {"opted_in": False, "display_name": "Lin"}
    after = await _board(server, wang, board="attendance")
    assert [x["display_name"] for x in after["lines"]] == ["小王", "陈"]


async def test_points_earned_leave_out_adjustments_and_other_periods(server: LiveServer) -> None:
    zone = server.settings.zone
    now = clock.now()
    month_start, _ = period_bounds(Period.month, now, zone)
    season_start, _ = period_bounds(Period.season, now, zone)
    year_start, _ = period_bounds(Period.year, now, zone)
    a, b = await make_member("Ana"), await make_member("Bo")
    await award(a.member_id, 300, PointsReason.visit, "v1")  # type: ignore[arg-type]
    await award(a.member_id, 5_000, PointsReason.adjustment, "adj-1", note="correction")  # type: ignore[arg-type]
    await award(b.member_id, 200, PointsReason.spend, "r1")  # type: ignore[arg-type]
    await award(b.member_id, 50, PointsReason.birthday, "2026")  # type: ignore[arg-type]
    with clock.frozen_at(month_start - timedelta(seconds=1)):  # the last second of last month
        await award(b.member_id, 1_000, PointsReason.referral, "ref-1")  # type: ignore[arg-type]
    with clock.frozen_at(year_start - timedelta(seconds=1)):  # last year
        await award(a.member_id, 9_000, PointsReason.attendance, "old")  # type: ignore[arg-type]
    await _opt_in(server, a, "Ana")
    await _opt_in(server, b, "Bo")
    month = await _board(server, a, board="points", period="month")
    assert [(x["rank"], x["display_name"], x["score"]) for x in month["lines"]] == [(1, "Ana", 300), (2, "Bo", 250)]
    season = await _board(server, a, board="points", period="season")
    bo_season = 250 + (1_000 if month_start - timedelta(seconds=1) >= season_start else 0)
    assert {x["display_name"]: x["score"] for x in season["lines"]} == {"Ana": 300, "Bo": bo_season}
    year = await _board(server, a, board="points", period="year")
    bo_year = 250 + (1_000 if month_start - timedelta(seconds=1) >= year_start else 0)
    assert {x["display_name"]: x["score"] for x in year["lines"]} == {"Ana": 300, "Bo": bo_year}
    assert year["me"]["score"] == 300


async def test_a_display_name_is_checked_and_the_wrong_callers_are_refused(
    server: LiveServer, member: Caller, staff: Caller
) -> None:
    async with server.client(member.token) as http:
        assert (await http.get(urls.MY_HONOURS)).json() == {"opted_in": False, "display_name": ""}  # off by default
        answers = [
            await http.put(urls.MY_HONOURS, json=body) for body in (
                {"opted_in": True}, {"opted_in": True, "display_name": "   "}, {"opted_in": True, "display_name": "x" * 25},
                {"opted_in": True, "display_name": "a\u200bb"}, {"opted_in": True, "display_name": "ok", "rank": 1},
                {"opted_in": "yes", "display_name": "ok"},
            )
        ]
        bad_board = await http.get(urls.LEADERBOARDS, params={"board": "spend"})
        bad_period = await http.get(urls.LEADERBOARDS, params={"board": "points", "period": "week"})
        no_board = await http.get(urls.LEADERBOARDS)
        unchanged = (await http.get(urls.MY_HONOURS)).json()
    for answer in answers:
        assert answer.status_code == 400 and answer.headers["content-type"].startswith(PROBLEM), answer.text
    assert "display name" in answers[0].json()["detail"]
    assert all(a.status_code == 400 for a in (bad_board, bad_period, no_board))
    assert unchanged == {"opted_in": False, "display_name": ""}
    async with server.client(staff.token) as http:
        assert (await http.get(urls.LEADERBOARDS, params={"board": "points"})).status_code == 403
        assert (await http.put(urls.MY_HONOURS, json={"opted_in": False})).status_code == 403
