"""A new seat's reminders, written by the statement that takes the seat (PostgreSQL).

A seat is taken one at a time under its event's lock (events.rsvp), and every round trip inside
that lock is a wait for everyone behind it. So the steps a new seat gets are read before the
lock (`steps_before_the_lock`), planned under it in Python (`reminder_values`, the planner
`follow_rsvps` uses: the place's clock, the member's night) and inserted by the claim
statement itself (`REMINDERS_CTE`), only if it confirmed the seat. The claim compares the steps
as they stand under the lock with what was read (`STEPS_STAMP_SQL`): attaching or detaching a
sequence takes the same lock, so a change is either seen there (the claim writes nothing and
the full path plans) or waits for this seat's commit and re-plans it (`follow_event`).
Per-leg steps need the trip's itinerary: an event with any is planned by `follow_rsvps`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from club.statements import fetch
from events.reminders.rows import EventTiming, RsvpTiming, StepRow
from events.reminders.scheduling import STEPS_SQL, chosen_steps, plan_targets
from events.reminders.tables import Anchor, ScheduleStatus
from events.rows import EventRow
from events.tables import EventStatus, RsvpStatus

__all__ = ["REMINDERS_CTE", "STEPS_STAMP_SQL", "ReminderValues", "SeatSteps", "reminder_values", "steps_before_the_lock"]

# The steps' rows as text, in one order: a digest that changes with any step, link or default.
# Its placeholders are STEPS_SQL's: the event's id and kind.
STEPS_STAMP_SQL = f"(SELECT md5(coalesce(string_agg(q::text, '|' ORDER BY q.source, q.id), '')) FROM ({STEPS_SQL}) q)"
_STEPS_WITH_STAMP_SQL = f"SELECT q.*, {STEPS_STAMP_SQL} AS stamp FROM ({STEPS_SQL}) q"
_NO_STEPS_STAMP = hashlib.md5(b"").hexdigest()  # string_agg of no rows is NULL: coalesced to ''

# The rows a confirmed seat's steps plan, inserted from the claim statement's `r` (the RSVP it
# wrote: id, status), one per step, with the schedule key `follow_rsvps` gives them
# ("<rsvp>:<step>"). Placeholders: event, member, event version, now, now, and the planned
# columns as arrays (ReminderValues, in that order).
REMINDERS_CTE = (
    "sr AS (INSERT INTO scheduled_reminder (schedule_key, rsvp, event, member, step, outbox, item, channel, due_at, "
    "event_version, generation, status, status_reason, needs_dispatch, job_id, created_at, updated_at) "
    "SELECT r.id || ':' || t.step, r.id, {}::integer, {}::integer, t.step, NULL, NULL, t.channel, t.due_at, "
    f"{{}}::integer, 0, t.status, t.reason, t.status = '{ScheduleStatus.scheduled.value}', NULL, {{}}::timestamptz, {{}}::timestamptz "
    "FROM r CROSS JOIN unnest({}::integer[], {}::varchar[], {}::timestamptz[], {}::varchar[], {}::varchar[]) "
    f"AS t(step, channel, due_at, status, reason) WHERE r.status = '{RsvpStatus.confirmed.value}')"
)


@dataclass(frozen=True, slots=True)
class SeatSteps:
    """An event's steps as read before its lock, and their digest for the claim to compare."""

    steps: list[StepRow]
    stamp: str


@dataclass(frozen=True, slots=True)
class ReminderValues:
    """`REMINDERS_CTE`'s arrays: one entry per step a confirmed seat gets."""

    steps: list[int]
    channels: list[str]
    due_at: list[datetime]
    statuses: list[str]
    reasons: list[str]


async def steps_before_the_lock(event_id: int, kind: str) -> SeatSteps | None:
    """The steps a seat at the event gets, read without its lock; None when one is per leg."""
    rows = await fetch(_STEPS_WITH_STAMP_SQL, event_id, kind, event_id, kind)
    steps = chosen_steps(rows)
    if any(s.anchor == Anchor.itinerary_item for s in steps):
        return None
    return SeatSteps(steps, rows[0]["stamp"] if rows else _NO_STEPS_STAMP)


def reminder_values(event: EventRow, steps: list[StepRow], member_id: int, member_zone: str, now: datetime) -> ReminderValues:
    """What `follow_rsvps` would write for the member confirmed at `now`."""
    if event.status == EventStatus.cancelled:
        return ReminderValues([], [], [], [], [])
    timing = EventTiming(
        id=event.id, kind=event.kind, status=event.status, starts_at=event.starts_at, ends_at=event.ends_at,
        version=event.version, venue_time_zone=event.venue_time_zone,
    )
    rsvp = RsvpTiming(id=0, event=event.id, member=member_id, status=RsvpStatus.confirmed, tz=member_zone)
    targets = plan_targets(timing, steps, [rsvp], now)
    return ReminderValues(
        [t.step for t in targets], [t.channel.value for t in targets], [t.due_at for t in targets],
        [t.status.value for t in targets], [t.reason for t in targets],
    )
