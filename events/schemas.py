"""Request and response shapes of the events API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from club.bounds import Id, Instant
from club.schemas import Strict, TierName, TimeZoneName
from events.tables import EventKind, EventStatus, RsvpStatus, WaitlistPolicy

__all__ = [
    "AttendeeOut",
    "EligibilityOut",
    "EventCreate",
    "EventOut",
    "EventUpdate",
    "FeedOut",
    "InvitationOut",
    "InvitationsIn",
    "RsvpIn",
    "RsvpOut",
    "WaitlistEntryOut",
]

Title = Annotated[str, Meta(min_length=1, max_length=200)]
Description = Annotated[str, Meta(max_length=10_000)]
Venue = Annotated[str, Meta(min_length=1, max_length=200)]
Capacity = Annotated[int, Meta(ge=0, le=100_000)]
MaxGuests = Annotated[int, Meta(ge=0, le=20)]
MinPoints = Annotated[int, Meta(ge=0, le=100_000_000)]
PerYear = Annotated[int, Meta(ge=1, le=365)]
AttendancePoints = Annotated[int, Meta(ge=0, le=100_000)]
Guests = Annotated[int, Meta(ge=0, le=20)]


class EventCreate(Strict, kw_only=True):
    kind: EventKind
    title: Title
    description: Description = ""
    venue: Venue
    venue_time_zone: TimeZoneName
    starts_at: Instant
    ends_at: Instant
    capacity: Capacity
    max_guests: MaxGuests = 0
    rsvp_opens_at: Instant | None = None
    rsvp_closes_at: Instant | None = None
    waitlist_policy: WaitlistPolicy = WaitlistPolicy.first_come
    min_tier: TierName | None = None
    invitation_only: bool = False
    min_points: MinPoints | None = None
    max_per_12_months: PerYear | None = None
    attendance_points: AttendancePoints = 100


class EventUpdate(Strict):
    """What a coordinator may change; status changes go through publish and cancel."""

    kind: EventKind | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    venue: Venue | UnsetType = UNSET
    venue_time_zone: TimeZoneName | UnsetType = UNSET
    starts_at: Instant | UnsetType = UNSET
    ends_at: Instant | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    max_guests: MaxGuests | UnsetType = UNSET
    rsvp_opens_at: Instant | None | UnsetType = UNSET
    rsvp_closes_at: Instant | None | UnsetType = UNSET
    waitlist_policy: WaitlistPolicy | UnsetType = UNSET
    min_tier: TierName | None | UnsetType = UNSET
    invitation_only: bool | UnsetType = UNSET
    min_points: MinPoints | None | UnsetType = UNSET
    max_per_12_months: PerYear | None | UnsetType = UNSET
    attendance_points: AttendancePoints | UnsetType = UNSET


class EventOut(Struct, kw_only=True):
    id: int
    kind: EventKind
    title: str
    description: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    # The same instants on the venue's clock, as members there read them.
    starts_local: str
    ends_local: str
    capacity: int
    seats_taken: int
    seats_left: int
    guests_allowed: bool
    max_guests: int
    rsvp_opens_at: datetime | None
    rsvp_closes_at: datetime | None
    status: EventStatus
    waitlist_policy: WaitlistPolicy
    min_tier: str | None
    invitation_only: bool
    min_points: int | None
    max_per_12_months: int | None
    attendance_points: int
    version: int
    # Not null: book through that domain's routes (health programs, show invitations), not RSVP.
    booked_through: str | None = None


class EligibilityOut(Struct, kw_only=True):
    event_id: int
    member_id: int
    eligible: bool
    reasons: list[str]


class InvitationsIn(Strict):
    member_ids: Annotated[list[Id], Meta(min_length=1, max_length=500)]


class InvitationOut(Struct, kw_only=True):
    member_id: int
    member_name: str
    invited_at: datetime


class RsvpIn(Strict):
    guests: Guests = 0


class RsvpOut(Struct, kw_only=True):
    id: int
    event_id: int
    member_id: int
    status: RsvpStatus
    guests: int
    seats: int
    # 1 is next in line; None unless waitlisted.
    position: int | None
    position_reason: str | None
    created_at: datetime
    confirmed_at: datetime | None
    promoted: bool
    cancelled_at: datetime | None
    invite_url: str | None
    # Why the club's no-show rule put the member on the waitlist, in their language (else None).
    gate_reason: str | None = None


class AttendeeOut(Struct, kw_only=True):
    rsvp_id: int
    member_id: int
    member_name: str
    email: str
    phone: str | None
    # The member's tier now (not at the RSVP): who the door and the hosts are welcoming.
    tier: str | None
    guests: int
    seats: int
    confirmed_at: datetime | None
    promoted: bool
    # When the member was admitted at the door; None until then.
    checked_in_at: datetime | None


class WaitlistEntryOut(Struct, kw_only=True):
    position: int
    rsvp_id: int
    member_id: int
    member_name: str
    guests: int
    seats: int
    tier_at_join: str | None
    tier_rank_at_join: int | None
    joined_at: datetime
    reason: str
    times_skipped: int


class FeedOut(Struct, kw_only=True):
    # The https URL downloads the calendar; the webcal:// one (the same feed) makes phones and
    # desktop calendars offer to subscribe to it.
    url: Annotated[str, Meta(description="The feed over https (downloads the .ics)")]
    webcal_url: Annotated[str, Meta(description="The same feed as webcal://, which calendar apps open as a subscription")]
    created_at: datetime
