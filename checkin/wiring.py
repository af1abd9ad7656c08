"""What the wiring (club.server) takes from checkin: its routes, jobs and cron jobs."""

from __future__ import annotations

from typing import Any

from arq import cron

from checkin.jobs import record_no_shows
from checkin.routes import CHECKIN_ROUTES

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "ROUTES"]

ROUTES: list[Any] = list(CHECKIN_ROUTES)
JOB_FUNCTIONS: list[Any] = [record_no_shows]
CRON_JOBS: list[Any] = [cron(record_no_shows, minute=set(range(0, 60, 10)), unique=True)]
