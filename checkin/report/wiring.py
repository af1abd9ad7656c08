"""What the wiring (club.server) takes from the monthly report: its API and its console pages."""

from __future__ import annotations

from typing import Any

from checkin.report import console_pages
from checkin.report.routes import REPORT_ROUTES

__all__ = ["CONSOLE_PAGES", "ROUTES"]

ROUTES: list[Any] = list(REPORT_ROUTES)
CONSOLE_PAGES: list[Any] = list(console_pages.CONSOLE_PAGES)
