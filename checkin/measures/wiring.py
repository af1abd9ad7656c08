"""What the wiring (club.server) takes from the measures: the API, the console pages, and the
part of a member's console page."""

from __future__ import annotations

from typing import Any

from checkin.measures import console_pages
from checkin.measures.routes import MEASURES_ROUTES

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "ROUTES"]

ROUTES: list[Any] = list(MEASURES_ROUTES)
CONSOLE_PAGES: list[Any] = list(console_pages.CONSOLE_PAGES)
MEMBER_PANELS: list[Any] = list(console_pages.MEMBER_PANELS)
