"""What club.multipliers gives the app's wiring (club.server): its routes, its console page and
the member's bonus-day page."""

from __future__ import annotations

from typing import Any

from club.multipliers import console_pages, pages
from club.multipliers.routes import ROUTES as API_ROUTES

__all__ = ["CONSOLE_PAGES", "PAGES", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES]
PAGES: list[Any] = [*pages.PAGES]
CONSOLE_PAGES: list[Any] = [*console_pages.CONSOLE_PAGES]
