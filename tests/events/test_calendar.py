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


async def test_calendar_answers_name_one_charset_carry_an_etag_and_answer_head(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    event = await published_event(server, coordinator, title="Salon")
    rsvp = await _rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        issued = (await http.post(urls.MY_CALENDAR_FEED)).json()
        invite = await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]))
    # The feed offers the subscription link beside the download, the same feed.
    assert issued["webcal_url"] == "webcal://" + issued["url"].removeprefix("http://")
    feed_path = issued["url"].removeprefix("http://testserver")
    async with server.client() as anonymous:
        feed = await anonymous.get(feed_path)
        again = await anonymous.get(feed_path)  # a later poll: a new DTSTAMP, the same entries
        head = await anonymous.head(feed_path)
        unchanged = await anonymous.get(feed_path, headers={"If-None-Match": feed.headers["etag"]})
        listed = await anonymous.get(feed_path, headers={"If-None-Match": f'"other", W/{feed.headers["etag"]}'})
        stale = await anonymous.get(feed_path, headers={"If-None-Match": '"not-this-one"'})
    for answer in (invite, feed):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"  # one charset, not two
        tag = answer.headers["etag"]
        assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")  # strong
    assert again.headers["etag"] == feed.headers["etag"]
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == feed.headers["etag"]
    assert head.headers["content-type"] == feed.headers["content-type"]
    assert head.headers["content-length"] == str(len(feed.content))
    assert head.headers["cache-control"] == feed.headers["cache-control"] == "private, no-store"
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == feed.headers["etag"]
    assert listed.status_code == 304
    assert stale.status_code == 200 and stale.content
    # A change to an entry is a new tag.
    later = datetime.fromisoformat(event["starts_at"]) + timedelta(hours=1)
    async with server.client(coordinator.token) as http:
        await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()})
    async with server.client() as anonymous:
        moved = await anonymous.get(feed_path, headers={"If-None-Match": feed.headers["etag"]})
    assert moved.status_code == 200 and moved.headers["etag"] != feed.headers["etag"]
    async with server.client(member.token) as http:
        invite_head = await http.head(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]))
        invite_304 = await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]), headers={"If-None-Match": invite_head.headers["etag"]})
    assert invite_head.status_code == 200 and invite_head.content == b""
    assert invite_head.headers["content-disposition"] == f'attachment; filename="rsvp-{rsvp["id"]}.ics"'
    assert invite_304.status_code == 304


async def test_head_of_a_feed_follows_the_same_rules_as_get(server: LiveServer) -> None:
    async with server.client() as anonymous:
        assert (await anonymous.head(urls.link(urls.CALENDAR_FEED, token="feed_revoked"))).status_code == 404
        assert (await anonymous.head(urls.link(urls.CALENDAR_FEED, token="guess"))).status_code == 401


async def test_the_schema_names_get_and_head_apart(server: LiveServer) -> None:
    async with server.client() as http:
        paths = (await http.get("/schema/openapi.json")).json()["paths"]
    feed = paths[urls.CALENDAR_FEED.replace(":str", "")]
    assert feed["get"]["operationId"] == "getCalendarFeed" and feed["head"]["operationId"] == "getCalendarFeedHead"
