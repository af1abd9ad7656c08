"""What moving an event would touch, said before the coordinator confirms it.

`events.catalog.update_event` moves an event when its start, end, venue or venue's zone change:
if it is published, everyone holding a place (a seat or a waitlist place) is told, and every unsent
reminder of its confirmed members is re-timed by `events.reminders.scheduling.follow_event` (the
steps of a reminder sequence keep their offset from the event). This counts both from the rows
those two read, without changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from events.catalog import load_event
from events.reminders.tables import ScheduledReminder, ScheduleStatus
from events.rows import EventRow
from events.tables import EventStatus, Rsvp, RsvpStatus

__all__ = ["MoveImpact", "Placement", "move_impact"]

# The fields whose change is a move (events.catalog's _MOVING_FIELDS).
MOVING_FIELDS = ("starts_at", "ends_at", "venue", "venue_time_zone")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where and when an event takes place."""

    starts_at: datetime
    ends_at: datetime
    venue: str
    venue_time_zone: str

    @classmethod
    def of(cls, event: EventRow) -> Placement:
        return cls(event.starts_at, event.ends_at, event.venue, event.venue_time_zone)


@dataclass(frozen=True, slots=True)
class MoveImpact:
    moves: bool  # False: the placement given is the event's own, nothing would change
    announced: bool  # the event is published: its members hear of the move, its reminders follow
    confirmed: int  # members holding a seat, told of the move
    waitlisted: int  # members waiting for one, told too
    reminders: int  # unsent reminders re-timed to the new start (or skipped if their time has passed)
    reminder_members: int  # the members those reminders go to

    @property
    def members_told(self) -> int:
        return self.confirmed + self.waitlisted if self.announced else 0


async def move_impact(event_id: int, to: Placement) -> MoveImpact:
    """What moving the event to `to` would do, read in three queries."""
    event = await load_event(event_id)
    moves = Placement.of(event) != to
    counts = {
        r["status"]: int(r["n"])
        for r in await Rsvp.select(Rsvp.status, Count(Rsvp.id, alias="n")).where(
            (Rsvp.event == event_id) & Rsvp.status.is_in([RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value])
        ).group_by(Rsvp.status)
    }
    # follow_event re-plans the scheduled steps of the event's reminder sequences; messages of the
    # outbox (step is null) are notices already written, they do not move.
    unsent = await ScheduledReminder.select(ScheduledReminder.member, Count(ScheduledReminder.id, alias="n")).where(
        (ScheduledReminder.event == event_id)
        & (ScheduledReminder.status == ScheduleStatus.scheduled.value)
        & ScheduledReminder.step.is_not_null()
    ).group_by(ScheduledReminder.member)
    announced = event.status == EventStatus.published
    return MoveImpact(
        moves=moves,
        announced=announced,
        confirmed=counts.get(RsvpStatus.confirmed.value, 0),
        waitlisted=counts.get(RsvpStatus.waitlisted.value, 0),
        reminders=sum(int(r["n"]) for r in unsent) if announced else 0,
        reminder_members=len(unsent) if announced else 0,
    )
