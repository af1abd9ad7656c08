"""What club.year_end gives the app's wiring (club.server): its routes, the member's page, the
console page and its part of the member's home page."""

from __future__ import annotations

from typing import Any

from club.year_end import console_pages, pages
from club.year_end.routes import ROUTES as API_ROUTES

__all__ = ["CONSOLE_PAGES", "HOME_SECTIONS", "PAGES", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES]
PAGES: list[Any] = [*pages.PAGES]
HOME_SECTIONS: list[Any] = [*pages.HOME_SECTIONS]
CONSOLE_PAGES: list[Any] = [*console_pages.CONSOLE_PAGES]
