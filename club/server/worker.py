"""The arq worker: its job functions, its cron, its start-up, and how it outlives Redis.

`club worker` runs it as its own process against REDIS_URL (start several for more
throughput); in embedded mode `club serve` runs one inside the web process. Either way a
Redis outage does not end it: it says so in its log, keeps its heartbeat, retries with a
capped backoff and takes up the queue again when Redis answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis.exceptions
from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker

from checkin import wiring as checkin_wiring
from club import clock, worker_health
from club.db import connection_pool
from club.expiry import wiring as expiry_wiring
from club.jobs import award_birthday_points, end_idle_web_sessions, purge_dead_sign_in_codes
from club.server.wiring import configure_database
from club.settings import Settings
from events import wiring as events_wiring
from events.expiry_reminders import send_expiry_reminders_job
from events.reminders.delivery import quiet_hours_of
from events.reminders.jobs import send_reminder
from events.reminders.scheduling import configure_quiet_hours
from health_programs import wiring as health_wiring
from travel import wiring as travel_wiring

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "Backoff", "ClubWorker", "make_worker", "redacted", "redis_settings"]

log = logging.getLogger("club.worker")

_STOP_STEP_TIMEOUT_S = 5.0

# What a lost Redis looks like from redis-py and asyncio (BusyLoadingError, while a restarted
# Redis reads its append-only file, is a ConnectionError).
REDIS_DOWN: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
    asyncio.TimeoutError,
)

# The club core's own jobs, then each domain's (from its wiring module).
JOB_FUNCTIONS: list[Any] = [
    award_birthday_points,
    end_idle_web_sessions,
    purge_dead_sign_in_codes,
    *events_wiring.JOB_FUNCTIONS,
    *checkin_wiring.JOB_FUNCTIONS,
    *health_wiring.JOB_FUNCTIONS,
    *travel_wiring.JOB_FUNCTIONS,
    *expiry_wiring.JOB_FUNCTIONS,
    send_expiry_reminders_job,
]
CRON_JOBS = [
    cron(award_birthday_points, minute=5, unique=True),
    cron(end_idle_web_sessions, hour=4, minute=10, unique=True),
    cron(purge_dead_sign_in_codes, hour=4, minute=20, unique=True),
    *events_wiring.CRON_JOBS,
    *checkin_wiring.CRON_JOBS,
    *health_wiring.CRON_JOBS,
    *travel_wiring.CRON_JOBS,
    *expiry_wiring.CRON_JOBS,
    # Points expiry's reminders, the night's held ones in the morning (events.expiry_reminders).
    cron(send_expiry_reminders_job, minute={25, 55}, unique=True),
]


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


def redacted(url: str) -> str:
    """The URL with its password replaced, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


@dataclasses.dataclass
class Backoff:
    """Waits of 1 s, 2 s, 4 s … up to `cap_s`, starting over after `reset()`."""

    first_s: float = 1.0
    cap_s: float = 30.0
    _next_s: float = 0.0

    def next(self) -> float:
        delay = self._next_s or self.first_s
        self._next_s = min(self.cap_s, delay * 2)
        return delay

    def reset(self) -> None:
        self._next_s = 0.0


class ClubWorker(Worker):
    """arq's Worker, bound to the club's database, with a heartbeat and a Redis it waits for.

    arq's own loop ends at the first Redis error; here any such error in it (connecting,
    polling, a job's bookkeeping) is logged, waited out with a backoff, and the loop entered
    again. Jobs already running go on meanwhile. A job whose result could not be written runs
    again later, which arq allows and the jobs' idempotency keys make harmless.
    """

    def __init__(self, settings: Settings, *, in_process: bool = False, **options: Any) -> None:
        super().__init__(**options)
        self.settings = settings
        self.in_process = in_process
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._started_at = clock.now()
        self._database: contextlib.AsyncExitStack | None = None
        self._backoff = Backoff()
        self._redis_down_since: Any = None
        self._redis_error = ""
        self._last_beat = -float("inf")
        self._beat_failing = False

    async def main(self) -> None:
        await self._open_database()
        while True:
            try:
                await super().main()
                return
            except REDIS_DOWN as exc:
                await self._wait_for_redis(exc)

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        for job_id in job_ids:
            try:
                await super().start_jobs([job_id])
            except REDIS_DOWN:
                # arq took a job slot before asking Redis about the job and, on this error,
                # never gives it back: unreturned, each outage would shrink max_jobs by one.
                self.job_counter -= 1
                self.sem.release()
                raise
            if self.job_counter >= self.max_jobs:
                return

    async def heart_beat(self) -> None:
        # Called after a poll that reached Redis: if Redis was down, it is back.
        if self._redis_down_since is not None:
            down_s = (clock.now() - self._redis_down_since).total_seconds()
            log.info("Redis at %s answers again after %.0f s; taking up jobs", self._redis_url, down_s)
            self._redis_down_since, self._redis_error = None, ""
            self._backoff.reset()
            self._last_beat = -float("inf")
        await self._beat()
        await super().heart_beat()

    async def close(self) -> None:
        try:
            await super().close()
        except REDIS_DOWN as exc:
            log.warning("Redis unreachable at %s while the worker stopped (%s)", self._redis_url, type(exc).__name__)
            if self._pool is not None:
                await self._pool.close(close_connection_pool=True)
                self._pool = None
        finally:
            await self._close_database()

    @property
    def _redis_url(self) -> str:
        return redacted(self.settings.redis_url or "")

    async def _open_database(self) -> None:
        if self._database is not None:
            return
        configure_database(self.settings)
        if not self.in_process:  # one inside the web process plans with the app's night, not its own
            configure_quiet_hours(quiet_hours_of(self.settings))
        self._database = contextlib.AsyncExitStack()
        await self._database.enter_async_context(connection_pool(max_size=10))
        self.ctx["settings"] = self.settings
        with contextlib.suppress(Exception):  # housekeeping only; the beat says what matters
            await worker_health.forget_departed()

    async def _close_database(self) -> None:
        """Say "stopped" and close the pool, each in bounded time: a stop must not hang on a
        database that is gone or on a connection a cancelled job never gave back."""
        if self._database is None:
            return
        database, self._database = self._database, None
        with contextlib.suppress(Exception):
            await asyncio.wait_for(worker_health.mark_stopped(self.name), _STOP_STEP_TIMEOUT_S)
        try:
            await asyncio.wait_for(database.aclose(), _STOP_STEP_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - the process is ending; say so and go on
            log.warning("the worker's database pool did not close cleanly (%s)", type(exc).__name__)

    async def _wait_for_redis(self, exc: BaseException) -> None:
        """Back off until Redis answers a ping (or, never connected yet, until the next try)."""
        if self._redis_down_since is None:
            self._redis_down_since = clock.now()
        self._redis_error = type(exc).__name__
        while True:
            delay = self._backoff.next()
            log.warning("Redis unreachable at %s (%s); retrying in %g s", self._redis_url, self._redis_error, delay)
            self._last_beat = -float("inf")
            deadline = time.monotonic() + delay
            while True:
                await self._beat()
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                await asyncio.sleep(min(left, worker_health.BEAT_EVERY_S))
            if self._pool is None:
                return  # arq's connect in main() is the probe
            try:
                await self._pool.ping()
            except REDIS_DOWN as again:
                self._redis_error = type(again).__name__
            else:
                return

    async def _beat(self) -> None:
        """Write the heartbeat row, at most every BEAT_EVERY_S; a database error only logs."""
        if time.monotonic() - self._last_beat < worker_health.BEAT_EVERY_S:
            return
        self._last_beat = time.monotonic()
        facts = worker_health.WorkerBeat(
            name=self.name, started_at=self._started_at, redis_down_since=self._redis_down_since,
            redis_error=self._redis_error, jobs_complete=self.jobs_complete, jobs_failed=self.jobs_failed,
            jobs_ongoing=sum(not t.done() for t in self.tasks.values()),
        )
        try:
            # Shielded: a stop arriving mid-beat must not leave its transaction (and the row's
            # lock, which the "stopped" mark then waits for) half done.
            await asyncio.shield(worker_health.beat(facts))
        except Exception as exc:  # noqa: BLE001 - a heartbeat must never stop the jobs
            if not self._beat_failing:
                log.warning("could not record the worker's heartbeat (%s); jobs go on", type(exc).__name__)
            self._beat_failing = True
        else:
            if self._beat_failing:
                log.info("the worker's heartbeat is recorded again")
            self._beat_failing = False


def make_worker(settings: Settings, *, in_process: bool, **overrides: Any) -> ClubWorker:
    """A worker for `settings.redis_url`. In-process workers share the app's engine and pool."""
    assert settings.redis_url, "a worker needs a Redis URL (embedded mode starts one first)"
    options: dict[str, Any] = {
        # A reminder send must end before its lease does, or a live send could be taken over.
        "functions": [
            func(f, timeout=min(120, 0.8 * settings.reminder_send_lease_s)) if f is send_reminder else f
            for f in JOB_FUNCTIONS
        ],
        "cron_jobs": CRON_JOBS,
        # No retries inside arq's connect: ClubWorker retries, with a backoff and a log line.
        "redis_settings": dataclasses.replace(redis_settings(settings.redis_url), conn_retries=0),
        "handle_signals": not in_process,
        "max_jobs": 20,
        "job_timeout": 120,
        "keep_result": 3600,
    }
    options.update(overrides)
    return ClubWorker(settings, in_process=in_process, **options)
