"""What the wiring (club.server) takes from checkin: its routes, jobs and cron jobs, and the
ticket a message carries (events.ticket_mail's hook)."""

from __future__ import annotations

from typing import Any

from arq import cron

from checkin import console_pages as checkin_console
from checkin import pages as checkin_pages
from checkin.door_today import DOOR_TODAY_PAGES
from checkin.jobs import record_no_shows
from checkin.routes import CHECKIN_ROUTES
from checkin.segments.jobs import deliver_segment_send, sweep_segment_sends
from checkin.ticket_page import mail_ticket_of

__all__ = ["CONSOLE_PAGES", "CRON_JOBS", "HOME_SECTIONS", "JOB_FUNCTIONS", "MAIL_TICKETS", "MEMBER_PANELS", "PAGES", "ROUTES", "TODAY_SECTIONS"]

ROUTES: list[Any] = list(CHECKIN_ROUTES)
JOB_FUNCTIONS: list[Any] = [record_no_shows, deliver_segment_send, sweep_segment_sends]
CRON_JOBS: list[Any] = [
    cron(record_no_shows, minute=set(range(0, 60, 10)), unique=True),
    # A segment send's deliveries the night held, a channel failed, or Redis lost.
    cron(sweep_segment_sends, second=30, unique=True),
]
MAIL_TICKETS = mail_ticket_of
# The member pages of this domain (club.server mounts them as pages), and door staff's landing.
PAGES: list[Any] = [*checkin_pages.PAGES, *DOOR_TODAY_PAGES]
# Its parts of the member's home page (club.web.home).
HOME_SECTIONS: list[Any] = list(checkin_pages.HOME_SECTIONS)
# Its console pages (club.server mounts them for coordinators) and its parts of the console's Today.
CONSOLE_PAGES: list[Any] = [*checkin_console.CONSOLE_PAGES]
TODAY_SECTIONS: list[Any] = [*checkin_console.TODAY_SECTIONS]
MEMBER_PANELS: list[Any] = [*checkin_console.MEMBER_PANELS]
