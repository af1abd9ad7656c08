"""Prints how long reminders take to schedule and to reschedule, and how fast one worker delivers.

For each backend (a temp SQLite file; a temp PostgreSQL database on DATABASE_URL or
postgresql://postgres@127.0.0.1:5432/postgres) with an embedded Redis (or REDIS_URL):
1. schedule 10,000 reminders: 2,000 confirmed RSVPs x a 5-step sequence (members in three
   zones), as rows in one transaction, then queued in arq by the dispatcher;
2. reschedule an event with 1,000 confirmed RSVPs (3 steps each) by moving it two hours through
   `update_event` (rows re-timed in its transaction, plus 1,000 "moved" notices), then abort the
   old jobs and enqueue the new ones;
3. deliver 2,000 due reminders with one in-process arq worker (embedded outbox channel).

    .venv/bin/python bench/reminders.py [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from arq import create_pool
from arq.connections import ArqRedis

from bench.scratch import scratch_backend
from club.db import connection_pool, write_transaction
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.server.worker import make_worker, redis_settings
from club.settings import Settings
from club.tables import Member
from events.catalog import update_event
from events.reminders.scheduling import dispatch, follow_event
from events.reminders.tables import (
    Anchor,
    EventReminderSequence,
    ReminderSequence,
    ReminderStep,
    ScheduledReminder,
)
from events.schemas import EventUpdate
from events.tables import Event, OutboxMessage, Rsvp
from tests.concurrency.bulk import bulk_members

ZONES = ["Europe/Paris", "Asia/Shanghai", "America/New_York"]
HORIZON_S = 30 * 24 * 3600.0  # queue everything, so the enqueue cost is measured in full


async def _event(start: datetime, steps: list[dict[str, object]]) -> int:
    now = datetime.now(UTC)
    async with write_transaction():
        rows = await Event.insert(
            Event(kind="salon", title="Bench salon", venue="Maison", venue_time_zone="Europe/Paris",
                  starts_at=start, ends_at=start + timedelta(hours=2), capacity=100_000, status="published",
                  version=1, created_at=now, updated_at=now)
        ).returning(Event.id)
        event_id = rows[0]["id"]
        seq = await ReminderSequence.insert(ReminderSequence(name="Bench", created_at=now)).returning(ReminderSequence.id)
        await ReminderStep.insert(
            *[ReminderStep(sequence=seq[0]["id"], position=i, anchor=Anchor.event_start.value, channel="email", template="Dear {member_name}, {local_time}", **s)
              for i, s in enumerate(steps, start=1)]
        )
        await EventReminderSequence.insert(
            EventReminderSequence(event=event_id, sequence=seq[0]["id"], link_key=f"{event_id}:{seq[0]['id']}", created_at=now)
        )
    return event_id


async def _confirm(event_id: int, member_ids: list[int]) -> None:
    now = datetime.now(UTC)
    for i in range(0, len(member_ids), 500):
        async with write_transaction():
            await Rsvp.insert(
                *[Rsvp(event=event_id, member=m, rsvp_key=f"{event_id}:{m}", status="confirmed", created_at=now, confirmed_at=now)
                  for m in member_ids[i : i + 500]]
            )


async def _dispatch_all(queue: ArqRedis) -> int:
    """The dispatcher takes batches (the cron runs every few seconds); run it until done."""
    total = 0
    while (enqueued := (await dispatch(queue, HORIZON_S)).enqueued) > 0:
        total += enqueued
    return total


def _line(label: str, seconds: float, count: int, unit: str) -> str:
    return f"  {label:<58} {seconds:7.2f} s   ({count / seconds:,.0f} {unit}/s)"


async def _run(settings: Settings) -> list[str]:
    configure_database(settings)
    out: list[str] = []
    async with connection_pool(max_size=20):
        await migrate()
        members = [c.member_id for c in await bulk_members(2000)]
        for i, zone in enumerate(ZONES):
            await Member.update({Member.time_zone: zone}).where(Member.id.is_in(members[i::len(ZONES)]))
        queue = await create_pool(redis_settings(settings.redis_url or ""))
        await queue.flushdb()
        try:
            start = datetime.now(UTC) + timedelta(days=10)
            five = [{"offset_days": -d, "at_local_time": "18:00"} for d in (1, 2, 3)] + [
                {"offset_minutes": -m} for m in (120, 30)
            ]
            big = await _event(start, five)
            await _confirm(big, members)
            t0 = time.perf_counter()
            async with write_transaction():
                rows = await follow_event(big)
            out.append(_line(f"schedule {rows:,} reminders (rows, one transaction)", time.perf_counter() - t0, rows, "reminders"))
            t0 = time.perf_counter()
            queued = await _dispatch_all(queue)
            out.append(_line(f"queue them in arq ({queued:,} deferred jobs)", time.perf_counter() - t0, queued, "jobs"))

            moving = await _event(start, five[:3])
            await _confirm(moving, members[:1000])
            async with write_transaction():
                await follow_event(moving)
            await _dispatch_all(queue)
            t0 = time.perf_counter()
            await update_event(moving, EventUpdate(starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=4)))
            moved = await ScheduledReminder.count().where((ScheduledReminder.event == moving) & (ScheduledReminder.event_version == 2))
            out.append(_line(f"move an event with 1,000 RSVPs ({moved:,} steps re-timed)", time.perf_counter() - t0, moved, "steps"))
            t0 = time.perf_counter()
            result = await dispatch(queue, HORIZON_S)
            out.append(_line(
                f"abort {result.aborted:,} old jobs, enqueue {result.enqueued:,} (incl. {result.adopted:,} notices)",
                time.perf_counter() - t0, result.enqueued, "jobs",
            ))

            # Throughput: a clean queue, and only 2,000 reminders that are due now.
            await queue.flushdb()
            async with write_transaction():
                await ScheduledReminder.update({ScheduledReminder.status: "cancelled"}, force=True)
                await OutboxMessage.update({OutboxMessage.delivered_at: datetime.now(UTC)}, force=True)
            soon = await _event(datetime.now(UTC) + timedelta(hours=1), [{"offset_days": -1}, {"offset_days": -2}])
            await _confirm(soon, members[:1000])
            async with write_transaction():
                due = await follow_event(soon)
            await dispatch(queue, HORIZON_S)
            awake = replace(settings, quiet_hours_start="00:00", quiet_hours_end="00:00")
            worker = make_worker(awake, in_process=True, burst=True, poll_delay=0.05)
            t0 = time.perf_counter()
            await worker.async_run()
            seconds = time.perf_counter() - t0
            await worker.close()
            sent = await ScheduledReminder.count().where((ScheduledReminder.event == soon) & (ScheduledReminder.status == "sent"))
            out.append(_line(f"one worker delivers {sent:,} of {due:,} due reminders", seconds, sent, "deliveries"))
        finally:
            await queue.flushdb()
            await queue.aclose()
    return out


async def bench(backend: str) -> list[str]:
    async with scratch_backend(backend, "reminders") as settings:
        return await _run(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        lines = asyncio.run(bench(backend))
        print(f"{backend}:")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
