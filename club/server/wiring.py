"""Filling the lower layers' hooks with the domains' answers, in every process before any work.

The layers, bottom to top: club -> events -> checkin -> health_programs, travel -> club.server.
A lower layer that needs an answer from a higher one declares a hook; `install()` sets each.
`configure_database` here is the one a process calls (app, worker, CLI, tests, benchmarks):
club.db's refuses to bind tables before the wiring has run, so no process runs half-wired.
"""

from __future__ import annotations

from piccolo.engine.base import Engine

from checkin import wiring as checkin_wiring
from checkin.attendance import checked_in_at
from checkin.honours_rows import ATTENDANCE_ROWS
from checkin.measures import wiring as measures_wiring
from checkin.no_shows import no_shows_since
from checkin.surveys import wiring as surveys_wiring
from club import db
from club.errors import provide_page_answer
from club.expiry import wiring as expiry_wiring
from club.honours import wiring as honours_wiring
from club.honours.boards import provide_attendance_rows
from club.rewards import wiring as rewards_wiring
from club.seat_holders import provide_seat_holders
from club.server.registry import all_tables
from club.settings import Settings
from club.spend import wiring as spend_wiring
from club.visits import wiring as visits_wiring
from club.web.console import register_today_section
from club.web.console_panels import register_member_panel
from club.web.home import register_home_section
from club.web.page_errors import is_page_request, page_answer
from club.web.points_page import register_points_section
from club.web.sign_in import provide_code_sender
from club.year_end import wiring as year_end_wiring
from events import wiring as events_wiring
from events.catalog import register_cancel_hook, register_private_booking_domain
from events.checked_in import provide_checked_in
from events.legs import provide_legs
from events.no_show_gate.counts import provide_no_shows
from events.reminders.call_sources import register_private_calls
from events.reminders.surveys import provide_survey_links
from events.ticket_mail import provide_mail_tickets
from health_programs import wiring as health_wiring
from travel import wiring as travel_wiring

__all__ = ["configure_database", "install"]


def install() -> None:
    """Set every hook (idempotent)."""
    db.set_table_source(all_tables, _bind_piccolo_conf)
    provide_seat_holders(events_wiring.SEAT_HOLDERS)
    provide_legs(travel_wiring.LEGS)
    provide_mail_tickets(checkin_wiring.MAIL_TICKETS)
    provide_checked_in(checked_in_at)
    provide_no_shows(no_shows_since)
    provide_attendance_rows(ATTENDANCE_ROWS)
    provide_survey_links(surveys_wiring.SURVEY_LINKS)
    register_private_booking_domain(health_wiring.PRIVATE_BOOKING_DOMAIN)
    register_private_calls(health_wiring.PRIVATE_CALLS)
    for hook in events_wiring.CANCEL_HOOKS:
        register_cancel_hook(hook)
    provide_page_answer(is_page_request, page_answer)
    provide_code_sender(events_wiring.SIGN_IN_CODE_SENDER)
    for section in (*events_wiring.HOME_SECTIONS, *checkin_wiring.HOME_SECTIONS, *health_wiring.HOME_SECTIONS,
                    *travel_wiring.HOME_SECTIONS, *rewards_wiring.HOME_SECTIONS, *honours_wiring.HOME_SECTIONS, *visits_wiring.HOME_SECTIONS,
                    *year_end_wiring.HOME_SECTIONS):
        register_home_section(section)
    for today in (*events_wiring.TODAY_SECTIONS, *checkin_wiring.TODAY_SECTIONS, *health_wiring.TODAY_SECTIONS,
                  *travel_wiring.TODAY_SECTIONS):
        register_today_section(today)
    for panel in (*events_wiring.MEMBER_PANELS, *checkin_wiring.MEMBER_PANELS, *measures_wiring.MEMBER_PANELS,
                  *health_wiring.MEMBER_PANELS,
                  *travel_wiring.MEMBER_PANELS, *spend_wiring.MEMBER_PANELS):
        register_member_panel(panel)
    for points_section in (*expiry_wiring.POINTS_SECTIONS, *spend_wiring.POINTS_SECTIONS):
        register_points_section(points_section)


def configure_database(settings: Settings) -> Engine:
    """The wiring, then club.db.configure_database: the engine bound to every table."""
    install()
    return db.configure_database(settings)


def _bind_piccolo_conf(engine: Engine) -> None:
    # Late: the conf module builds an engine from the environment when first imported.
    from club.server import piccolo_conf

    piccolo_conf.DB = engine
