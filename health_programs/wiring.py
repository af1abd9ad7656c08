"""What the wiring (club.server) takes from health_programs: routes, jobs, demo seeding, hooks."""

from __future__ import annotations

from typing import Any

from events.reminders.call_sources import PrivateCalls
from health_programs import console_pages as health_console
from health_programs import pages as health_pages
from health_programs.audit import record_reads
from health_programs.calls import record_health_call
from health_programs.demo import seed_demo
from health_programs.jobs import CRON_JOBS, JOB_FUNCTIONS
from health_programs.programs import THROUGH
from health_programs.routes import ROUTES

__all__ = ["CONSOLE_PAGES", "CRON_JOBS", "HOME_SECTIONS", "JOB_FUNCTIONS", "MEMBER_PANELS", "PAGES", "PRIVATE_BOOKING_DOMAIN", "PRIVATE_CALLS", "ROUTES", "TODAY_SECTIONS", "seed_demo"]

# Its events hold health data: events keeps who is booked for them out of its generic lists.
PRIVATE_BOOKING_DOMAIN = THROUGH
# Its concierge calls on the console's call list: each read recorded in its access audit, each
# outcome recorded through its own service.
PRIVATE_CALLS = PrivateCalls(THROUGH, record_reads, record_health_call)
# The member pages of this domain (club.server mounts them as pages).
PAGES: list[Any] = list(health_pages.PAGES)
# Its parts of the member's home page (club.web.home).
HOME_SECTIONS: list[Any] = list(health_pages.HOME_SECTIONS)
# Its console pages (club.server mounts them for coordinators) and its parts of the console's Today.
CONSOLE_PAGES: list[Any] = [*health_console.CONSOLE_PAGES]
TODAY_SECTIONS: list[Any] = [*health_console.TODAY_SECTIONS]
MEMBER_PANELS: list[Any] = [*health_console.MEMBER_PANELS]
