"""Rows of the door as its services read them: frozen, typed, with Enum statuses.

Each is filled at its query (`club.rows.row_as` / `rows_as`) with only the columns the code
reads. The scan's rows come from plain SQL (checkin.scanning): the column aliases there are
these field names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from club.rows import Row
from club.tables import MemberStatus
from events.tables import EventKind, EventStatus, RsvpStatus

__all__ = [
    "CheckInToRevert",
    "ConfirmedRsvpRow",
    "DoorCountsRow",
    "EventFactsRow",
    "FiguresEventRow",
    "TicketFactsRow",
]


class TicketFactsRow(Row, frozen=True):
    """A scanned ticket's RSVP, member, tier, current version, admission and remembered answer
    (checkin.scanning's `_SCAN_FACTS_COLUMNS`)."""

    id: int
    status: RsvpStatus
    member: int
    guests: int
    member_name: str
    joined_on: date | None
    member_status: MemberStatus
    referred_by: int | None
    tier_name: str | None
    ticket_version: int | None  # no ticket row yet: version 1
    checked_in_at: datetime | None  # this ticket's admission (at this leg), if any
    gate: str | None
    remembered: str | dict[str, Any] | None  # the answer stored for this nonce: JSON text, or as the driver decoded it
    points_balance: int = 0
    queued_tier: int | None = None  # a capped tier the member waits for
    next_threshold: int | None = None  # the points the next tier up asks; None at the top


class DoorCountsRow(Row, frozen=True):
    """The door's running count."""

    checked_in: int
    confirmed: int


class EventFactsRow(DoorCountsRow, frozen=True):
    """The scanned event's kind, state, hours and points, with the door's running count."""

    kind: EventKind
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    attendance_points: int


class CheckInToRevert(Row, frozen=True):
    id: int
    rsvp: int
    member: int
    points: int
    reverted_at: datetime | None


class ConfirmedRsvpRow(Row, frozen=True):
    id: int
    member: int


class FiguresEventRow(Row, frozen=True):
    """What the live figures show of their event."""

    title: str
    status: EventStatus
    ends_at: datetime
