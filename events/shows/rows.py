"""Rows of events.shows as its services read them: frozen, typed, statuses as their Enums.

Each is filled at its query (`club.rows.row_as` / `rows_as`) with only the columns the code reads.
"""

from __future__ import annotations

from datetime import datetime

from club.rows import Row
from club.tables import MemberStatus
from events.shows.tables import InvitationStatus
from events.tables import EventStatus

__all__ = [
    "CategoryRow",
    "InvitationRow",
    "InvitationStateRow",
    "InvitationViewRow",
    "InviteeRow",
    "OverdueOfferRow",
    "OwnedInvitationRow",
    "QueuePlaceRow",
    "QueuedRow",
    "SeatHoldingRow",
]


class CategoryRow(Row, frozen=True):
    """A seat category: its show, name and seats."""

    id: int
    show: int
    name: str
    seats: int


class SeatHoldingRow(Row, frozen=True):
    """What an invitation holds of its category's seats (`rules.seats_held`)."""

    category: int
    status: InvitationStatus
    plus_one_allowed: bool
    plus_one: bool


class QueuedRow(Row, frozen=True):
    """A live invitation of one category, with what orders it in the queue and its reply window."""

    id: int
    member: int
    status: InvitationStatus
    plus_one_allowed: bool
    plus_one: bool
    invited_at: datetime
    tier_rank_at_invite: int | None
    reply_window_hours: int


class OverdueOfferRow(Row, frozen=True):
    """An offer past its reply-by, with what its expiry message says."""

    id: int
    member: int
    category: int
    category_name: str
    plus_one_allowed: bool
    reply_by: datetime | None


class InvitationStateRow(Row, frozen=True):
    """Whose invitation it is and where it stands (an invite's existing ones, a cancellation's open ones)."""

    id: int
    member: int
    status: InvitationStatus


class OwnedInvitationRow(Row, frozen=True):
    """Whose invitation it is, and to which show: what the access rule and the show's lock need."""

    id: int
    show: int
    member: int


class InvitationRow(Row, frozen=True):
    """An invitation as an answer or a withdrawal decides on it, read under the show's lock."""

    id: int
    show: int
    member: int
    category: int
    category_name: str
    status: InvitationStatus
    plus_one_allowed: bool
    reply_by: datetime | None
    rsvp: int | None


class InvitationViewRow(Row, frozen=True):
    """An invitation with its show, category and member, as `shaping.invitations_out` shows it."""

    id: int
    show: int
    member: int
    category: int
    status: InvitationStatus
    plus_one_allowed: bool
    plus_one: bool
    reply_window_hours: int
    reply_by: datetime | None
    tier_rank_at_invite: int | None
    tier_name_at_invite: str | None
    reason: str
    invited_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    rsvp: int | None
    show_title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    show_status: EventStatus
    category_name: str
    member_name: str


class QueuePlaceRow(Row, frozen=True):
    """A queued invitation with what orders it, for its place in the queue."""

    id: int
    category: int
    plus_one_allowed: bool
    invited_at: datetime
    tier_rank_at_invite: int | None


class InviteeRow(Row, frozen=True):
    """A member named in an invitation: what eligibility and the queue's priority read."""

    id: int
    status: MemberStatus
    tier_rank: int | None
    tier_name: str | None
