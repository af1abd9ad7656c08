"""The tier review's question, answered by events: who holds a seat at an event under way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from club.seat_holders import members_holding_a_seat
from events import urls
from events.tables import Event
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member


async def test_confirmed_members_of_a_running_event_hold_a_seat(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=1)
    seated, waiting = await make_member("Seated"), await make_member("Waiting")
    for who in (seated, waiting):
        async with server.client(who.token) as http:
            await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    start = datetime.fromisoformat(event["starts_at"])
    assert await members_holding_a_seat(start - timedelta(minutes=1)) == set()
    assert await members_holding_a_seat(start) == {seated.member_id}
    assert await members_holding_a_seat(start + timedelta(hours=2)) == {seated.member_id}
    assert await members_holding_a_seat(start + timedelta(hours=2, seconds=1)) == set()
    await Event.update({Event.status: "cancelled"}).where(Event.id == event["id"])
    assert await members_holding_a_seat(start + timedelta(hours=1)) == set()
    assert datetime.now(UTC) < start
