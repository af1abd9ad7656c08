"""What club.honours gives the app's wiring (club.server): its routes, member page, console page
and its part of the member's home page."""

from __future__ import annotations

from typing import Any

from club.honours import console_pages, pages
from club.honours.routes import ROUTES as API_ROUTES

__all__ = ["CONSOLE_PAGES", "HOME_SECTIONS", "PAGES", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES]
PAGES: list[Any] = [*pages.PAGES]
HOME_SECTIONS: list[Any] = [*pages.HOME_SECTIONS]
CONSOLE_PAGES: list[Any] = [*console_pages.CONSOLE_PAGES]
