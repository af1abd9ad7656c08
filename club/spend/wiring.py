"""What club.spend gives the app's wiring (club.server): its routes, its console page, its part of
the member's points page and of their console page."""

from __future__ import annotations

from typing import Any

from club.spend import console_pages, pages
from club.spend.routes import ROUTES as API_ROUTES

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "POINTS_SECTIONS", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES]
CONSOLE_PAGES: list[Any] = [*console_pages.CONSOLE_PAGES]
POINTS_SECTIONS: list[Any] = [*pages.POINTS_SECTIONS]
MEMBER_PANELS: list[Any] = [*pages.MEMBER_PANELS]
