"""What the wiring (club.server) takes from travel: routes, jobs, demo seeding, and the legs hook."""

from __future__ import annotations

from typing import Any

from events.legs import LegSource
from travel import console_pages as travel_console
from travel import pages as travel_pages
from travel.demo import seed_demo
from travel.jobs import CRON_JOBS, JOB_FUNCTIONS
from travel.legs import checkpoint, item_anchors, leg_items
from travel.routes import ROUTES

__all__ = ["CONSOLE_PAGES", "CRON_JOBS", "HOME_SECTIONS", "JOB_FUNCTIONS", "LEGS", "MEMBER_PANELS", "PAGES", "ROUTES", "TODAY_SECTIONS", "seed_demo"]

# events.legs' hook: a trip's items for per-leg reminders, the door's meeting points and scans.
LEGS = LegSource(item_anchors=item_anchors, checkpoint=checkpoint, trip_items=leg_items)
# The member pages of this domain (club.server mounts them as pages).
PAGES: list[Any] = list(travel_pages.PAGES)
# Its parts of the member's home page (club.web.home).
HOME_SECTIONS: list[Any] = list(travel_pages.HOME_SECTIONS)
# Its console pages (club.server mounts them for coordinators) and its parts of the console's Today.
CONSOLE_PAGES: list[Any] = [*travel_console.CONSOLE_PAGES]
TODAY_SECTIONS: list[Any] = [*travel_console.TODAY_SECTIONS]
MEMBER_PANELS: list[Any] = [*travel_console.MEMBER_PANELS]
