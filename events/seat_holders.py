"""Who holds a seat at an event under way: events' answer to club.seat_holders' hook."""

from __future__ import annotations

from datetime import datetime

from events.tables import Event, EventStatus, Rsvp, RsvpStatus

__all__ = ["members_holding_a_seat"]


async def members_holding_a_seat(now: datetime) -> set[int]:
    """Member ids with a confirmed seat at a published event running at `now` (start <= now <= end)."""
    running = Event.select(Event.id).where(
        (Event.status == EventStatus.published.value) & (Event.starts_at <= now) & (Event.ends_at >= now)
    )
    rows = await Rsvp.select(Rsvp.member).where(
        (Rsvp.status == RsvpStatus.confirmed.value) & Rsvp.event.is_in(running)
    )
    return {r["member"] for r in rows}
