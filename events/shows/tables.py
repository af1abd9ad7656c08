"""Tables of events.shows: a show's seat categories and its personal invitations."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, User
from events.tables import Event, Rsvp

__all__ = ["InvitationStatus", "SeatCategory", "ShowInvitation"]


class InvitationStatus(str, Enum):
    offered = "offered"  # holds its seats until reply_by
    queued = "queued"  # waits, in tier priority, for seats of its category
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    withdrawn = "withdrawn"


class SeatCategory(Table, tablename="show_seat_category"):
    """A block of seats of one show ("front row", "second row"); `category_key` "<show>:<name>" is unique."""

    show = ForeignKey(Event, index=True)
    name = Varchar(length=60)
    category_key = Varchar(length=100, unique=True)
    seats = Integer()
    created_at = Timestamptz()


class ShowInvitation(Table, tablename="show_invitation"):
    """One member's personal invitation to one show (`invitation_key` "<show>:<member>" is unique).

    The priority facts (tier at invitation, time of invitation) are kept as they were, so the
    queue's order and its stated reason never shift under a later tier change.
    """

    show = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    category = ForeignKey(SeatCategory, index=True)
    invitation_key = Varchar(length=40, unique=True)
    status = Varchar(length=12, index=True)
    plus_one_allowed = Boolean(default=False)
    plus_one = Boolean(default=False)  # coming with a guest; set on acceptance
    reply_window_hours = Integer()  # every offer, first or handed over, gets this long to answer
    reply_by = Timestamptz(null=True, default=None, index=True)
    tier_rank_at_invite = Integer(null=True, default=None)
    tier_name_at_invite = Varchar(length=60, null=True, default=None)
    reason = Text(default="")
    invited_at = Timestamptz()
    invited_by = ForeignKey(User, null=True, default=None)
    offered_at = Timestamptz(null=True, default=None)
    answered_at = Timestamptz(null=True, default=None)  # accepted or declined
    ended_at = Timestamptz(null=True, default=None)  # expired or withdrawn
    rsvp = ForeignKey(Rsvp, null=True, default=None)
