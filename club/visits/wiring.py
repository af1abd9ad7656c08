"""What club.visits gives the app's wiring (club.server): its routes (the counter page among them), its member pages and its home section."""

from __future__ import annotations

from typing import Any

from club.visits import pages
from club.visits.routes import ROUTES as API_ROUTES

__all__ = ["HOME_SECTIONS", "PAGES", "ROUTES"]

ROUTES: list[Any] = [*API_ROUTES, *pages.PUBLIC_PAGES]
PAGES: list[Any] = [*pages.PAGES]
HOME_SECTIONS: list[Any] = [*pages.HOME_SECTIONS]
