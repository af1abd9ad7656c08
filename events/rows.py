"""Rows of the events domain as the services read them: frozen, typed, with Enum kinds and statuses.

Each is filled at its query (`club.rows.row_as` / `rows_as`) with only the columns the code reads.
"""

from __future__ import annotations

from datetime import datetime

from club.rows import Row
from club.tables import MemberStatus
from events.tables import EventKind, EventStatus, RsvpStatus, WaitlistPolicy

__all__ = [
    "AttendeeRow",
    "EventRow",
    "MemberStandingRow",
    "RsvpOwnerRow",
    "RsvpPlaceRow",
    "RsvpRow",
    "WaitingRow",
]


class EventRow(Row, frozen=True):
    """An event as `events.catalog.EVENT_FIELDS` selects it (its minimum tier's name and rank joined)."""

    id: int
    kind: EventKind
    title: str
    description: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    max_guests: int
    rsvp_opens_at: datetime | None
    rsvp_closes_at: datetime | None
    status: EventStatus
    waitlist_policy: WaitlistPolicy
    invitation_only: bool
    min_points: int | None
    max_per_12_months: int | None
    version: int
    attendance_points: int
    booked_through: str | None
    min_tier_name: str | None
    min_tier_rank: int | None


class RsvpOwnerRow(Row, frozen=True):
    """Whose RSVP it is, and for which event: what the access rule and the event lock need."""

    id: int
    event: int
    member: int


class RsvpPlaceRow(Row, frozen=True):
    """What a waitlist position is read from: the RSVP's event, status and the event's policy."""

    id: int
    event: int
    status: RsvpStatus
    policy: WaitlistPolicy


class RsvpRow(RsvpPlaceRow, frozen=True):
    """An RSVP as its member reads it (`events.rsvp.rsvp_out`)."""

    member: int
    guests: int
    seats: int
    created_at: datetime
    confirmed_at: datetime | None
    waitlisted_at: datetime | None
    tier_rank_at_join: int | None
    tier_name_at_join: str | None
    promoted_at: datetime | None
    cancelled_at: datetime | None
    gated_no_shows: int | None = None
    gated_months: int | None = None


class WaitingRow(Row, frozen=True):
    """A waitlisted RSVP with what orders it and what a coordinator reads about it."""

    id: int
    event: int
    member: int
    member_name: str
    guests: int
    seats: int
    waitlisted_at: datetime
    tier_rank_at_join: int | None
    tier_name_at_join: str | None


class AttendeeRow(Row, frozen=True):
    """A confirmed RSVP with its member's name and address, for the attendee list."""

    id: int
    member: int
    member_name: str
    email: str
    phone: str | None
    tier_name: str | None
    guests: int
    seats: int
    confirmed_at: datetime | None
    promoted_at: datetime | None


class MemberStandingRow(Row, frozen=True):
    """What eligibility reads about a member: status and current tier."""

    status: MemberStatus
    tier_rank: int | None
    tier_name: str | None
