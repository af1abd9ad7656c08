"""Check-in at a trip's meeting points: once per leg with the same ticket, points once per
trip, and a departure that does not wait."""

from __future__ import annotations

from datetime import timedelta

from checkin import urls as door
from club.ledger import balance_of
from events import urls as event_urls
from tests.checkin.helpers import nonce, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.travel.helpers import add_item, at, link, trip


async def _scan(http, event_id: int, token: str, item: int | None, nonce_: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    body = {"token": token, "nonce": nonce_ or nonce(), "gate": "lobby", **({"item": item} if item else {})}
    response = await http.post(link(door.SCANS, event_id=event_id), json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_each_leg_admits_the_ticket_once_and_the_trip_pays_once(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    start = at(minutes=50)
    event = await trip(server, coordinator, starts=start, days=3, attendance_points=300)
    first = await add_item(server, coordinator, event["id"], start, is_checkpoint=True)
    second = await add_item(server, coordinator, event["id"], start + timedelta(hours=1), is_checkpoint=True, title="Boat")
    member = await make_member("Chen Jie")
    _, token = await rsvp_and_ticket(server, member, event["id"])
    assert token
    async with server.client(staff.token) as http:
        retry_nonce = nonce()
        admitted = await _scan(http, event["id"], token, first["id"], retry_nonce)
        retried = await _scan(http, event["id"], token, first["id"], retry_nonce)
        again = await _scan(http, event["id"], token, first["id"])
        next_leg = await _scan(http, event["id"], token, second["id"])
        at_door = await _scan(http, event["id"], token, None)
    assert (admitted["result"], admitted["points_awarded"], admitted["checked_in"]) == ("admitted", 300, 1)
    assert retried == admitted  # a retry of the same scan gets the same answer
    assert again["result"] == "already_checked_in"
    assert (next_leg["result"], next_leg["points_awarded"]) == ("admitted", 0)
    assert (at_door["result"], at_door["points_awarded"]) == ("admitted", 0)
    assert await balance_of(member.member_id) == 300  # type: ignore[arg-type]
    async with server.client(coordinator.token) as http:
        figures = (await http.get(link(door.FIGURES, event_id=event["id"]))).json()
    assert (figures["checked_in"], figures["confirmed"]) == (1, 1)  # one member in, whatever the legs


async def test_the_departure_does_not_wait(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await trip(server, coordinator, starts=at(minutes=50), days=3)
    member = await make_member()
    _, token = await rsvp_and_ticket(server, member, event["id"])
    assert token
    # The trip is under way: it left two hours ago, and the morning's bus left ten minutes ago.
    left = at(hours=-2)
    async with server.client(coordinator.token) as http:
        moved = await http.patch(link(event_urls.EVENT, event_id=event["id"]), json={"starts_at": left.isoformat()})
        assert moved.status_code == 200, moved.text
    bus = await add_item(server, coordinator, event["id"], at(minutes=-10), is_checkpoint=True, title="Bus to Maduo")
    later = await add_item(server, coordinator, event["id"], at(hours=5), is_checkpoint=True, title="Boat")
    async with server.client(staff.token) as http:
        late = await _scan(http, event["id"], token, bus["id"])
        early = await _scan(http, event["id"], token, later["id"])
    assert late["result"] == "departed" and "does not wait" in late["detail"]
    assert late["points_awarded"] == 0 and late["checked_in_at"] is None
    assert early["result"] == "not_open"
    assert await balance_of(member.member_id) == 0  # type: ignore[arg-type]


async def test_only_a_meeting_point_of_this_trip_takes_scans(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    start = at(minutes=50)
    event = await trip(server, coordinator, starts=start, days=3)
    other = await trip(server, coordinator, starts=start, days=3, title="Paris")
    not_a_checkpoint = await add_item(server, coordinator, event["id"], start, is_checkpoint=False)
    elsewhere = await add_item(server, coordinator, other["id"], start, is_checkpoint=True)
    member = await make_member()
    _, token = await rsvp_and_ticket(server, member, event["id"])
    async with server.client(staff.token) as http:
        for item in (not_a_checkpoint["id"], elsewhere["id"], 999999):
            response = await http.post(
                link(door.SCANS, event_id=event["id"]), json={"token": token, "nonce": nonce(), "item": item}
            )
            assert response.status_code == 404 and response.json()["type"] == "/problems/not-found"
