"""Every route of the service: the club core's controllers and each domain package's, and the
member pages (one router, marked as pages: their errors are pages, they are not in the API schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Router

from checkin import wiring as checkin_wiring
from checkin.measures import wiring as measures_wiring
from checkin.report import wiring as report_wiring
from checkin.segments import wiring as segments_wiring
from checkin.surveys import wiring as surveys_wiring
from club.auth import coordinator_only
from club.expiry import wiring as expiry_wiring
from club.honours import wiring as honours_wiring
from club.multipliers import wiring as multipliers_wiring
from club.rewards import wiring as rewards_wiring
from club.routes.accounts import AccountController
from club.routes.health import health
from club.routes.me import MeController
from club.routes.members import MemberController
from club.routes.tiers import TierController
from club.spend import wiring as spend_wiring
from club.visits import wiring as visits_wiring
from club.web.console import CONSOLE_OPT, today_page
from club.web.console_members import CONSOLE_MEMBER_PAGES
from club.web.console_tiers import CONSOLE_TIER_PAGES
from club.web.home import home_page
from club.web.page_errors import PAGE_OPT
from club.web.points_page import points_page
from club.web.session_routes import SessionController
from club.web.sign_in_pages import SIGN_IN_PAGES
from club.web.static_routes import STATIC_ROUTES
from club.year_end import wiring as year_end_wiring
from events import wiring as events_wiring
from health_programs import wiring as health_wiring
from travel import wiring as travel_wiring

__all__ = ["CONSOLE_PAGES", "PAGES", "ROUTE_HANDLERS", "TEMPLATE_FOLDERS"]

PAGES = Router(
    path="/",
    route_handlers=[
        home_page,
        points_page,
        *SIGN_IN_PAGES,
        *events_wiring.PAGES,
        *checkin_wiring.PAGES,
        *health_wiring.PAGES,
        *travel_wiring.PAGES,
        *rewards_wiring.PAGES,
        *honours_wiring.PAGES,
        *multipliers_wiring.PAGES,
        *visits_wiring.PAGES,
        *year_end_wiring.PAGES,
    ],
    opt={PAGE_OPT: True},
    include_in_schema=False,
)

# The coordinators' console: pages too, every one of them for coordinators only.
CONSOLE_PAGES = Router(
    path="/",
    route_handlers=[
        today_page,
        *CONSOLE_MEMBER_PAGES,
        *CONSOLE_TIER_PAGES,
        *events_wiring.CONSOLE_PAGES,
        *checkin_wiring.CONSOLE_PAGES,
        *measures_wiring.CONSOLE_PAGES,
        *report_wiring.CONSOLE_PAGES,
        *segments_wiring.CONSOLE_PAGES,
        *health_wiring.CONSOLE_PAGES,
        *travel_wiring.CONSOLE_PAGES,
        *rewards_wiring.CONSOLE_PAGES,
        *honours_wiring.CONSOLE_PAGES,
        *multipliers_wiring.CONSOLE_PAGES,
        *spend_wiring.CONSOLE_PAGES,
        *expiry_wiring.CONSOLE_PAGES,
        *year_end_wiring.CONSOLE_PAGES,
    ],
    guards=[coordinator_only],
    opt={PAGE_OPT: True, CONSOLE_OPT: True},
    include_in_schema=False,
)

# The pages' templates, named by package ("events/event.html").
_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_FOLDERS = {
    "club": _ROOT / "club" / "web" / "templates",
    "events": _ROOT / "events" / "templates",
    "shows": _ROOT / "events" / "shows" / "templates",
    "reminders": _ROOT / "events" / "reminders" / "templates",
    "checkin": _ROOT / "checkin" / "templates",
    "measures": _ROOT / "checkin" / "measures" / "templates",
    "report": _ROOT / "checkin" / "report" / "templates",
    "surveys": _ROOT / "checkin" / "surveys" / "templates",
    "segments": _ROOT / "checkin" / "segments" / "templates",
    "no_show_gate": _ROOT / "events" / "no_show_gate" / "templates",
    "health_programs": _ROOT / "health_programs" / "templates",
    "travel": _ROOT / "travel" / "templates",
    "rewards": _ROOT / "club" / "rewards" / "templates",
    "honours": _ROOT / "club" / "honours" / "templates",
    "multipliers": _ROOT / "club" / "multipliers" / "templates",
    "spend": _ROOT / "club" / "spend" / "templates",
    "visits": _ROOT / "club" / "visits" / "templates",
    "expiry": _ROOT / "club" / "expiry" / "templates",
    "year_end": _ROOT / "club" / "year_end" / "templates",
}

ROUTE_HANDLERS: list[Any] = [
    health,
    MeController,
    MemberController,
    TierController,
    AccountController,
    SessionController,
    PAGES,
    CONSOLE_PAGES,
    *STATIC_ROUTES,
    *events_wiring.ROUTES,
    *checkin_wiring.ROUTES,
    *measures_wiring.ROUTES,
    *report_wiring.ROUTES,
    *surveys_wiring.ROUTES,
    *segments_wiring.ROUTES,
    *health_wiring.ROUTES,
    *travel_wiring.ROUTES,
    *rewards_wiring.ROUTES,
    *honours_wiring.ROUTES,
    *multipliers_wiring.ROUTES,
    *spend_wiring.ROUTES,
    *visits_wiring.ROUTES,
    *expiry_wiring.ROUTES,
    *year_end_wiring.ROUTES,
]
