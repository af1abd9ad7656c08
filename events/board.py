"""The console's list of events: the coming ones soonest first and the recent ones latest first,
each with its seats taken and its waitlist, filtered by kind and state, in four reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from piccolo.columns.combination import Combinable
from piccolo.query.functions.aggregate import Count

from club import clock
from club.rows import rows_as
from events.catalog import EVENT_FIELDS
from events.rows import EventRow
from events.seats import seats_by_event
from events.tables import Event, EventKind, EventStatus, Rsvp, RsvpStatus

__all__ = ["RECENT", "Board", "BoardEvent", "board", "waitlist_by_event"]

# "Recent": ended within this long; older events are history, read on their own page.
RECENT = timedelta(days=60)
# A club runs a few events a week: a hundred either way is months of them.
BOARD_LENGTH = 100


@dataclass(frozen=True, slots=True)
class BoardEvent:
    event: EventRow
    seats_taken: int
    waitlisted: int

    @property
    def seats_left(self) -> int:
        return max(0, self.event.capacity - self.seats_taken)


@dataclass(frozen=True, slots=True)
class Board:
    upcoming: list[BoardEvent]
    recent: list[BoardEvent]


async def waitlist_by_event(event_ids: list[int]) -> dict[int, int]:
    """How many parties wait at each event."""
    if not event_ids:
        return {}
    rows = await Rsvp.select(Rsvp.event, Count(Rsvp.id, alias="n")).where(
        Rsvp.event.is_in(event_ids) & (Rsvp.status == RsvpStatus.waitlisted.value)
    ).group_by(Rsvp.event)
    return {r["event"]: int(r["n"]) for r in rows}


async def board(kind: EventKind | None = None, state: EventStatus | None = None, now: datetime | None = None) -> Board:
    now = now or clock.now()
    where: Combinable = Event.id.is_not_null()
    if kind is not None:
        where = where & (Event.kind == kind.value)
    if state is not None:
        where = where & (Event.status == state.value)
    upcoming = rows_as(EventRow, await Event.select(*EVENT_FIELDS).where(where & (Event.ends_at >= now)).order_by(
        Event.starts_at
    ).order_by(Event.id).limit(BOARD_LENGTH))
    recent = rows_as(EventRow, await Event.select(*EVENT_FIELDS).where(
        where & (Event.ends_at < now) & (Event.ends_at >= now - RECENT)
    ).order_by(Event.starts_at, ascending=False).order_by(Event.id, ascending=False).limit(BOARD_LENGTH))
    ids = [e.id for e in (*upcoming, *recent)]
    taken = await seats_by_event(ids)
    waiting = await waitlist_by_event(ids)

    def item(e: EventRow) -> BoardEvent:
        return BoardEvent(e, taken.get(e.id, 0), waiting.get(e.id, 0))

    return Board([item(e) for e in upcoming], [item(e) for e in recent])
