"""What club.expiry gives the app's wiring (club.server): its routes, its console page, its part
of the member's points page, and its job with its hourly cron."""

from __future__ import annotations

from typing import Any

from arq import cron

from club.expiry import console_pages, pages
from club.expiry.jobs import expire_points
from club.expiry.routes import ROUTES as API_ROUTES

__all__ = ["CONSOLE_PAGES", "CRON_JOBS", "JOB_FUNCTIONS", "POINTS_SECTIONS", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES]
CONSOLE_PAGES: list[Any] = [*console_pages.CONSOLE_PAGES]
POINTS_SECTIONS: list[Any] = [*pages.POINTS_SECTIONS]
JOB_FUNCTIONS: list[Any] = [expire_points]
# Hourly: a date runs in the first hour after its end on the club's clock, whatever the DST night.
CRON_JOBS: list[Any] = [cron(expire_points, minute=20, unique=True)]
