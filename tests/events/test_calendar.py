"""Calendar invites and the private feed: stable UID, SEQUENCE on moves, CANCEL, VALARM, TZID."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar

from events import urls
from events.tables import CalendarFeed
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member


async def _rsvp(server: LiveServer, who: Caller, event_id: int) -> dict:
    async with server.client(who.token) as http:
        return (await http.post(urls.link(urls.EVENT_RSVP, event_id=event_id), json={})).json()


async def _invite(server: LiveServer, who: Caller, rsvp_id: int) -> Calendar:
    async with server.client(who.token) as http:
        response = await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp_id))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _vevent(cal: Calendar):  # type: ignore[no-untyped-def]
    return next(c for c in cal.walk("VEVENT"))


async def test_invite_of_a_confirmed_rsvp(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator, venue_time_zone="America/New_York")
    rsvp = await _rsvp(server, member, event["id"])
    assert rsvp["invite_url"] == urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"])
    cal = await _invite(server, member, rsvp["id"])
    vevent = _vevent(cal)
    assert cal["METHOD"] == "REQUEST"
    assert str(vevent["UID"]) == f"rsvp-{rsvp['id']}@testserver"
    assert vevent["SEQUENCE"] == 1
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert vevent.decoded("DTSTART") == datetime.fromisoformat(event["starts_at"])
    assert [c.name for c in cal.walk("VTIMEZONE")] == ["VTIMEZONE"]
    alarms = list(vevent.walk("VALARM"))
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -timedelta(hours=24)


async def test_moving_raises_the_sequence_and_cancelling_sends_cancel(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    rsvp = await _rsvp(server, member, event["id"])
    later = datetime.fromisoformat(event["starts_at"]) + timedelta(days=1)
    async with server.client(coordinator.token) as http:
        await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()})
    moved = _vevent(await _invite(server, member, rsvp["id"]))
    assert moved["SEQUENCE"] == 2 and moved.decoded("DTSTART") == later
    async with server.client(member.token) as http:
        await http.delete(urls.link(urls.RSVP, rsvp_id=rsvp["id"]))
    cancel = await _invite(server, member, rsvp["id"])
    assert cancel["METHOD"] == "CANCEL"
    vevent = _vevent(cancel)
    assert str(vevent["UID"]) == f"rsvp-{rsvp['id']}@testserver" and vevent["SEQUENCE"] == 3
    assert vevent["STATUS"] == "CANCELLED"


async def test_club_cancellation_turns_the_invite_into_a_cancel(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    rsvp = await _rsvp(server, member, event["id"])
    async with server.client(coordinator.token) as http:
        await http.post(urls.link(urls.EVENT_CANCEL, event_id=event["id"]))
    assert (await _invite(server, member, rsvp["id"]))["METHOD"] == "CANCEL"


async def test_a_waitlisted_rsvp_has_no_invite_yet(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=0)
    member = await make_member("Waiting")
    rsvp = await _rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        response = await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]))
    assert response.status_code == 409 and response.json()["type"] == "/problems/rsvp-not-confirmed"


async def test_private_feed_lists_confirmed_events_and_can_be_revoked(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    seated = await published_event(server, coordinator, title="Seated")
    full = await published_event(server, coordinator, title="Full", capacity=0)
    await _rsvp(server, member, seated["id"])
    await _rsvp(server, member, full["id"])
    async with server.client(member.token) as http:
        issued = (await http.post(urls.MY_CALENDAR_FEED)).json()
    assert issued["url"].startswith("http://testserver/calendar/feed_")
    path = issued["url"].removeprefix("http://testserver")
    token = path.rsplit("/", 1)[1]
    stored = await CalendarFeed.select(CalendarFeed.token_hash)
    assert stored and token not in str(stored)  # only the hash is kept
    async with server.client() as anonymous:
        feed = await anonymous.get(path)
    assert feed.status_code == 200
    cal = Calendar.from_ical(feed.content)
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Seated"]
    async with server.client(member.token) as http:
        regenerated = (await http.post(urls.MY_CALENDAR_FEED)).json()
    async with server.client() as anonymous:
        assert (await anonymous.get(path)).status_code == 404
        assert (await anonymous.get(regenerated["url"].removeprefix("http://testserver"))).status_code == 200
    async with server.client(member.token) as http:
        assert (await http.delete(urls.MY_CALENDAR_FEED)).status_code == 204
    async with server.client() as anonymous:
        assert (await anonymous.get(regenerated["url"].removeprefix("http://testserver"))).status_code == 404
        assert (await anonymous.get(urls.link(urls.CALENDAR_FEED, token="guess"))).status_code == 401
