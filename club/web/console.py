"""The coordinators' console: its shell (a desktop layout with the console's sections), the
guard every console page has, and `console_page()`, which renders a console template.

Console pages live in their domains (`events/console_pages.py`, …) beside the services they call,
as the member pages do; the wiring mounts them all under /console in one router that requires the
coordinator role, so a member's or door staff's session is refused every one of them (403 as a
page), and a visitor who is not signed in is sent to sign in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Request, get
from litestar.response import Template

from club.accounts import Principal
from club.auth import principal_of
from club.i18n.catalogs import N_
from club.web import urls
from club.web.templates import page

__all__ = [
    "CONSOLE",
    "CONSOLE_OPT",
    "CONSOLE_SECTIONS",
    "CONSOLE_STATIC_VERSION",
    "ConsoleSection",
    "TodaySection",
    "club_zone",
    "console_page",
    "register_today_section",
    "today_page",
]

CONSOLE = urls.CONSOLE
CONSOLE_OPT = "console"
# The console's own style sheet, named by its digest as the member pages' is.
CONSOLE_STATIC_VERSION = hashlib.sha256((Path(__file__).resolve().parent / "static" / "console.css").read_bytes()).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class ConsoleSection:
    path: str
    label: str  # a catalog text


# The sections in the console's navigation, in the order coordinators use them.
CONSOLE_SECTIONS: tuple[ConsoleSection, ...] = (
    ConsoleSection(f"{CONSOLE}", N_("Today")),
    ConsoleSection(f"{CONSOLE}/events", N_("Events")),
    ConsoleSection(f"{CONSOLE}/check-ups", N_("Check-ups")),
    ConsoleSection(f"{CONSOLE}/members", N_("Members")),
    ConsoleSection(f"{CONSOLE}/sequences", N_("Reminder sequences")),
    ConsoleSection(f"{CONSOLE}/calls", N_("Call list")),
    ConsoleSection(f"{CONSOLE}/shows", N_("Fashion shows")),
    ConsoleSection(f"{CONSOLE}/trips", N_("Trips")),
    ConsoleSection(f"{CONSOLE}/measures", N_("Measures")),
    ConsoleSection(f"{CONSOLE}/report", N_("Monthly report")),
    ConsoleSection(f"{CONSOLE}/segments", N_("Segments")),
    ConsoleSection(f"{CONSOLE}/tiers", N_("Tiers")),
    ConsoleSection(f"{CONSOLE}/rewards", N_("Rewards")),
    ConsoleSection(f"{CONSOLE}/spend", N_("Import receipts")),
    ConsoleSection(f"{CONSOLE}/expiry", N_("Points expiry")),
    ConsoleSection(f"{CONSOLE}/honours", N_("Leaderboards")),
    ConsoleSection(f"{CONSOLE}/year-end", N_("Year-end rewards")),
)


def club_zone(request: Request[Any, Any, Any]) -> str:
    """The clock coordinators read the console on: the club's (a venue, clinic or leg elsewhere is
    named by its city, as club.web.templates.page does for a reader with no zone of their own)."""
    return str(request.app.state.settings.club_time_zone)


def console_page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """`template` (which extends "club/console_base.html") for the signed-in coordinator, in their
    language (Accept-Language, else the club's), with the console's navigation; its times are read
    against the club's clock, which the template also has as `club_zone`."""
    path = request.url.path
    # Today is the console's root: it is current on itself only, not under every other section.
    current = max((s for s in CONSOLE_SECTIONS if path == s.path or (s.path != CONSOLE and path.startswith(s.path + "/"))),
                  key=lambda s: len(s.path), default=None)
    return page(
        request, template, status_code=status_code, sections=CONSOLE_SECTIONS, current_section=current,
        console_static_version=CONSOLE_STATIC_VERSION, **{"club_zone": club_zone(request), **values},
    )


@dataclass(frozen=True, slots=True)
class TodaySection:
    """One domain's part of the console's Today page: `template` included with `values`."""

    template: str
    order: int
    values: Mapping[str, Any] = field(default_factory=dict)


TodaySource = Callable[[Request[Any, Any, Any], Principal], Awaitable[TodaySection | None]]
_TODAY: list[TodaySource] = []


def register_today_section(source: TodaySource) -> None:
    """The wiring adds each domain's part of Today (the events of the day, the calls due, …)."""
    if source not in _TODAY:
        _TODAY.append(source)


@get(CONSOLE, name="console-today")
async def today_page(request: Request[Any, Any, Any]) -> Template:
    me = principal_of(request)
    sections = [s for s in [await source(request, me) for source in _TODAY] if s is not None]
    return console_page(request, "club/console_today.html", today_sections=sorted(sections, key=lambda s: s.order))
