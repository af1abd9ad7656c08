"""The measures' API over real HTTP: coordinators read a month's kinds and events, the segments,
an event's and a member's figures; a bad period is a 400 problem; members and door staff are
refused every route; every route is in the OpenAPI document."""

from __future__ import annotations

import pytest

from checkin.measures import urls
from club import clock
from club.tables import Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.measures.builders import at
from tests.measures.scene import build_december

ROUTES = [urls.KINDS, urls.EVENTS, urls.SEGMENTS, urls.EVENT.replace("{event_id:int}", "1"),
          urls.MEMBER.replace("{member_id:int}", "1")]


def _path(template: str, **ids: int) -> str:
    for name, value in ids.items():
        template = template.replace(f"{{{name}:int}}", str(value))
    return template


async def test_a_coordinator_reads_a_months_measures(server: LiveServer, coordinator: Caller) -> None:
    d = await build_december()
    with clock.frozen_at(at(20, 12)):
        async with server.client(coordinator.token) as http:
            kinds = (await http.get(urls.KINDS, params={"month": "2026-12"})).json()
            events = (await http.get(urls.EVENTS, params={"from": "2026-12-01", "to": "2026-12-31"})).json()
            this_month = (await http.get(urls.EVENTS)).json()
            one = (await http.get(_path(urls.EVENT, event_id=d.salon_a))).json()
            m1 = (await http.get(_path(urls.MEMBER, member_id=d.m[1]))).json()
            segments = (await http.get(urls.SEGMENTS)).json()
    # The suite's club is on Paris's clock.
    assert kinds["period"] == {"first": "2026-12-01", "last": "2026-12-31", "time_zone": "Europe/Paris"}
    assert kinds["late_cancellation_hours"] == 48
    salon = next(k for k in kinds["kinds"] if k["kind"] == "salon")
    assert (salon["events"], salon["cancelled_events"], salon["rsvps"], salon["fill_rate"]) == (2, 1, 12, 0.3)
    assert [e["title"] for e in events["events"]] == ["Trip D", "Salon A", "Salon C", "Salon B"]
    assert this_month == events
    assert (one["rsvps"], one["promoted"], one["mean_promotion_wait_s"], one["late_cancellations"], one["fill_rate"]) == (
        12, 1, 10800, 2, 0.9)
    assert (m1["attended"], m1["segment"], m1["last_attended_at"]) == (3, "active", "2026-12-10T18:05:00Z")
    assert [p["reason"] for p in m1["points"]] == ["referral", "attendance", "adjustment"]
    assert {t["tier_name"]: t["members"] for t in segments["tiers"]} == {"Gold": 1, "Silver": 11}


@pytest.mark.parametrize("params", [
    {"month": "2026-13"}, {"month": "12-2026"}, {"from": "2026-12-01"}, {"from": "2026-12-31", "to": "2026-12-01"},
    {"from": "2025-01-01", "to": "2026-12-31"}, {"month": "2026-12", "from": "2026-12-01", "to": "2026-12-02"},
    {"from": "1999-01-01", "to": "1999-01-31"}, {"month": "x" * 40},
])
async def test_a_bad_period_is_a_problem(server: LiveServer, coordinator: Caller, params: dict[str, str]) -> None:
    async with server.client(coordinator.token) as http:
        for route in (urls.KINDS, urls.EVENTS):
            answer = await http.get(route, params=params, headers={"Accept-Language": "zh-CN"})
            assert answer.status_code == 400, (params, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.headers["content-language"] == "zh-Hans" and answer.json()["status"] == 400


async def test_an_unknown_or_draft_event_and_an_unknown_member_are_not_found(server: LiveServer, coordinator: Caller) -> None:
    d = await build_december()
    async with server.client(coordinator.token) as http:
        for path in (_path(urls.EVENT, event_id=d.draft_e), _path(urls.EVENT, event_id=999_999),
                     _path(urls.MEMBER, member_id=999_999)):
            answer = await http.get(path)
            assert answer.status_code == 404 and answer.json()["type"].endswith("not-found"), path


async def test_members_and_door_staff_are_refused_every_measure(server: LiveServer) -> None:
    d = await build_december()
    member = await make_member("Curious")
    staff = await make_user(Role.staff)
    async with server.client() as anonymous:
        for path in ROUTES:
            assert (await anonymous.get(path)).status_code == 401, path
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            # Their own record too: the measures are the coordinators'.
            own = [_path(urls.MEMBER, member_id=caller.member_id)] if caller.member_id else []
            for path in [*ROUTES, _path(urls.EVENT, event_id=d.salon_a), *own]:
                answer = await http.get(path)
                assert answer.status_code == 403, (caller, path, answer.text)
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert "Salon A" not in answer.text


async def test_the_measures_are_documented(server: LiveServer) -> None:
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    operations = {p: schema["paths"][p]["get"] for p in (urls.KINDS, urls.EVENTS, urls.SEGMENTS,
                                                         "/api/events/{event_id}/measures", "/api/members/{member_id}/measures")}
    assert {o["operationId"] for o in operations.values()} == {
        "measuresByKind", "measuresByEvent", "measuresSegments", "eventMeasures", "memberMeasures"}
    assert {p["name"] for p in operations[urls.KINDS]["parameters"]} == {"month", "from", "to"}
    assert all(o["tags"] == ["measures"] and o["summary"] for o in operations.values())
