"""The arq worker: its job functions, its cron, and its start-up (database binding).

`club worker` runs it as its own process against REDIS_URL (start several for more
throughput); in embedded mode `club serve` runs one inside the web process.
"""

from __future__ import annotations

import contextlib
from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker

from checkin.jobs import record_no_shows
from club.db import configure_database, connection_pool
from club.jobs import award_birthday_points
from club.settings import Settings
from events.reminders.jobs import dispatch_reminders, send_reminder, sweep_reminders
from events.shows import jobs as show_jobs
from health_programs import jobs as health_jobs
from travel import jobs as travel_jobs

__all__ = ["JOB_FUNCTIONS", "CRON_JOBS", "make_worker", "redis_settings"]

JOB_FUNCTIONS: list[Any] = [
    award_birthday_points,
    record_no_shows,
    send_reminder,
    dispatch_reminders,
    sweep_reminders,
    *show_jobs.JOB_FUNCTIONS,
    *health_jobs.JOB_FUNCTIONS,
    *travel_jobs.JOB_FUNCTIONS,
]
CRON_JOBS = [
    cron(award_birthday_points, minute=5, unique=True),
    cron(record_no_shows, minute=set(range(0, 60, 10)), unique=True),
    # Reminders: queue schedule changes within seconds; re-offer everything once a minute.
    cron(dispatch_reminders, second=set(range(0, 60, 5)), unique=True, run_at_startup=True),
    cron(sweep_reminders, second=30, unique=True),
    *show_jobs.CRON_JOBS,
    *health_jobs.CRON_JOBS,
    *travel_jobs.CRON_JOBS,
]


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


def make_worker(settings: Settings, *, in_process: bool, **overrides: Any) -> Worker:
    """A worker for `settings.redis_url`. In-process workers share the app's engine and pool."""
    assert settings.redis_url, "a worker needs a Redis URL (embedded mode starts one first)"

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_database(settings)
        resources = contextlib.AsyncExitStack()
        await resources.enter_async_context(connection_pool(max_size=10))
        ctx["settings"] = settings
        ctx["resources"] = resources

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await ctx["resources"].aclose()

    options: dict[str, Any] = {
        # A reminder send must end before its lease does, or a live send could be taken over.
        "functions": [
            func(f, timeout=min(120, 0.8 * settings.reminder_send_lease_s)) if f is send_reminder else f
            for f in JOB_FUNCTIONS
        ],
        "cron_jobs": CRON_JOBS,
        "redis_settings": redis_settings(settings.redis_url),
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "handle_signals": not in_process,
        "max_jobs": 20,
        "job_timeout": 120,
        "keep_result": 3600,
    }
    options.update(overrides)
    return Worker(**options)
