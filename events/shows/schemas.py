"""Request and response shapes of show invitations (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.bounds import Id, Instant
from club.schemas import Strict, TierName, TimeZoneName
from events.schemas import AttendancePoints, Description, Title, Venue
from events.shows.tables import InvitationStatus
from events.tables import EventStatus

__all__ = [
    "AcceptIn",
    "CategoryIn",
    "CategoryOut",
    "CategoryUpdate",
    "InviteIn",
    "ShowCreate",
    "ShowInvitationOut",
    "ShowOut",
]

CategoryName = Annotated[str, Meta(min_length=1, max_length=60)]
Seats = Annotated[int, Meta(ge=1, le=10_000)]
# At least an hour to answer; at most a season (90 days).
ReplyWindowHours = Annotated[int, Meta(ge=1, le=24 * 90)]


class CategoryIn(Strict):
    name: CategoryName
    seats: Seats


class CategoryUpdate(Strict):
    seats: Seats


class ShowCreate(Strict, kw_only=True):
    """A fashion-week show: an event admitted to by personal invitation, in seat categories."""

    title: Title
    description: Description = ""
    venue: Venue
    venue_time_zone: TimeZoneName
    starts_at: Instant
    ends_at: Instant
    min_tier: TierName | None = None
    attendance_points: AttendancePoints = 100
    categories: Annotated[list[CategoryIn], Meta(min_length=1, max_length=20)]


class InviteIn(Strict):
    member_ids: Annotated[list[Id], Meta(min_length=1, max_length=500)]
    category_id: Id
    plus_one_allowed: bool = False
    reply_within_hours: ReplyWindowHours = 72


class AcceptIn(Strict):
    plus_one: bool = False


class CategoryOut(Struct, kw_only=True):
    id: int
    name: str
    seats: int
    # Seats of accepted invitations, seats held by open offers, and what is left to offer.
    seats_taken: int
    seats_on_offer: int
    seats_free: int
    queued: int


class ShowOut(Struct, kw_only=True):
    id: int
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    starts_local: str
    status: EventStatus
    min_tier: str | None
    capacity: int
    categories: list[CategoryOut]


class ShowInvitationOut(Struct, kw_only=True):
    id: int
    show_id: int
    show_title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    starts_local: str
    show_status: EventStatus
    member_id: int
    member_name: str
    category_id: int
    category: str
    status: InvitationStatus
    # 1 is next for a seat of the category; None unless queued.
    position: int | None
    plus_one_allowed: bool
    plus_one: bool
    seats_held: int
    reply_window_hours: int
    reply_by: datetime | None
    # The same deadline on the show's clock (its venue's zone).
    reply_by_local: str | None
    tier_at_invite: str | None
    tier_rank_at_invite: int | None
    reason: str
    invited_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    rsvp_id: int | None
    ticket_url: str | None
    invite_url: str | None
