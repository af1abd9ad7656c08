"""The surveys' measures over real HTTP: coordinators read a year by quarter and kind, a month's
events, one event's figures and its answers; a check-up's answers are not listed (its bookings
are private); members and door staff are refused every route; each route is documented."""

from __future__ import annotations

from datetime import UTC, datetime

from checkin.surveys import urls
from club.tables import Role
from events.tables import Event, EventKind
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.measures import builders
from tests.surveys.helpers import answer, attendee

ROUTES = [urls.YEAR, urls.EVENTS, urls.EVENT, urls.EVENT_ANSWERS]


def _path(template: str, event_id: int = 1) -> str:
    return template.replace("{event_id:int}", str(event_id))


async def _scene() -> tuple[int, int]:
    salon = await builders.event(datetime(2026, 2, 10, 18, 0, tzinfo=UTC), title="Salon A")
    checkup = await builders.event(datetime(2026, 2, 12, 8, 0, tzinfo=UTC), kind=EventKind.health_checkup, title="Check-up")
    await Event.update({Event.booked_through: "health_programs"}).where(Event.id == checkup)
    for score, comment in ((10, "Merveilleux"), (6, "")):
        member_id, _ = await attendee(salon, "Salon guest")
        await answer(salon, member_id, score, comment, datetime(2026, 2, 11, 9, score, tzinfo=UTC))
    member_id, _ = await attendee(checkup, "Check-up guest")
    await answer(checkup, member_id, 8, "接待周到")
    return salon, checkup


async def test_a_coordinator_reads_the_satisfaction(server: LiveServer, coordinator: Caller) -> None:
    salon, checkup = await _scene()
    async with server.client(coordinator.token) as http:
        year = (await http.get(urls.YEAR, params={"year": "2026"})).json()
        february = (await http.get(urls.EVENTS, params={"month": "2026-02"})).json()
        one = (await http.get(_path(urls.EVENT, salon))).json()
        answers = (await http.get(_path(urls.EVENT_ANSWERS, salon))).json()
        private = await http.get(_path(urls.EVENT_ANSWERS, checkup))
        bad_year = await http.get(urls.YEAR, params={"year": "26"}, headers={"Accept-Language": "zh-CN"})
        unknown = await http.get(_path(urls.EVENT, 999_999))
    q1 = year["quarters"][0]
    assert (year["year"], year["time_zone"], q1["answers"], q1["mean_score"]) == (2026, "Europe/Paris", 3, 8.0)
    assert {k["kind"]: k["answers"] for k in q1["kinds"]} == {"salon": 2, "health_checkup": 1}
    assert [(e["title"], e["answers"]) for e in february["events"]] == [("Salon A", 2), ("Check-up", 1)]
    assert (one["answers"], one["mean_score"], one["promoter_share"], one["detractor_share"], one["net_promoter"]) == (
        2, 8.0, 0.5, 0.5, 0.0)
    assert [(a["score"], a["band"], a["comment"]) for a in answers] == [(10, "promoter", "Merveilleux"), (6, "detractor", "")]
    # A check-up's comments are the member's words about a clinic visit: not on a generic list.
    assert private.status_code == 409 and private.json()["type"].endswith("booked-elsewhere")
    assert "接待周到" not in private.text
    assert bad_year.status_code == 400 and bad_year.headers["content-language"] == "zh-Hans"
    assert unknown.status_code == 404


async def test_members_and_door_staff_are_refused_every_satisfaction_route(server: LiveServer) -> None:
    salon, _ = await _scene()
    member = await make_member("Curious")
    staff = await make_user(Role.staff)
    paths = [_path(route, salon) for route in ROUTES]
    async with server.client() as anonymous:
        for path in paths:
            assert (await anonymous.get(path)).status_code == 401, path
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for path in paths:
                answer = await http.get(path)
                assert answer.status_code == 403, (caller, path, answer.text)
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert "Merveilleux" not in answer.text and "Salon A" not in answer.text


async def test_the_satisfaction_routes_are_documented(server: LiveServer) -> None:
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    documented = {p: schema["paths"][p]["get"] for p in (urls.YEAR, urls.EVENTS, "/api/events/{event_id}/satisfaction",
                                                          "/api/events/{event_id}/survey-answers")}
    assert {o["operationId"] for o in documented.values()} == {
        "satisfactionByQuarter", "satisfactionByEvent", "eventSatisfaction", "eventSurveyAnswers"}
    assert all(o["tags"] == ["measures"] and o["summary"] for o in documented.values())
    assert not any(path.startswith("/s/") for path in schema["paths"])
