"""Every route of the service: the club core's controllers and each domain package's."""

from __future__ import annotations

from checkin.routes import CHECKIN_ROUTES
from club.routes.accounts import AccountController
from club.routes.health import health
from club.routes.me import MeController
from club.routes.members import MemberController
from club.routes.tiers import TierController
from events.reminders.routes import CallTaskController, ReminderSequenceController
from events.routes import CalendarFeedController, EventController, RsvpController
from events.shows.routes import ROUTES as SHOW_ROUTES
from health_programs.routes import ROUTES as HEALTH_ROUTES
from travel.routes import ROUTES as TRAVEL_ROUTES

__all__ = ["ROUTE_HANDLERS"]

ROUTE_HANDLERS = [
    health,
    MeController,
    MemberController,
    TierController,
    AccountController,
    EventController,
    RsvpController,
    CalendarFeedController,
    *CHECKIN_ROUTES,
    ReminderSequenceController,
    CallTaskController,
    *SHOW_ROUTES,
    *HEALTH_ROUTES,
    *TRAVEL_ROUTES,
]
