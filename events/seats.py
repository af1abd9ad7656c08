"""Counting seats: the confirmed RSVPs' seats (a member plus their guests) of an event."""

from __future__ import annotations

from piccolo.query import Select
from piccolo.query.functions.aggregate import Sum

from events.tables import Rsvp, RsvpStatus

__all__ = ["SEATS_TAKEN_SQL", "seats_by_event", "seats_taken", "seats_taken_query"]

# The seats taken of the event aliased `e` in a hand-written statement, as the database keeps them
# (event_tally, moved by triggers on rsvp in the transaction of each change): sixteen rows at most,
# where summing the RSVPs reads a gala's every confirmed one (the event list, an RSVP's reads).
SEATS_TAKEN_SQL = "CAST(COALESCE((SELECT SUM(s.seats) FROM event_tally s WHERE s.event = e.id), 0) AS INTEGER)"


def seats_taken_query(event_id: int) -> Select:
    """Runs under the event lock on every RSVP: served by the (event, status) index."""
    return Rsvp.select(Sum(Rsvp.seats, alias="taken")).where(
        (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
    )


async def seats_taken(event_id: int) -> int:
    row = await seats_taken_query(event_id).first()
    return int(row["taken"] or 0) if row else 0


async def seats_by_event(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    rows = await Rsvp.select(Rsvp.event, Sum(Rsvp.seats, alias="taken")).where(
        Rsvp.event.is_in(event_ids) & (Rsvp.status == RsvpStatus.confirmed.value)
    ).group_by(Rsvp.event)
    return {r["event"]: int(r["taken"] or 0) for r in rows}
