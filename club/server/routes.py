"""Every route of the service: the club core's controllers and each domain package's."""

from __future__ import annotations

from typing import Any

from checkin import wiring as checkin_wiring
from club.routes.accounts import AccountController
from club.routes.health import health
from club.routes.me import MeController
from club.routes.members import MemberController
from club.routes.tiers import TierController
from events import wiring as events_wiring
from health_programs import wiring as health_wiring
from travel import wiring as travel_wiring

__all__ = ["ROUTE_HANDLERS"]

ROUTE_HANDLERS: list[Any] = [
    health,
    MeController,
    MemberController,
    TierController,
    AccountController,
    *events_wiring.ROUTES,
    *checkin_wiring.ROUTES,
    *health_wiring.ROUTES,
    *travel_wiring.ROUTES,
]
