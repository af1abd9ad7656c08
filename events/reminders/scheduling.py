"""The schedule as database rows, and arq jobs kept in step with it.

The rows are the truth. RSVP and event changes call `follow_rsvps()` / `follow_event()` inside
their own write transaction, so a confirmed seat and its reminders commit together. Jobs are the
executor: `dispatch()` (every few seconds, and after our own commits) aborts the job of an old
timing and enqueues the new one under a deterministic id naming the event version and the row's
generation; it also re-enqueues whatever is due and missing from Redis, so a Redis restart
loses nothing. A job always re-checks its row, so a stale or duplicate job does nothing.
"""

from __future__ import annotations

import asyncio
import string
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from arq.connections import ArqRedis
from arq.constants import default_queue_name, job_key_prefix, result_key_prefix
from piccolo.columns.combination import Combinable, WhereRaw
from piccolo.query import Select

from club import clock
from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.db import is_sqlite, write_transaction
from club.rows import row_as, rows_as
from events import legs
from events.legs import ItemAnchor
from events.reminders.rows import (
    DeliverySummary,
    DispatchRow,
    EventTiming,
    OutboxRow,
    RsvpTiming,
    RsvpWithEvent,
    ScheduledRow,
    ScheduleTiming,
    StepRow,
)
from events.reminders.rules import QuietHours, anchor_instant, parse_clock, plan_step, quiet_adjust, step_due
from events.reminders.schemas import ScheduledReminderOut
from events.reminders.tables import (
    Anchor,
    Channel,
    DeliveryStatus,
    ReminderDelivery,
    ReminderStep,
    ScheduledReminder,
    ScheduleStatus,
)
from events.tables import Event, EventStatus, OutboxMessage, Rsvp, RsvpStatus

__all__ = [
    "SEND_JOB",
    "STEPS_SQL",
    "DispatchResult",
    "abort_jobs",
    "adopt_outbox",
    "chosen_steps",
    "configure_quiet_hours",
    "dispatch",
    "event_schedule",
    "follow_event",
    "follow_rsvps",
    "item_anchors",
    "job_id",
    "job_id_sql",
    "outbox_payload",
    "plan_targets",
    "planned_for",
    "quiet_hours",
    "reconcile",
    "recover_stuck_sends",
    "steps_for_event",
]

SEND_JOB = "send_reminder"
_INSERT_CHUNK = 500
# Statuses a re-timing may still change; a sent or failed step is history.
_OPEN = frozenset({ScheduleStatus.scheduled, ScheduleStatus.cancelled, ScheduleStatus.skipped})


def _now() -> datetime:
    return clock.now()


# The club's night, set from the settings by the app and the worker at start (and by tests
# that are about quiet hours). Planning needs it: a step can only be brought forward before a
# member's night while that evening is still to come, so it cannot wait for send time.
_quiet = QuietHours(parse_clock("21:00"), parse_clock("08:00"))


def configure_quiet_hours(quiet: QuietHours) -> None:
    global _quiet
    _quiet = quiet


def quiet_hours() -> QuietHours:
    return _quiet


# The arq job id of one timing of one row: a new version or generation is a new job. The
# fields are columns of scheduled_reminder, so the dispatcher can also write a batch's ids in
# SQL (`job_id_sql`); both are read off this one template.
_JOB_ID = "reminder:{id}:v{event_version}:{generation}"


def job_id(scheduled_id: int, event_version: int, generation: int) -> str:
    """The arq job id of one timing of one row."""
    return _JOB_ID.format(id=scheduled_id, event_version=event_version, generation=generation)


def job_id_sql() -> str:
    """`job_id`'s template as an SQL expression over a scheduled_reminder row (both backends)."""
    parts = []
    for literal, column, _, _ in string.Formatter().parse(_JOB_ID):
        if literal:
            parts.append("'" + literal.replace("'", "''") + "'")
        if column:
            parts.append(column)
    return " || ".join(parts)


@dataclass(frozen=True, slots=True)
class _Target:
    """What one (RSVP, step) or (RSVP, step, item) row should say now."""

    key: str
    rsvp: int
    member: int
    step: int
    item: int | None
    channel: Channel
    due_at: datetime
    status: ScheduleStatus
    reason: str


async def item_anchors(event_ids: list[int]) -> dict[int, list[ItemAnchor]]:
    """Each event's itinerary items (id, starts_at, time_zone, venue), for per-leg steps.

    A trip's itinerary lives in travel, above this layer: asked through the events.legs hook."""
    if not event_ids:
        return {}
    return await legs.item_anchors(event_ids)


# One round trip for both sources (an RSVP reads them before its event lock: events.reminders.new_seat).
STEPS_SQL = """
SELECT s.*, 'event' AS source FROM reminder_step s
  JOIN event_reminder_sequence l ON l.sequence = s.sequence WHERE l.event = {}
UNION ALL
SELECT s.*, 'kind' AS source FROM reminder_step s
  JOIN reminder_kind_default k ON k.sequence = s.sequence WHERE k.event_kind = {}
"""


async def steps_for_event(event_id: int, kind: str) -> list[StepRow]:
    """The steps an event's members get: its own sequences, or else its kind's defaults."""
    return chosen_steps(await ReminderStep.raw(STEPS_SQL, event_id, kind))


def chosen_steps(rows: Sequence[dict[str, Any]]) -> list[StepRow]:
    """Of `STEPS_SQL`'s rows, the steps the event's members get: its own sequences' if it has
    any, else its kind's defaults; in sequence and position order."""
    own = [r for r in rows if r["source"] == "event"]
    chosen = rows_as(StepRow, own or [r for r in rows if r["source"] == "kind"])
    return sorted(chosen, key=lambda s: (s.sequence, s.position))


async def _items_for(event_id: int, steps: list[StepRow]) -> list[ItemAnchor]:
    if not any(s.anchor == Anchor.itinerary_item for s in steps):
        return []
    return (await item_anchors([event_id])).get(event_id, [])


def plan_targets(
    event: EventTiming,
    steps: list[StepRow],
    rsvps: Iterable[RsvpTiming],
    now: datetime,
    items: Sequence[ItemAnchor] = (),
) -> list[_Target]:
    targets = []
    zones: dict[str, ZoneInfo] = {}
    quiet = quiet_hours()

    def zone_of(name: str) -> ZoneInfo:
        return zones.get(name) or zones.setdefault(name, ZoneInfo(name))

    def target(
        r: RsvpTiming, s: StepRow, anchor_at: datetime, place: ZoneInfo, night: ZoneInfo, item: int | None
    ) -> _Target:
        # The step's clock time is the place's; the night it must respect is the member's.
        due = step_due(anchor_at, place, s.offset_days, s.offset_minutes, s.at_local_time)
        planned = plan_step(due, now, s.send_to_late_joiners, anchor_at)
        if planned.due_at is not None:
            planned = quiet_adjust(planned.due_at, night, quiet, s.quiet_hours, anchor_at, now)
        status = ScheduleStatus.scheduled if planned.due_at else ScheduleStatus.skipped
        key = f"{r.id}:{s.id}" + (f":i{item}" if item is not None else "")
        return _Target(key, r.id, r.member, s.id, item, s.channel, planned.due_at or due, status, planned.reason)

    venue = zone_of(event.venue_time_zone)
    for r in rsvps:
        for s in steps:
            if s.anchor == Anchor.itinerary_item:
                # One per itinerary item, on the item's own clock: "the evening before at 18:00"
                # is 18:00 where the travelers will be, and so is their night.
                for i in items:
                    leg = zone_of(i.time_zone)
                    targets.append(target(r, s, i.starts_at, leg, leg, i.id))
            else:
                anchor_at = anchor_instant(s.anchor, event.starts_at, event.ends_at)
                targets.append(target(r, s, anchor_at, venue, zone_of(r.tz), None))
    return targets


def planned_for(
    event: EventTiming, step: StepRow, member_id: int, member_zone: str, now: datetime, items: Sequence[ItemAnchor] = ()
) -> list[tuple[int | None, datetime | None, str]]:
    """Where planning would put `step` for a member confirmed at `now` (the console's preview):
    (itinerary item, due time or None, the reason it would not go) per row it would write."""
    rsvp = RsvpTiming(id=0, event=event.id, member=member_id, status=RsvpStatus.confirmed, tz=member_zone)
    return [
        (t.item, t.due_at if t.status == ScheduleStatus.scheduled else None, t.reason)
        for t in plan_targets(event, [step], [rsvp], now, items)
    ]


async def _write(event: EventTiming, targets: list[_Target], now: datetime) -> int:
    """Insert new rows and re-time changed ones, grouped so 1,000 RSVPs cost a few statements."""
    keys = [t.key for t in targets]
    existing: dict[str, ScheduleTiming] = {}
    for i in range(0, len(keys), _INSERT_CHUNK):
        rows = await ScheduledReminder.select(
            ScheduledReminder.schedule_key, ScheduledReminder.id, ScheduledReminder.status,
            ScheduledReminder.due_at, ScheduledReminder.event_version,
        ).where(ScheduledReminder.schedule_key.is_in(keys[i : i + _INSERT_CHUNK]))
        existing.update({r.schedule_key: r for r in rows_as(ScheduleTiming, rows)})
    new = [t for t in targets if t.key not in existing]
    groups: dict[tuple[datetime, ScheduleStatus, str], list[int]] = defaultdict(list)
    for t in targets:
        row = existing.get(t.key)
        if row is None or row.status not in _OPEN:
            continue
        if (row.due_at, row.status, row.event_version) != (t.due_at, t.status, event.version):
            groups[(t.due_at, t.status, t.reason)].append(row.id)
    for i in range(0, len(new), _INSERT_CHUNK):
        await ScheduledReminder.insert(
            *[
                ScheduledReminder(
                    schedule_key=t.key, rsvp=t.rsvp, event=event.id, member=t.member, step=t.step,
                    item=t.item, channel=t.channel.value, due_at=t.due_at, event_version=event.version, generation=0,
                    status=t.status.value, status_reason=t.reason, needs_dispatch=t.status == ScheduleStatus.scheduled,
                    created_at=now, updated_at=now,
                )
                for t in new[i : i + _INSERT_CHUNK]
            ]
        )
    for (due_at, status, reason), ids in groups.items():
        for i in range(0, len(ids), _INSERT_CHUNK):
            await ScheduledReminder.update(
                {
                    ScheduledReminder.due_at: due_at,
                    ScheduledReminder.status: status.value,
                    ScheduledReminder.status_reason: reason,
                    ScheduledReminder.event_version: event.version,
                    ScheduledReminder.generation: ScheduledReminder.generation + 1,
                    ScheduledReminder.needs_dispatch: True,
                    ScheduledReminder.updated_at: now,
                }
            ).where(ScheduledReminder.id.is_in(ids[i : i + _INSERT_CHUNK]))
    return len(new) + sum(len(ids) for ids in groups.values())


async def _cancel(where: Any, reason: str, now: datetime) -> None:
    await ScheduledReminder.update(
        {
            ScheduledReminder.status: ScheduleStatus.cancelled.value,
            ScheduledReminder.status_reason: reason,
            ScheduledReminder.generation: ScheduledReminder.generation + 1,
            ScheduledReminder.needs_dispatch: True,
            ScheduledReminder.updated_at: now,
        }
    ).where(where & (ScheduledReminder.status == ScheduleStatus.scheduled.value) & ScheduledReminder.step.is_not_null())


_EVENT_FIELDS = (Event.id, Event.kind, Event.status, Event.starts_at, Event.ends_at, Event.version, Event.venue_time_zone)
_RSVP_FIELDS = (Rsvp.id, Rsvp.event, Rsvp.member, Rsvp.status, Rsvp.member.time_zone.as_alias("tz"))
_EVENT_KEYS = ("kind", "status", "starts_at", "ends_at", "version", "venue_time_zone")
_RSVP_EVENT_FIELDS = tuple(
    getattr(Rsvp.event, k).as_alias(f"event_{k}") for k in _EVENT_KEYS
)


async def follow_rsvps(rsvp_ids: list[int], now: datetime | None = None) -> int:
    """Bring these RSVPs' reminders in line with their status: a confirmed RSVP gets its steps
    (a past step only if sent to late joiners), any other loses its unsent ones.

    Call inside the write transaction that changed the RSVPs. Returns how many rows changed.
    """
    if not rsvp_ids:
        return 0
    now = now or _now()
    async with write_transaction():
        rsvps = rows_as(
            RsvpWithEvent, await Rsvp.select(*_RSVP_FIELDS, *_RSVP_EVENT_FIELDS).where(Rsvp.id.is_in(list(rsvp_ids)))
        )
        live = [r for r in rsvps if r.status == RsvpStatus.confirmed]
        gone = [r.id for r in rsvps if r.status != RsvpStatus.confirmed]
        if gone:
            await _cancel(ScheduledReminder.rsvp.is_in(gone), "the RSVP is no longer confirmed", now)
        changed = len(gone)
        by_event: dict[int, list[RsvpWithEvent]] = defaultdict(list)
        for r in live:
            by_event[r.event].append(r)
        for event_id, group in by_event.items():
            event = group[0].event_timing()
            if event.status == EventStatus.cancelled:
                continue
            steps = await steps_for_event(event_id, event.kind.value)
            items = await _items_for(event_id, steps)
            changed += await _write(event, plan_targets(event, steps, group, now, items), now)
    return changed


async def follow_event(event_id: int, now: datetime | None = None) -> int:
    """Re-time every unsent step of the event's confirmed RSVPs (after a move, or a change of
    its sequences); a cancelled event loses them all. Call inside the write transaction."""
    now = now or _now()
    async with write_transaction():
        found = await Event.select(*_EVENT_FIELDS).where(Event.id == event_id).first()
        if found is None:
            return 0
        event = row_as(EventTiming, found)
        if event.status == EventStatus.cancelled:
            await _cancel(ScheduledReminder.event == event_id, "the event is cancelled", now)
            return 0
        rsvps = rows_as(RsvpTiming, await Rsvp.select(*_RSVP_FIELDS).where(
            (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
        ))
        steps = await steps_for_event(event_id, event.kind.value)
        # Steps of sequences no longer attached stop; the rest are (re)planned.
        step_ids = [s.id for s in steps]
        orphaned: Combinable = ScheduledReminder.event == event_id
        if step_ids:
            orphaned = orphaned & ScheduledReminder.step.not_in(step_ids)
        await _cancel(orphaned, "its sequence no longer applies to the event", now)
        items = await _items_for(event_id, steps)
        # Per-leg steps of items no longer on the itinerary stop.
        gone_items = (ScheduledReminder.event == event_id) & ScheduledReminder.item.is_not_null()
        if items:
            gone_items = gone_items & ScheduledReminder.item.not_in([i.id for i in items])
        await _cancel(gone_items, "its itinerary item was removed", now)
        return await _write(event, plan_targets(event, steps, rsvps, now, items), now)


def stale_steps_query() -> Select:
    """Scheduled steps whose RSVP is no longer confirmed or whose event is cancelled.

    Read from the scheduled rows (a partial index keeps them apart from the sent history) and
    joined to their RSVP and event by id, rather than listing every non-confirmed RSVP."""
    return ScheduledReminder.select(ScheduledReminder.id).where(
        (ScheduledReminder.status == ScheduleStatus.scheduled.value)
        & ScheduledReminder.step.is_not_null()
        & (
            (ScheduledReminder.rsvp.status != RsvpStatus.confirmed.value)
            | (ScheduledReminder.event.status == EventStatus.cancelled.value)
        )
    )


# An anti-join: `NOT IN (every adopted id)` would read the whole adopted history every poll.
_NOT_ADOPTED = WhereRaw(
    "NOT EXISTS (SELECT 1 FROM scheduled_reminder adopted WHERE adopted.outbox = events_outbox.id)"
)


def unadopted_outbox_query(limit: int = 2000) -> Select:
    """Undelivered outbox messages without a schedule row yet, oldest first."""
    return OutboxMessage.select(
        OutboxMessage.id, OutboxMessage.member, OutboxMessage.event, OutboxMessage.rsvp,
        OutboxMessage.payload, OutboxMessage.created_at,
    ).where(OutboxMessage.delivered_at.is_null() & _NOT_ADOPTED).order_by(OutboxMessage.id).limit(limit)


async def reconcile(now: datetime | None = None) -> int:
    """Cancel unsent steps whose RSVP is no longer confirmed or whose event was cancelled, for
    changes made without calling `follow_rsvps` (a cancellation): jobs re-check anyway."""
    now = now or _now()
    ids = [r["id"] for r in await stale_steps_query()]
    if ids:
        async with write_transaction():
            await _cancel(ScheduledReminder.id.is_in(ids), "the RSVP or the event was cancelled", now)
    return len(ids)


async def adopt_outbox(now: datetime | None = None) -> int:
    """Give every undelivered RSVP-change message (the events outbox) a row of the schedule, so
    the same jobs, retries and exactly-once deliveries carry it. Due at once; email."""
    now = now or _now()
    messages = rows_as(OutboxRow, await unadopted_outbox_query())
    if not messages:
        return 0
    async with write_transaction():
        await ScheduledReminder.insert(
            *[
                ScheduledReminder(
                    schedule_key=f"outbox:{m.id}", rsvp=m.rsvp, event=m.event, member=m.member,
                    outbox=m.id, channel=Channel.email.value, due_at=min(m.created_at, now),
                    event_version=outbox_payload(m.payload).get("version", 1), generation=0,
                    status=ScheduleStatus.scheduled.value, needs_dispatch=True, created_at=now, updated_at=now,
                )
                for m in messages
            ]
        ).on_conflict(target=ScheduledReminder.schedule_key, action="DO NOTHING")
    return len(messages)


def outbox_payload(raw: Any) -> dict[str, Any]:
    """An outbox row's JSON payload as a dict (SQLite hands it back as text)."""
    import json

    return json.loads(raw) if isinstance(raw, str) else dict(raw or {})


async def abort_jobs(queue: ArqRedis, job_ids: list[str]) -> None:
    """Take deferred jobs off the queue. A job already running is not stopped: it finds its
    row re-timed or cancelled and does nothing."""
    if not job_ids:
        return
    async with queue.pipeline(transaction=False) as pipe:
        for jid in job_ids:
            pipe.zrem(default_queue_name, jid)
            pipe.delete(job_key_prefix + jid)
        await pipe.execute()


async def _enqueue(queue: ArqRedis, rows: list[DispatchRow], now: datetime) -> int:
    """Enqueue each row's job unless Redis already has it (queued, running, or finished)."""
    if not rows:
        return 0
    ids = [job_id(r.id, r.event_version, r.generation) for r in rows]
    async with queue.pipeline(transaction=False) as pipe:
        for jid in ids:
            pipe.exists(job_key_prefix + jid, result_key_prefix + jid)
        present = await pipe.execute()
    missing = [(r, jid) for r, jid, n in zip(rows, ids, present) if not n]
    semaphore = asyncio.Semaphore(50)

    async def one(row: DispatchRow, jid: str) -> bool:
        async with semaphore:
            # A delay from our clock, not an instant: arq counts on the system clock, and the
            # two agree except where tests freeze ours.
            job = await queue.enqueue_job(
                SEND_JOB, row.id, row.generation, _job_id=jid, _defer_by=max(timedelta(0), row.due_at - now)
            )
            return job is not None

    results = await asyncio.gather(*(one(r, jid) for r, jid in missing))
    return sum(results)


@dataclass(frozen=True, slots=True)
class DispatchResult:
    enqueued: int
    aborted: int
    cancelled: int
    adopted: int


_DISPATCH_BATCH = 5000


_DISPATCH_FIELDS = (
    ScheduledReminder.id, ScheduledReminder.status, ScheduledReminder.due_at,
    ScheduledReminder.event_version, ScheduledReminder.generation, ScheduledReminder.job_id,
)


def marked_rows_query(horizon: datetime) -> Select:
    """Rows marked for dispatch that need Redis touched now, in due order (the partial index
    on due_at of marked rows gives the order without a sort)."""
    return ScheduledReminder.select(*_DISPATCH_FIELDS).where(
        (ScheduledReminder.needs_dispatch == True)
        & (
            (ScheduledReminder.status != ScheduleStatus.scheduled.value)
            | (ScheduledReminder.due_at <= horizon)
            | ScheduledReminder.job_id.is_not_null()
        )
    ).order_by(ScheduledReminder.due_at).limit(_DISPATCH_BATCH)


def unmarked_due_query(horizon: datetime) -> Select:
    """The full sweep's rows: scheduled, due within the horizon, not marked."""
    return ScheduledReminder.select(*_DISPATCH_FIELDS).where(
        (ScheduledReminder.status == ScheduleStatus.scheduled.value)
        & (ScheduledReminder.due_at <= horizon)
        & (ScheduledReminder.needs_dispatch == False)
    ).order_by(ScheduledReminder.due_at).limit(_DISPATCH_BATCH)


async def dispatch(queue: ArqRedis, horizon_s: float, now: datetime | None = None, *, full: bool = False) -> DispatchResult:
    """Make Redis match the schedule: abort jobs of old timings, enqueue jobs due within the
    horizon. `full` also re-offers every scheduled row in the horizon (arq drops the ones it
    has), which is how jobs lost with Redis come back. Safe to run in several workers at once."""
    now = now or _now()
    cancelled = await reconcile(now)
    adopted = await adopt_outbox(now)
    await recover_stuck_sends(now)
    horizon = now + timedelta(seconds=horizon_s)
    rows = rows_as(DispatchRow, await marked_rows_query(horizon))
    wanted = {r.id: job_id(r.id, r.event_version, r.generation) for r in rows}
    stale = [r.job_id for r in rows if r.job_id and r.job_id != wanted[r.id]]
    await abort_jobs(queue, stale)
    to_enqueue = [r for r in rows if r.status == ScheduleStatus.scheduled and r.due_at <= horizon]
    if full:
        seen = {r.id for r in rows}
        extra = rows_as(DispatchRow, await unmarked_due_query(horizon))
        to_enqueue += [r for r in extra if r.id not in seen]
    enqueued = await _enqueue(queue, to_enqueue, now)
    await _mark_dispatched(rows, horizon)
    return DispatchResult(enqueued, len(stale), cancelled, adopted)


async def _mark_dispatched(rows: list[DispatchRow], horizon: datetime) -> None:
    """Record which job each row now has, unless the row was re-timed meanwhile (its generation
    moved on: then it stays marked and the next dispatch handles it)."""
    if not rows:
        return
    by_generation: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for r in rows:
        queued = r.status == ScheduleStatus.scheduled and r.due_at <= horizon
        by_generation[(r.generation, queued)].append(r.id)
    false = "0" if is_sqlite() else "false"
    async with write_transaction():
        for (generation, queued), ids in by_generation.items():
            for i in range(0, len(ids), _INSERT_CHUNK):
                chunk = ids[i : i + _INSERT_CHUNK]
                marks = ", ".join("{}" for _ in chunk)
                if queued:
                    # The id is derived in SQL (from job_id's template) so a batch is one statement.
                    sets = f"needs_dispatch = {false}, job_id = {job_id_sql()}"
                else:
                    # Beyond the horizon stays marked for later; anything not scheduled is done.
                    sets = f"job_id = NULL, needs_dispatch = (status = '{ScheduleStatus.scheduled.value}')"
                await ScheduledReminder.raw(
                    f"UPDATE scheduled_reminder SET {sets} WHERE generation = {{}} AND id IN ({marks})",
                    generation, *chunk,
                )


async def recover_stuck_sends(now: datetime | None = None) -> int:
    """Rows whose send was claimed by a worker that died (its lease has passed) get a new
    generation, hence a new job; the delivery row keeps the send to one.

    The same transaction hands the send back (retry, due now), so a stuck send is recovered
    once: bumping the generation on every dispatch let each stale job's dispatch make the next
    job stale too, and the jobs chased their own generations without ever sending."""
    now = now or _now()
    D = ReminderDelivery
    stuck = (D.status == DeliveryStatus.sending.value) & (D.lease_until < now)
    if not await D.exists().where(stuck):
        return 0
    async with write_transaction():
        recovered = await D.update(
            {D.status: DeliveryStatus.retry.value, D.next_attempt_at: now, D.lease_until: None}
        ).where(stuck).returning(D.scheduled)
        ids = [r["scheduled"] for r in recovered]
        if ids:
            await ScheduledReminder.update(
                {
                    ScheduledReminder.due_at: now,
                    ScheduledReminder.generation: ScheduledReminder.generation + 1,
                    ScheduledReminder.needs_dispatch: True,
                    ScheduledReminder.updated_at: now,
                }
            ).where(ScheduledReminder.id.is_in(ids) & (ScheduledReminder.status == ScheduleStatus.scheduled.value))
    return len(ids)


async def event_schedule(event_id: int, viewer: Principal) -> list[ScheduledReminderOut]:
    """The event's schedule as coordinators read it: every row, with its latest delivery.

    It names who comes, so a member is told the event does not exist, and an event whose
    bookings are private (a clinic's slot) is read through its own domain's audited routes."""
    from events.catalog import load_listable_event  # catalog re-plans through this module

    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    await load_listable_event(event_id, viewer)
    rows = rows_as(ScheduledRow, await ScheduledReminder.select().where(ScheduledReminder.event == event_id).order_by(
        ScheduledReminder.due_at
    ).order_by(ScheduledReminder.id))
    deliveries = rows_as(DeliverySummary, await ReminderDelivery.select(
        ReminderDelivery.scheduled, ReminderDelivery.status, ReminderDelivery.attempts, ReminderDelivery.last_error
    ).where(ReminderDelivery.scheduled.is_in([r.id for r in rows] or [0])).order_by(ReminderDelivery.id))
    latest = {d.scheduled: d for d in deliveries}

    def out(r: ScheduledRow, d: DeliverySummary | None) -> ScheduledReminderOut:
        return ScheduledReminderOut(
            id=r.id, rsvp_id=r.rsvp, member_id=r.member, step_id=r.step, item_id=r.item,
            outbox_message_id=r.outbox,
            channel=r.channel, due_at=r.due_at, event_version=r.event_version, status=r.status,
            status_reason=r.status_reason,
            delivery_status=d.status if d else None,
            attempts=d.attempts if d else 0,
            last_error=(d.last_error or None) if d else None,
        )

    return [out(r, latest.get(r.id)) for r in rows]
