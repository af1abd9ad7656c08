"""What the wiring (club.server) takes from events: its routes, jobs, cron jobs and hook answers."""

from __future__ import annotations

from typing import Any

from arq import cron

from events import console_pages as event_console
from events import jobs as event_jobs
from events import pages as event_pages
from events.no_show_gate import wiring as gate_wiring
from events.reminders import console_pages as reminder_console
from events.reminders import member_pages as preference_pages
from events.reminders.jobs import dispatch_reminders, send_reminder, sweep_reminders
from events.reminders.preference_routes import (
    MessagePreferenceController,
    one_click_unsubscribe,
    preferences_page,
    save_preferences_page,
    unsubscribe_page,
)
from events.reminders.routes import CallTaskController, ReminderSequenceController
from events.reminders.sign_in_codes import send_sign_in_code
from events.routes import CalendarFeedController, EventController, RsvpController
from events.seat_holders import members_holding_a_seat
from events.shows import console_pages as show_console
from events.shows import jobs as show_jobs
from events.shows import pages as show_pages
from events.shows.offers import close_cancelled_show
from events.shows.routes import ROUTES as SHOW_ROUTES

__all__ = ["CANCEL_HOOKS", "CONSOLE_PAGES", "CRON_JOBS", "HOME_SECTIONS", "JOB_FUNCTIONS", "MEMBER_PANELS", "PAGES", "ROUTES", "SEAT_HOLDERS", "SIGN_IN_CODE_SENDER", "TODAY_SECTIONS"]

ROUTES: list[Any] = [
    EventController,
    RsvpController,
    CalendarFeedController,
    ReminderSequenceController,
    CallTaskController,
    MessagePreferenceController,
    one_click_unsubscribe,
    unsubscribe_page,
    preferences_page,
    save_preferences_page,
    *SHOW_ROUTES,
    *gate_wiring.ROUTES,
]
JOB_FUNCTIONS: list[Any] = [
    send_reminder,
    dispatch_reminders,
    sweep_reminders,
    *show_jobs.JOB_FUNCTIONS,
    *event_jobs.JOB_FUNCTIONS,
]
CRON_JOBS: list[Any] = [
    # Reminders: queue schedule changes within seconds; re-offer everything once a minute.
    cron(dispatch_reminders, second=set(range(0, 60, 5)), unique=True, run_at_startup=True),
    cron(sweep_reminders, second=30, unique=True),
    *show_jobs.CRON_JOBS,
    *event_jobs.CRON_JOBS,
]
# club.seat_holders' hook: the tier review asks who sits at an event under way.
SEAT_HOLDERS = members_holding_a_seat
# events.catalog's cancel hooks: a cancelled show's open offers and queue end in the cancellation.
CANCEL_HOOKS = [close_cancelled_show]
# The member pages of this domain (club.server mounts them as pages).
PAGES: list[Any] = [*event_pages.PAGES, *show_pages.PAGES, *preference_pages.PAGES]
# Its parts of the member's home page (club.web.home).
HOME_SECTIONS: list[Any] = [*event_pages.HOME_SECTIONS, *show_pages.HOME_SECTIONS]
# club.web.sign_in's hook: a one-time code goes by the channels' senders.
SIGN_IN_CODE_SENDER = send_sign_in_code
# Its console pages (club.server mounts them for coordinators) and its parts of the console's Today.
CONSOLE_PAGES: list[Any] = [
    *event_console.CONSOLE_PAGES, *show_console.CONSOLE_PAGES, *reminder_console.CONSOLE_PAGES, *gate_wiring.CONSOLE_PAGES,
]
TODAY_SECTIONS: list[Any] = [*event_console.TODAY_SECTIONS, *show_console.TODAY_SECTIONS, *reminder_console.TODAY_SECTIONS]
MEMBER_PANELS: list[Any] = [*event_console.MEMBER_PANELS, *show_console.MEMBER_PANELS, *reminder_console.MEMBER_PANELS]
