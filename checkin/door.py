"""What the door shows of an event: its title, place, times and state, and a trip's meeting
points. Door staff read events only through this; the full event and itinerary are not theirs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from checkin.schemas import DoorEventOut, DoorMeetingPoint
from club.accounts import Principal
from events import legs
from events.catalog import load_event
from events.tables import EventKind

__all__ = ["door_event", "door_meeting_points"]


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


async def door_meeting_points(event_id: int) -> list[DoorMeetingPoint]:
    """A trip's meeting points, where its tickets are scanned, on their own clocks."""
    # A trip's itinerary is travel's, above this layer: asked through the events.legs hook.
    return [
        DoorMeetingPoint(
            id=r.id, title=r.title, place=r.place, meeting_point=r.meeting_point,
            time_zone=r.time_zone, starts_at=r.starts_at, starts_local=_local(r.starts_at, r.time_zone),
        )
        for r in await legs.trip_items(event_id)
        if r.is_checkpoint
    ]


async def door_event(event_id: int, viewer: Principal) -> DoorEventOut:
    """The door's view of a published or cancelled event (a draft is 404 to door staff)."""
    event = await load_event(event_id, viewer)
    return DoorEventOut(
        id=event.id, kind=event.kind.value, title=event.title, venue=event.venue,
        venue_time_zone=event.venue_time_zone, starts_at=event.starts_at, ends_at=event.ends_at,
        starts_local=_local(event.starts_at, event.venue_time_zone),
        ends_local=_local(event.ends_at, event.venue_time_zone),
        status=event.status.value,
        meeting_points=await door_meeting_points(event_id) if event.kind == EventKind.trip else [],
    )
