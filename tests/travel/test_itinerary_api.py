"""The itinerary: items in order on their own clocks, and as a calendar whose entries update
(SEQUENCE) when a leg moves."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from club.tables import Role
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member, make_user
from tests.travel.helpers import add_item, at, item_body, link, rsvp, trip
from travel import urls


async def test_items_are_listed_in_time_order_with_local_times(server: LiveServer, coordinator: Caller) -> None:
    start = at(days=30)
    event = await trip(server, coordinator, starts=start)
    later = await add_item(server, coordinator, event["id"], start + timedelta(days=2), title="Lake Gyaring")
    first = await add_item(server, coordinator, event["id"], start, title="Depart Xining", is_checkpoint=True)
    member = await make_member()
    async with server.client(member.token) as http:
        items = (await http.get(link(urls.TRIP_ITEMS, event_id=event["id"]))).json()
    assert [(i["id"], i["position"]) for i in items] == [(first["id"], 1), (later["id"], 2)]
    assert items[0]["starts_local"].endswith("+08:00") and items[0]["is_checkpoint"] is True


async def test_bad_items_are_refused(server: LiveServer, coordinator: Caller) -> None:
    start = at(days=30)
    event = await trip(server, coordinator, starts=start)
    salon = await published_event(server, coordinator)
    async with server.client(coordinator.token) as http:
        outside = await http.post(link(urls.TRIP_ITEMS, event_id=event["id"]), json=item_body(start - timedelta(days=1)))
        zone = await http.post(link(urls.TRIP_ITEMS, event_id=event["id"]), json=item_body(start, time_zone="Mars/Olympus"))
        not_trip = await http.post(link(urls.TRIP_ITEMS, event_id=salon["id"]), json=item_body(start))
    assert outside.status_code == 400 and "between the trip's departure and its return" in outside.json()["detail"]
    assert zone.status_code == 400
    assert not_trip.status_code == 409 and not_trip.json()["type"] == "/problems/not-a-trip"
    member = await make_member()
    async with server.client(member.token) as http:
        assert (await http.post(link(urls.TRIP_ITEMS, event_id=event["id"]), json=item_body(start))).status_code == 403


def _entries(body: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(body)
    return {
        str(v["uid"]): {"sequence": int(v["sequence"]), "start": v.decoded("dtstart"), "tzid": v["dtstart"].params.get("TZID")}
        for v in cal.walk("VEVENT")
    }


async def test_the_itinerary_calendar_updates_a_moved_leg(server: LiveServer, coordinator: Caller) -> None:
    start = at(days=30)
    event = await trip(server, coordinator, starts=start)
    first = await add_item(server, coordinator, event["id"], start, title="Depart Xining")
    second = await add_item(server, coordinator, event["id"], start + timedelta(days=3), title="Milan shows",
                            place="Milan", time_zone="Europe/Rome")
    member = await make_member()
    await rsvp(server, member, event["id"])
    path = link(urls.TRIP_ITINERARY_ICS, event_id=event["id"])
    async with server.client(member.token) as http:
        before = await http.get(path)
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/calendar")
    entries = _entries(before.content)
    uid = f"trip-item-{second['id']}@testserver"
    assert set(entries) == {f"trip-item-{first['id']}@testserver", uid}
    assert entries[uid]["sequence"] == 1 and entries[uid]["tzid"] == "Europe/Rome"
    assert b"BEGIN:VTIMEZONE" in before.content and b"TZID:Asia/Shanghai" in before.content
    moved_to = start + timedelta(days=3, hours=2)
    async with server.client(coordinator.token) as http:
        moved = await http.patch(link(urls.TRIP_ITEM, item_id=second["id"]), json={"starts_at": moved_to.isoformat(),
                                 "ends_at": (moved_to + timedelta(hours=4)).isoformat()})
        assert moved.status_code == 200 and moved.json()["version"] == 2
        renamed = await http.patch(link(urls.TRIP_ITEM, item_id=second["id"]), json={"title": "Milan: the shows"})
        assert renamed.json()["version"] == 2  # a new title is not a move
    async with server.client(member.token) as http:
        after = _entries((await http.get(path)).content)
    assert after[uid]["sequence"] == 2 and after[uid]["start"] == moved_to
    assert after[f"trip-item-{first['id']}@testserver"]["sequence"] == 1


async def test_the_itinerary_calendar_is_for_confirmed_travelers_and_coordinators(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator, capacity=1)
    await add_item(server, coordinator, event["id"], at(days=30))
    confirmed, waiting, stranger = await make_member("In"), await make_member("Waiting"), await make_member("Out")
    await rsvp(server, confirmed, event["id"])
    assert (await rsvp(server, waiting, event["id"]))["status"] == "waitlisted"
    path = link(urls.TRIP_ITINERARY_ICS, event_id=event["id"])
    staff = await make_user(Role.staff)
    codes = {}
    for name, caller in (("confirmed", confirmed), ("waiting", waiting), ("stranger", stranger), ("staff", staff), ("coordinator", coordinator)):
        async with server.client(caller.token) as http:
            codes[name] = (await http.get(path)).status_code
    assert codes == {"confirmed": 200, "waiting": 404, "stranger": 404, "staff": 403, "coordinator": 200}


async def test_the_itinerary_calendar_has_one_charset_an_etag_and_answers_head(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    await add_item(server, coordinator, event["id"], at(days=30))
    path = link(urls.TRIP_ITINERARY_ICS, event_id=event["id"])
    async with server.client(coordinator.token) as http:
        full = await http.get(path)
        head = await http.head(path)
        unchanged = await http.get(path, headers={"If-None-Match": full.headers["etag"]})
    assert full.headers["content-type"] == "text/calendar; charset=utf-8"
    assert full.headers["etag"].startswith('"') and head.headers["etag"] == full.headers["etag"]
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(full.content))
    assert unchanged.status_code == 304 and unchanged.content == b""
