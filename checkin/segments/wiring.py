"""What the wiring (club.server) takes from the saved segments: the API and the console pages
(its jobs stand in checkin.wiring's, with the domain's others)."""

from __future__ import annotations

from typing import Any

from checkin.segments import console_pages
from checkin.segments.routes import SEGMENT_ROUTES

__all__ = ["CONSOLE_PAGES", "ROUTES"]

ROUTES: list[Any] = list(SEGMENT_ROUTES)
CONSOLE_PAGES: list[Any] = list(console_pages.CONSOLE_PAGES)
