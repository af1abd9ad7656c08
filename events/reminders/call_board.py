"""The console's call list: the concierge calls due, those coming up, the ones made today, and
who has still not been reached the day before their appointment; and recording an outcome.

The calls are the reminders' CallTasks. The calls of events whose bookings are private (a
check-up) are listed only when their domain registered how reading them is recorded
(events.reminders.call_sources), and that record is written before they are handed out; their
outcomes go through that domain's own service. The rest go through events.reminders.calls.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from piccolo.columns import Column
from piccolo.columns.combination import Combinable

from club.accounts import Principal
from club.errors import NotFound
from club.rows import Row, row_as, rows_as
from events.catalog import PRIVATE_BOOKING_DOMAINS
from events.reminders.call_sources import private_calls
from events.reminders.calls import record_outcome
from events.reminders.tables import CallOutcome, CallStatus, CallTask, Channel, ScheduledReminder, ScheduleStatus
from events.tables import EventKind, RsvpStatus

__all__ = [
    "CallLine",
    "Unreached",
    "call_counts",
    "calls_done_since",
    "calls_due",
    "calls_later",
    "member_calls",
    "record_call",
    "unreached_on",
]

_T = CallTask
# A step's delivery key ends with the event's version it was written for (events.reminders.delivery).
_WRITTEN_FOR = re.compile(r":v(\d+)$")
_FIELDS = (
    _T.id, _T.delivery_key, _T.event.version.as_alias("event_version"), _T.member, _T.event, _T.script, _T.due_at, _T.status, _T.attempts, _T.outcome, _T.note, _T.updated_at,
    _T.member.name.as_alias("member_name"),
    _T.member.phone.as_alias("phone"),
    _T.member.language.as_alias("language"),
    _T.member.time_zone.as_alias("member_zone"),
    _T.event.title.as_alias("event_title"),
    _T.event.kind.as_alias("event_kind"),
    _T.event.starts_at.as_alias("starts_at"),
    _T.event.venue.as_alias("venue"),
    _T.event.venue_time_zone.as_alias("venue_zone"),
    _T.event.booked_through.as_alias("booked_through"),
    _T.rsvp.status.as_alias("rsvp_status"),
)


class CallLine(Row, frozen=True):
    """A call to make (or made), with who to call, in which language, and what it is about."""

    id: int
    delivery_key: str
    event_version: int
    member: int
    member_name: str
    phone: str | None
    language: str
    member_zone: str
    event: int
    event_title: str
    event_kind: EventKind
    starts_at: datetime  # the appointment, on the clock of `venue_zone`
    venue: str
    venue_zone: str
    booked_through: str | None
    script: str
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str
    updated_at: datetime
    rsvp_status: RsvpStatus | None

    @property
    def written_before_a_change(self) -> bool:
        """The script was written before the event last changed (moved): its time may be stale."""
        found = _WRITTEN_FOR.search(self.delivery_key)
        return found is not None and int(found.group(1)) < self.event_version

    @property
    def still_booked(self) -> bool:
        return self.rsvp_status in (None, RsvpStatus.confirmed)


def _listable(booked_through: Column = _T.event.booked_through) -> Combinable:
    """Calls of ordinary events, and of private ones whose domain records who reads them."""
    private = sorted(PRIVATE_BOOKING_DOMAINS)
    if not private:
        return booked_through.is_null() | booked_through.is_not_null()
    readable = [d for d in private if private_calls(d) is not None]
    where: Combinable = booked_through.is_null() | booked_through.not_in(private)
    if readable:
        where = where | booked_through.is_in(readable)
    return where


async def _recorded(viewer: Principal, domains_members: Iterable[tuple[str | None, int]]) -> None:
    """Record, domain by domain, that `viewer` reads these members' private calls."""
    by_domain: dict[str, set[int]] = defaultdict(set)
    for domain, member in domains_members:
        if domain in PRIVATE_BOOKING_DOMAINS:
            by_domain[domain].add(member)
    for domain, members in sorted(by_domain.items()):
        source = private_calls(domain)
        assert source is not None, "only the calls of a domain that records reads are listed"
        await source.record_reads(viewer, sorted(members), source.read_as)


async def _lines(viewer: Principal, where: Combinable, limit: int, *, ascending: bool = True) -> list[CallLine]:
    rows = await CallTask.select(*_FIELDS).where(_listable() & where).order_by(
        _T.due_at, ascending=ascending
    ).order_by(_T.id, ascending=ascending).limit(limit)
    lines = rows_as(CallLine, rows)
    await _recorded(viewer, [(c.booked_through, c.member) for c in lines])
    return lines


async def calls_due(viewer: Principal, now: datetime, limit: int = 200) -> list[CallLine]:
    """Open calls whose time has come, the longest waiting first."""
    return await _lines(viewer, (_T.status == CallStatus.open.value) & (_T.due_at <= now), limit)


async def calls_later(viewer: Principal, now: datetime, limit: int = 100) -> list[CallLine]:
    """Open calls not due yet (a no answer's retry, a call made early), soonest first."""
    return await _lines(viewer, (_T.status == CallStatus.open.value) & (_T.due_at > now), limit)


async def calls_done_since(viewer: Principal, since: datetime, limit: int = 100) -> list[CallLine]:
    """Calls with an outcome recorded since `since` (today's work), the latest first."""
    rows = await CallTask.select(*_FIELDS).where(
        _listable() & _T.outcome.is_not_null() & (_T.updated_at >= since)
    ).order_by(_T.updated_at, ascending=False).order_by(_T.id, ascending=False).limit(limit)
    lines = rows_as(CallLine, rows)
    await _recorded(viewer, [(c.booked_through, c.member) for c in lines])
    return lines


async def member_calls(viewer: Principal, member_id: int, limit: int = 20) -> list[CallLine]:
    """A member's open calls, soonest first."""
    return await _lines(viewer, (_T.member == member_id) & (_T.status == CallStatus.open.value), limit)


async def call_counts(now: datetime, day: date, zone: str) -> tuple[int, int]:
    """(calls due now, members not yet reached for an appointment on `day`): figures only, no names."""
    due = await CallTask.count().where(_listable() & (_T.status == CallStatus.open.value) & (_T.due_at <= now))
    return due, len(await _unreached(day, zone))


@dataclass(frozen=True, slots=True)
class Unreached:
    """A member with an appointment on the day who has not been reached yet (every call for it
    still open, planned, or ended without reaching them)."""

    member: int
    member_name: str
    phone: str | None
    language: str
    event: int
    event_title: str
    starts_at: datetime
    venue_zone: str
    booked_through: str | None
    attempts: int
    last_outcome: CallOutcome | None
    last_note: str
    # The open call to record the next attempt on, and when it is due (or the planned call's time).
    open_call: int | None
    next_due: datetime | None


class _PlannedCall(Row, frozen=True):
    member: int
    event: int
    due_at: datetime
    member_name: str
    phone: str | None
    language: str
    event_title: str
    starts_at: datetime
    venue_zone: str
    booked_through: str | None


def _on_day(instant: datetime, zone: str, day: date) -> bool:
    return instant.astimezone(ZoneInfo(zone)).date() == day


async def _unreached(day: date, zone: str) -> list[Unreached]:
    # Appointments fall on `day` on their own clock; every zone's day lies within 14 h of UTC's.
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)) - timedelta(days=1)
    end = start + timedelta(days=3)
    window = (_T.event.starts_at >= start) & (_T.event.starts_at < end)
    booked = _T.rsvp.is_null() | (_T.rsvp.status == RsvpStatus.confirmed.value)
    tasks = [
        c for c in rows_as(CallLine, await CallTask.select(*_FIELDS).where(_listable() & window & booked))
        if _on_day(c.starts_at, c.venue_zone, day)
    ]
    S = ScheduledReminder
    planned_where = (
        (S.channel == Channel.call.value) & (S.status == ScheduleStatus.scheduled.value)
        & (S.event.starts_at >= start) & (S.event.starts_at < end) & _listable(S.event.booked_through)
    )
    planned = [
        p for p in rows_as(_PlannedCall, await S.select(
            S.member, S.event, S.due_at, S.member.name.as_alias("member_name"), S.member.phone.as_alias("phone"),
            S.member.language.as_alias("language"), S.event.title.as_alias("event_title"),
            S.event.starts_at.as_alias("starts_at"), S.event.venue_time_zone.as_alias("venue_zone"),
            S.event.booked_through.as_alias("booked_through"),
        ).where(planned_where))
        if _on_day(p.starts_at, p.venue_zone, day)
    ]
    calls: dict[tuple[int, int], list[CallLine]] = defaultdict(list)
    for c in tasks:
        calls[(c.event, c.member)].append(c)
    plans: dict[tuple[int, int], list[_PlannedCall]] = defaultdict(list)
    for p in planned:
        plans[(p.event, p.member)].append(p)
    found = []
    for key in sorted(set(calls) | set(plans)):
        made, coming = calls[key], plans[key]
        open_calls = sorted((c for c in made if c.status == CallStatus.open), key=lambda c: (c.due_at, c.id))
        # The latest outcome counts; of two recorded at once, the later call's (the day before's).
        answered = sorted((c for c in made if c.outcome is not None), key=lambda c: (c.updated_at, c.due_at, c.id))
        last = answered[-1] if answered else None
        if not open_calls and not coming and last is not None and last.outcome == CallOutcome.reached:
            continue
        some = made[0] if made else None
        first_plan = min(coming, key=lambda p: p.due_at) if coming else None
        facts = some or first_plan
        assert facts is not None
        next_due = open_calls[0].due_at if open_calls else first_plan.due_at if first_plan else None
        found.append(Unreached(
            member=facts.member, member_name=facts.member_name, phone=facts.phone, language=facts.language,
            event=facts.event, event_title=facts.event_title, starts_at=facts.starts_at, venue_zone=facts.venue_zone,
            booked_through=facts.booked_through, attempts=sum(c.attempts for c in made),
            last_outcome=last.outcome if last else None, last_note=last.note if last else "",
            open_call=open_calls[0].id if open_calls else None, next_due=next_due,
        ))
    return sorted(found, key=lambda u: (u.starts_at, u.member_name, u.member))


async def unreached_on(viewer: Principal, day: date, zone: str) -> list[Unreached]:
    """Members with an appointment on `day` (on its place's clock) not yet reached by a call."""
    found = await _unreached(day, zone)
    await _recorded(viewer, [(u.booked_through, u.member) for u in found])
    return found


class _TaskOf(Row, frozen=True):
    id: int
    member: int
    event: int
    booked_through: str | None


async def record_call(task_id: int, outcome: CallOutcome, note: str, retry_in_minutes: int, by: Principal) -> _TaskOf:
    """Record how a call went through the service its event's domain answers for (call inside
    the console's write transaction, beside its audit record). Returns whose call it was."""
    found = await CallTask.select(
        _T.id, _T.member, _T.event, _T.event.booked_through.as_alias("booked_through")
    ).where((_T.id == task_id) & _listable()).first()
    if found is None:
        raise NotFound("Call task {task_id} does not exist.", text_values={"task_id": task_id})
    task = row_as(_TaskOf, found)
    source = private_calls(task.booked_through) if task.booked_through in PRIVATE_BOOKING_DOMAINS else None
    if source is not None:
        await source.record_outcome(task_id, outcome, note, retry_in_minutes, by)
    else:
        await record_outcome(task_id, outcome, note, retry_in_minutes)
    return task
