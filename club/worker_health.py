"""The job workers' heartbeats: each worker's row as it runs, and the state coordinators read.

A worker writes its row every few seconds (`BEAT_EVERY_S`), also while it waits out a Redis
outage, so `/healthz` can tell "alive", "waiting for Redis", "stale" (no word for longer than
`STALE_AFTER_S`: killed, hung or cut off from the database) and "stopped".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from club import clock
from club.db import write_transaction
from club.rows import Row, rows_as
from club.tables import WorkerHeartbeat

__all__ = [
    "BEAT_EVERY_S",
    "STALE_AFTER_S",
    "HeartbeatRow",
    "WorkerBeat",
    "WorkerCondition",
    "WorkerState",
    "beat",
    "forget_departed",
    "mark_stopped",
    "overall_state",
    "state_of",
    "worker_states",
]

BEAT_EVERY_S = 5.0
# Six missed beats: a busy event loop may delay one, never six.
STALE_AFTER_S = 30.0
# Rows of workers long gone are dropped when a worker starts, so the list stays current.
_FORGET_STOPPED_AFTER = timedelta(hours=1)
_FORGET_SILENT_AFTER = timedelta(days=1)


class WorkerCondition(str, Enum):
    """A worker's state, best first: `overall_state` names the best any worker is in."""

    alive = "alive"
    waiting_for_redis = "waiting_for_redis"
    stale = "stale"
    stopped = "stopped"
    none = "none"  # the service's state when no worker ever beat; never one worker's


@dataclass(frozen=True, slots=True)
class WorkerBeat:
    """What a worker says about itself at one beat."""

    name: str
    started_at: datetime
    redis_down_since: datetime | None = None
    redis_error: str = ""
    jobs_complete: int = 0
    jobs_failed: int = 0
    jobs_ongoing: int = 0


@dataclass(frozen=True, slots=True)
class WorkerState:
    name: str
    state: WorkerCondition
    last_heartbeat: datetime
    started_at: datetime
    redis_down_since: datetime | None
    jobs_complete: int
    jobs_failed: int
    jobs_ongoing: int


async def beat(facts: WorkerBeat) -> None:
    """Record that the worker `facts.name` is alive now, with its counts and Redis's state."""
    values: dict[Any, Any] = {
        WorkerHeartbeat.beat_at: clock.now(),
        WorkerHeartbeat.redis_ok: facts.redis_down_since is None,
        WorkerHeartbeat.redis_down_since: facts.redis_down_since,
        WorkerHeartbeat.redis_error: facts.redis_error[:100],
        WorkerHeartbeat.jobs_complete: facts.jobs_complete,
        WorkerHeartbeat.jobs_failed: facts.jobs_failed,
        WorkerHeartbeat.jobs_ongoing: facts.jobs_ongoing,
        WorkerHeartbeat.stopped_at: None,
        WorkerHeartbeat.started_at: facts.started_at,
    }
    async with write_transaction():
        updated = await WorkerHeartbeat.update(values).where(WorkerHeartbeat.name == facts.name).returning(
            WorkerHeartbeat.id
        )
        if not updated:
            await WorkerHeartbeat.insert(
                WorkerHeartbeat(name=facts.name, **{column._meta.name: value for column, value in values.items()})
            )


async def forget_departed() -> None:
    """Drop the rows of workers that stopped an hour ago or fell silent a day ago."""
    now = clock.now()
    async with write_transaction():
        await WorkerHeartbeat.delete().where(
            (WorkerHeartbeat.stopped_at < now - _FORGET_STOPPED_AFTER)
            | (WorkerHeartbeat.beat_at < now - _FORGET_SILENT_AFTER)
        )


async def mark_stopped(name: str) -> None:
    now = clock.now()
    async with write_transaction():
        await WorkerHeartbeat.update(
            {WorkerHeartbeat.stopped_at: now, WorkerHeartbeat.beat_at: now, WorkerHeartbeat.jobs_ongoing: 0}
        ).where(WorkerHeartbeat.name == name)


class HeartbeatRow(Row, frozen=True):
    """A worker's row as its last beat left it."""

    name: str
    beat_at: datetime
    started_at: datetime
    stopped_at: datetime | None
    redis_ok: bool
    redis_down_since: datetime | None
    jobs_complete: int
    jobs_failed: int
    jobs_ongoing: int


def state_of(row: HeartbeatRow, now: datetime) -> WorkerCondition:
    """One worker's state from its row: stopped wins, then silence, then what it last said."""
    if row.stopped_at is not None:
        return WorkerCondition.stopped
    if (now - row.beat_at).total_seconds() > STALE_AFTER_S:
        return WorkerCondition.stale
    return WorkerCondition.alive if row.redis_ok else WorkerCondition.waiting_for_redis


def overall_state(states: list[WorkerCondition]) -> WorkerCondition:
    """The service's worker state: the best any worker is in (`none` when none ever beat)."""
    return next((state for state in WorkerCondition if state in states), WorkerCondition.none)


async def worker_states() -> list[WorkerState]:
    """Every remembered worker, the most recent beat first."""
    now = clock.now()
    rows = rows_as(HeartbeatRow, await WorkerHeartbeat.select(
        WorkerHeartbeat.name, WorkerHeartbeat.beat_at, WorkerHeartbeat.started_at, WorkerHeartbeat.stopped_at,
        WorkerHeartbeat.redis_ok, WorkerHeartbeat.redis_down_since, WorkerHeartbeat.jobs_complete,
        WorkerHeartbeat.jobs_failed, WorkerHeartbeat.jobs_ongoing,
    ).order_by(WorkerHeartbeat.beat_at, ascending=False))
    return [
        WorkerState(
            name=r.name, state=state_of(r, now), last_heartbeat=r.beat_at, started_at=r.started_at,
            redis_down_since=r.redis_down_since, jobs_complete=r.jobs_complete,
            jobs_failed=r.jobs_failed, jobs_ongoing=r.jobs_ongoing,
        )
        for r in rows
    ]
