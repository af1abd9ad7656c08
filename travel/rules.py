"""Pure decisions of travel: passport validity, masking, companions and room capacity.

No I/O and no clock: dates and instants come in as arguments, so tests pin every boundary.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from club.errors import Said
from club.i18n.catalogs import N_
from travel.tables import RoomKind, TravelerRole

__all__ = [
    "PASSPORT_MONTHS_AFTER_RETURN",
    "ROOM_SIZES",
    "PassportProblem",
    "PassportReason",
    "TravelerFacts",
    "add_months",
    "mask_passport",
    "passport_problem",
    "passport_problems",
    "passport_required_until",
    "return_date",
    "room_refusal",
    "room_refusal_text",
]

# Many countries refuse entry on a passport expiring within six months of leaving them.
PASSPORT_MONTHS_AFTER_RETURN = 6
ROOM_SIZES = {RoomKind.single: 1, RoomKind.twin: 2}


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end: 31 Aug + 6 months is 28 (or 29) Feb,
    30 Jun + 6 months is 30 Dec (the same day number when it exists)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def return_date(trip_ends_at: datetime, last_item_zone: str | None, trip_zone: str) -> date:
    """The day the trip returns: its end as a date on the clock of its last itinerary item
    (where the travelers are when it ends), or of the trip's venue when it has no items."""
    return trip_ends_at.astimezone(ZoneInfo(last_item_zone or trip_zone)).date()


def passport_required_until(returns_on: date) -> date:
    """The last day a passport must still be valid: six calendar months after the return day.
    A passport whose expiry date is that day or later passes (it is valid through its expiry date)."""
    return add_months(returns_on, PASSPORT_MONTHS_AFTER_RETURN)


@dataclass(frozen=True, slots=True)
class TravelerFacts:
    traveler_id: int | None  # None: a place the member has not named a traveler for yet
    rsvp_id: int
    member_id: int
    name: str
    role: TravelerRole
    expiry_date: date | None  # None: no travel document on file


class PassportReason(str, Enum):
    """Why a traveler fails the passport rule (the manifest's document status says it too)."""

    missing_traveler = "missing_traveler"  # a place whose traveler is not named yet
    missing_document = "missing_document"
    expires_too_soon = "expires_too_soon"


@dataclass(frozen=True, slots=True)
class PassportProblem:
    traveler_id: int | None
    rsvp_id: int
    member_id: int
    name: str
    role: TravelerRole
    reason: PassportReason
    detail: str
    expiry_date: date | None
    required_until: date


def passport_problem(facts: TravelerFacts, returns_on: date) -> PassportProblem | None:
    """Why this traveler's passport fails the trip's rule, or None when it passes."""
    required = passport_required_until(returns_on)

    def problem(reason: PassportReason, detail: str) -> PassportProblem:
        return PassportProblem(
            facts.traveler_id, facts.rsvp_id, facts.member_id, facts.name, facts.role, reason, detail,
            facts.expiry_date, required,
        )

    if facts.traveler_id is None:
        return problem(PassportReason.missing_traveler, f"{facts.name}: traveler details not given yet.")
    if facts.expiry_date is None:
        return problem(PassportReason.missing_document, f"{facts.name}: no passport on file.")
    if facts.expiry_date < required:
        return problem(
            PassportReason.expires_too_soon,
            f"{facts.name}: passport expires {facts.expiry_date.isoformat()}, "
            f"it must be valid until at least {required.isoformat()} "
            f"({PASSPORT_MONTHS_AFTER_RETURN} months after the return on {returns_on.isoformat()}).",
        )
    return None


def passport_problems(travelers: Sequence[TravelerFacts], returns_on: date) -> list[PassportProblem]:
    return [p for t in travelers if (p := passport_problem(t, returns_on)) is not None]


def mask_passport(number: str) -> str:
    """ "•••••1234": enough for a member to recognise their passport, not enough to use it."""
    visible = number[-4:] if len(number) > 4 else ""
    return "•" * 5 + visible


# Why a full room takes nobody more, by kind (its size is ROOM_SIZES'), as a catalog text.
_ROOM_FULL = {
    RoomKind.single: N_("a single room holds 1 traveler and is full"),
    RoomKind.twin: N_("a twin room holds 2 travelers and is full"),
}


def room_refusal(kind: RoomKind, occupants: int) -> str | None:
    """Why one more traveler cannot go into a room of `kind` holding `occupants`, or None."""
    said = room_refusal_text(kind, occupants)
    return None if said is None else said.message


def room_refusal_text(kind: RoomKind, occupants: int) -> Said | None:
    """The same, as a catalog text, for a refusal written in its reader's language."""
    return Said(_ROOM_FULL[RoomKind(kind)]) if occupants >= ROOM_SIZES[RoomKind(kind)] else None
