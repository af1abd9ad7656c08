"""Authorization on every route: no token, a bad or revoked token, the wrong role.

The route list is read from the app itself, so a route added later without a guard fails here.
"""

from __future__ import annotations

import pytest

from club import urls
from club.tables import Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.support import guarded_routes


def _is_problem(response) -> bool:  # type: ignore[no-untyped-def]
    return response.headers["content-type"].startswith("application/problem+json") and {
        "type", "title", "status", "detail"
    } <= response.json().keys()


async def test_every_api_route_refuses_a_request_without_a_token(server: LiveServer) -> None:
    routes = guarded_routes(server.app)
    assert len(routes) >= 15
    async with server.client() as http:
        for method, path in routes:
            response = await http.request(method, path, json={})
            assert response.status_code == 401, (method, path, response.text)
            assert _is_problem(response)
            assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("token", ["club_not-a-real-token", "garbage", "club_" + "x" * 500])
async def test_an_unknown_token_is_refused(server: LiveServer, token: str) -> None:
    async with server.client(token) as http:
        response = await http.get(urls.ME)
    assert response.status_code == 401 and _is_problem(response)


async def test_a_revoked_token_stops_working_at_once(server: LiveServer, coordinator: Caller) -> None:
    staff = await make_user(Role.staff)
    async with server.client(coordinator.token) as http:
        tokens = (await http.get(urls.USER_TOKENS.replace("{user_id:int}", str(staff.user_id)))).json()
        assert len(tokens) == 1 and tokens[0]["revoked_at"] is None
    async with server.client(staff.token) as http:
        assert (await http.get(urls.ME)).status_code == 200
    async with server.client(coordinator.token) as http:
        revoked = await http.delete(urls.TOKEN.replace("{token_id:int}", str(tokens[0]["id"])))
        assert revoked.status_code == 204
    async with server.client(staff.token) as http:
        assert (await http.get(urls.ME)).status_code == 401


def _coordinator_routes(server: LiveServer) -> list[tuple[str, str]]:
    """The club-core routes only coordinators may call (the tier ladder is readable by all)."""
    prefixes = ("/api/members", "/api/staff", "/api/users", "/api/tokens", "/api/tiers", "/api/spend")
    readable_by_all = {("GET", urls.TIERS)}
    return [r for r in guarded_routes(server.app) if r[1].startswith(prefixes) and r not in readable_by_all]


async def test_members_and_staff_are_refused_every_coordinator_route(server: LiveServer) -> None:
    member = await make_member()
    staff = await make_user(Role.staff)
    routes = _coordinator_routes(server)
    assert len(routes) >= 12
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for method, path in routes:
                response = await http.request(method, path, json={})
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)


def _measure_routes(server: LiveServer) -> list[tuple[str, str]]:
    """The measures' routes (checkin.measures, checkin.surveys), read from the app: everything under
    /api/measures, and an event's or a member's measures, satisfaction and survey answers."""
    suffixes = ("/measures", "/satisfaction", "/survey-answers")
    return [r for r in guarded_routes(server.app) if r[1].startswith("/api/measures") or r[1].endswith(suffixes)]


async def test_members_and_staff_are_refused_every_measure_route(server: LiveServer) -> None:
    member = await make_member()
    staff = await make_user(Role.staff)
    routes = _measure_routes(server)
    assert {path for _, path in routes} >= {"/api/measures/satisfaction", "/api/events/1/survey-answers", "/api/measures/kinds",
                                           "/api/measures/report", "/api/measures/report.xlsx", "/api/measures/report.pdf",
                                           "/api/measures/retention", "/api/measures/referrals", "/api/measures/survey-responses",
                                           "/api/measures/members/1/segments"}
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for method, path in routes:
                response = await http.request(method, path)
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)


async def test_members_and_staff_are_refused_every_segment_route(server: LiveServer) -> None:
    """Saved segments and their sends (checkin.segments) and the no-show rule (events.no_show_gate)
    are the coordinators' alone: read from the app, everything under /api/segments,
    /api/segment-sends and /api/no-show-rule."""
    member = await make_member()
    staff = await make_user(Role.staff)
    routes = [r for r in guarded_routes(server.app)
              if r[1].startswith(("/api/segments", "/api/segment-sends", "/api/no-show-rule"))]
    assert {("POST", "/api/segments/1/sends"), ("GET", "/api/segments/1/preview"), ("POST", "/api/segments"),
            ("PUT", "/api/no-show-rule"), ("GET", "/api/no-show-rule")} <= set(routes)
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for method, path in routes:
                response = await http.request(method, path, json={"name": "x", "key": "k", "body": "b"})
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)


def _visit_routes(server: LiveServer) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """club.visits' routes, read from the app: the counter's scan (staff and coordinators) and the
    stores and card reissues (coordinators only)."""
    routes = guarded_routes(server.app)
    counter = [r for r in routes if r[1] == "/api/visits"]
    keeping = [r for r in routes if r[1].startswith("/api/stores") or r[1].endswith("/card/reissue")]
    return counter, keeping


async def test_members_cannot_post_visits_and_staff_cannot_keep_stores_or_reissue_cards(server: LiveServer) -> None:
    member = await make_member()
    staff = await make_user(Role.staff)
    counter, keeping = _visit_routes(server)
    assert counter == [("POST", "/api/visits")] and len(keeping) == 4, (counter, keeping)
    for caller, routes in ((member, counter + keeping), (staff, keeping)):
        async with server.client(caller.token) as http:
            for method, path in routes:
                response = await http.request(method, path, json={})
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)


async def test_a_member_cannot_read_another_members_record_or_points(server: LiveServer) -> None:
    me = await make_member("Me")
    other = await make_member("Other", phone="+33 6 00 00 00 01")
    async with server.client(me.token) as http:
        for path in (f"/api/members/{other.member_id}", f"/api/members/{other.member_id}/points"):
            response = await http.get(path)
            assert response.status_code == 403
            assert "+33 6 00 00 00 01" not in response.text and "Other" not in response.text
        mine = (await http.get(urls.ME)).json()
    assert mine["id"] == me.member_id and mine["name"] == "Me"


async def test_staff_have_no_member_ledger(server: LiveServer, staff: Caller) -> None:
    async with server.client(staff.token) as http:
        assert (await http.get(urls.MY_POINTS)).status_code == 403
        assert (await http.patch(urls.ME, json={"phone": "+33 1 23 45 67 89"})).status_code == 403
        me = (await http.get(urls.ME)).json()
    assert me["role"] == "staff" and me["member_id"] is None


async def test_coordinators_cannot_mint_coordinator_tokens_through_the_api(
    server: LiveServer, coordinator: Caller
) -> None:
    other = await make_user(Role.coordinator)
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.USER_TOKENS.replace("{user_id:int}", str(other.user_id)), json={})
    assert response.status_code == 403 and _is_problem(response)


async def test_public_routes_need_no_token(server: LiveServer) -> None:
    async with server.client() as http:
        health = await http.get(urls.HEALTH)
        schema = await http.get("/schema/openapi.json")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert schema.status_code == 200 and "/api/members" in schema.json()["paths"]


async def test_members_and_staff_are_refused_the_year_end_routes_and_staff_have_no_year_end_of_their_own(
    server: LiveServer,
) -> None:
    """club.year_end's routes, read from the app: the table, a year's preview and run, and the
    birthday gift are the coordinators'; /api/me/year-end is a member's own."""
    member = await make_member()
    staff = await make_user(Role.staff)
    routes = guarded_routes(server.app)
    keeping = [r for r in routes if r[1].startswith(("/api/year-end", "/api/birthday-gift"))]
    mine = [r for r in routes if r[1] == "/api/me/year-end"]
    assert len(keeping) == 6 and mine == [("GET", "/api/me/year-end")], (keeping, mine)
    for caller, refused in ((member, keeping), (staff, keeping + mine)):
        async with server.client(caller.token) as http:
            for method, path in refused:
                response = await http.request(method, path.replace("/1/", "/2026/"), json={"rows": []})
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)


async def test_members_and_staff_are_refused_the_expiry_routes_and_staff_have_no_expiry_of_their_own(
    server: LiveServer, coordinator: Caller,
) -> None:
    """club.expiry's routes, read from the app: the rule, the preview and a run are the
    coordinators'; /api/me/points/expiry is a member's own."""
    member = await make_member()
    staff = await make_user(Role.staff)
    routes = guarded_routes(server.app)
    keeping = [r for r in routes if r[1].startswith("/api/expiry")]
    mine = [r for r in routes if r[1] == "/api/me/points/expiry"]
    assert len(keeping) == 4 and mine == [("GET", "/api/me/points/expiry")], (keeping, mine)
    for caller, refused in ((member, keeping), (staff, keeping + mine), (coordinator, mine)):
        async with server.client(caller.token) as http:
            for method, path in refused:
                response = await http.request(method, path, json={"mode": "off"})
                assert response.status_code == 403, (caller, method, path, response.text)
                assert _is_problem(response)
