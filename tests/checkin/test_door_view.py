"""Door staff read an event only as the door shows it: title, place, times, state and a trip's
meeting points. The full event, the event list, the itinerary and tickets are refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from checkin import urls as door
from events import urls
from tests.checkin.helpers import door_open_event
from tests.conftest import LiveServer
from tests.events.helpers import event_body
from tests.factories import Caller, make_member
from tests.support import guarded_routes
from tests.travel.helpers import add_item, at, trip
from travel import urls as travel_urls

DOOR_FIELDS = {
    "id", "kind", "title", "venue", "venue_time_zone", "starts_at", "ends_at", "starts_local", "ends_local",
    "status", "meeting_points",
}
# What door staff may call at all: scan, the door's own figures and view, the key that checks
# tickets offline, their own account, the tier ladder every caller may read, and a visit.
STAFF_ROUTES = {
    ("POST", "/api/events/1/scans"),
    ("GET", "/api/events/1/checkin-figures"),
    ("GET", "/api/events/1/door"),
    # The offline kit: the door list (names and tiers, nothing more) and the queue's way home.
    ("GET", "/api/events/1/door-list"),
    ("POST", "/api/events/1/scan-batches"),
    ("GET", "/api/checkin/public-key"),
    ("GET", "/api/me"),
    ("GET", "/api/tiers"),
    # A boutique's counter is staffed by the same people: a member's card scanned for a visit.
    ("POST", "/api/visits"),
}


async def test_door_staff_get_the_door_view_and_nothing_more_of_an_event(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    event = await door_open_event(
        server, coordinator, title="Perfume salon", venue="Maison, 12 rue Cambon", capacity=12,
        description="The perfumer's private notes",
    )
    async with server.client(staff.token) as http:
        view = await http.get(urls.link(door.DOOR_EVENT, event_id=event["id"]))
        refused = [
            await http.get(urls.link(urls.EVENT, event_id=event["id"])),
            await http.get(urls.EVENTS),
            await http.get(urls.EVENTS, params={"include_past": True}),
        ]
    assert view.status_code == 200, view.text
    body = view.json()
    assert set(body) == DOOR_FIELDS
    assert (body["title"], body["venue"], body["status"], body["meeting_points"]) == (
        "Perfume salon", "Maison, 12 rue Cambon", "published", []
    )
    assert datetime.fromisoformat(body["starts_at"]) == datetime.fromisoformat(event["starts_at"])
    assert body["starts_local"] == event["starts_local"]  # on the venue's clock
    assert "private notes" not in view.text and "capacity" not in view.text
    for response in refused:
        assert response.status_code == 403 and response.json()["type"] == "/problems/forbidden"
        assert "Perfume salon" not in response.text
    # Members and coordinators read events as before; a member has no door view.
    async with server.client(member.token) as http:
        assert (await http.get(urls.link(urls.EVENT, event_id=event["id"]))).status_code == 200
        assert (await http.get(urls.link(door.DOOR_EVENT, event_id=event["id"]))).status_code == 403
    async with server.client(coordinator.token) as http:
        assert (await http.get(urls.link(urls.EVENT, event_id=event["id"]))).status_code == 200
        assert (await http.get(urls.link(door.DOOR_EVENT, event_id=event["id"]))).status_code == 200


async def test_a_trips_door_view_lists_its_meeting_points_and_the_itinerary_is_refused(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    start = at(days=5).replace(second=0)
    event = await trip(server, coordinator, starts=start, days=4)
    bus = await add_item(
        server, coordinator, event["id"], start, is_checkpoint=True, title="Bus to Maduo", place="Xining",
        meeting_point="Hotel lobby",
    )
    await add_item(server, coordinator, event["id"], start + timedelta(days=1), title="Free afternoon",
                   place="Maduo", meeting_point="")
    boat = await add_item(
        server, coordinator, event["id"], start + timedelta(days=2), is_checkpoint=True, title="Boat",
        place="Gyaring Lake", time_zone="Asia/Shanghai", meeting_point="Pier 2",
    )
    async with server.client(staff.token) as http:
        view = await http.get(urls.link(door.DOOR_EVENT, event_id=event["id"]))
        itinerary = await http.get(urls.link(travel_urls.TRIP_ITEMS, event_id=event["id"]))
        calendar = await http.get(urls.link(travel_urls.TRIP_ITINERARY_ICS, event_id=event["id"]))
    assert view.status_code == 200, view.text
    points = view.json()["meeting_points"]
    # Only the legs where tickets are scanned, with where and when the group meets.
    assert [(p["id"], p["title"], p["place"], p["meeting_point"]) for p in points] == [
        (bus["id"], "Bus to Maduo", "Xining", "Hotel lobby"), (boat["id"], "Boat", "Gyaring Lake", "Pier 2"),
    ]
    assert set(points[0]) == {"id", "title", "place", "meeting_point", "time_zone", "starts_at", "starts_local"}
    assert datetime.fromisoformat(points[1]["starts_at"]) == start + timedelta(days=2)
    assert points[1]["starts_local"].endswith("+08:00")
    assert "Free afternoon" not in view.text
    assert itinerary.status_code == 403 and "Free afternoon" not in itinerary.text
    assert calendar.status_code == 403


async def test_a_draft_has_no_door_view_for_staff(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    async with server.client(coordinator.token) as http:
        draft = (await http.post(urls.EVENTS, json=event_body(title="Not yet announced"))).json()
    async with server.client(staff.token) as http:
        response = await http.get(urls.link(door.DOOR_EVENT, event_id=draft["id"]))
    assert response.status_code == 404 and "Not yet announced" not in response.text


async def test_door_staff_are_refused_every_route_but_the_doors(server: LiveServer, staff: Caller) -> None:
    """Read from the app's own route list: a route added later is refused to staff unless it
    is added here on purpose."""
    reachable = set()
    async with server.client(staff.token) as http:
        for method, path in guarded_routes(server.app):
            response = await http.request(method, path, json={})
            if response.status_code != 403:
                reachable.add((method, path))
    assert reachable == STAFF_ROUTES


async def test_members_still_read_a_trips_itinerary(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    await add_item(server, coordinator, event["id"], at(days=31), title="Drive to Maduo")
    traveller = await make_member()
    async with server.client(traveller.token) as http:
        items = await http.get(urls.link(travel_urls.TRIP_ITEMS, event_id=event["id"]))
    assert items.status_code == 200 and [i["title"] for i in items.json()] == ["Drive to Maduo"]
