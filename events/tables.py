"""Tables of the events domain: events, invitations, RSVPs, waitlist skips, calendar feeds, the outbox."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete

from club.table import Table
from club.tables import Member, Tier, User

__all__ = [
    "CalendarFeed",
    "Event",
    "EventKind",
    "EventStatus",
    "Invitation",
    "OutboxMessage",
    "Rsvp",
    "RsvpStatus",
    "WaitlistPolicy",
    "WaitlistSkip",
]


class EventKind(str, Enum):
    salon = "salon"
    trip = "trip"
    health_checkup = "health_checkup"
    fashion_week = "fashion_week"


class EventStatus(str, Enum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"


class WaitlistPolicy(str, Enum):
    first_come = "first_come"
    tier_priority = "tier_priority"


class RsvpStatus(str, Enum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


class Event(Table, tablename="event"):
    """Something members come to. Times are UTC; the venue's zone says how to show them.

    `version` goes up each time the event moves (start, end, venue): calendar invites use it as
    their SEQUENCE, so a member's calendar replaces the old invite instead of keeping both.
    """

    kind = Varchar(length=20, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    venue = Varchar(length=200)
    venue_time_zone = Varchar(length=64)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    capacity = Integer()
    # 0: no guests. Guests come with the member and take seats of their own.
    max_guests = Integer(default=0)
    rsvp_opens_at = Timestamptz(null=True, default=None)
    rsvp_closes_at = Timestamptz(null=True, default=None)
    status = Varchar(length=16, default=EventStatus.draft.value, index=True)
    waitlist_policy = Varchar(length=16, default=WaitlistPolicy.first_come.value)
    min_tier = ForeignKey(Tier, null=True, default=None)
    invitation_only = Boolean(default=False)
    min_points = Integer(null=True, default=None)
    # "One free check-up a year": at most this many events of this kind per rolling 12 months.
    max_per_12_months = Integer(null=True, default=None)
    version = Integer(default=1)
    # Engagement points for coming: awarded once at the door (see checkin.scanning).
    attendance_points = Integer(default=100)
    # Set when a domain admits to this event itself ("health_programs" books clinic slots,
    # "shows" seats invited guests): the generic RSVP routes then refuse it, so nobody walks
    # around that domain's rules (one check-up a year, reply-by dates, seat categories).
    booked_through = Varchar(length=20, null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Invitation(Table, tablename="event_invitation"):
    """A coordinator's personal invitation; `invite_key` ("<event>:<member>") makes it unique."""

    event = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    invite_key = Varchar(length=40, unique=True)
    invited_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz()


class Rsvp(Table, tablename="rsvp"):
    """A member's one answer to one event (`rsvp_key` "<event>:<member>" is unique).

    The waitlist is the event's waitlisted RSVPs in policy order; what decided the order (tier
    rank at joining, time of joining) is stored here so a coordinator can see why.
    """

    event = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    rsvp_key = Varchar(length=40, unique=True)
    status = Varchar(length=16, index=True)
    guests = Integer(default=0)
    seats = Integer(default=1)
    created_at = Timestamptz()
    confirmed_at = Timestamptz(null=True, default=None)
    waitlisted_at = Timestamptz(null=True, default=None)
    tier_rank_at_join = Integer(null=True, default=None)
    tier_name_at_join = Varchar(length=60, null=True, default=None)
    position_reason = Text(default="")
    promoted_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    # "member" or "club": whose decision ended the RSVP.
    cancelled_by = Varchar(length=16, null=True, default=None)
    # Set when the club's no-show rule (events.no_show_gate) put the member on the waitlist: the
    # no-shows counted then and the rule's window, which their RSVP tells them.
    gated_no_shows = Integer(null=True, default=None)
    gated_months = Integer(null=True, default=None)


class EventTally(Table, tablename="event_tally"):
    """An event's confirmed RSVPs and the seats they hold (guests take their own), kept by
    triggers on rsvp (migration events_2026_12_07t10_01…) in the transaction of each change, so the
    event list and the door read a few numbers instead of summing a gala's RSVPs; never written
    by the service. Spread over 16 rows per event by RSVP id (`shard`, unique with the event), so
    RSVPs to one event do not all wait on one row's lock until their commits."""

    event = ForeignKey(Event, on_delete=OnDelete.cascade)
    shard = Integer(default=0)
    confirmed = Integer(default=0)
    seats = Integer(default=0)


class WaitlistSkip(Table, tablename="waitlist_skip"):
    """A waiting party passed over because it did not fit the free seats while a later one did."""

    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp, index=True)
    seats_needed = Integer()
    seats_free = Integer()
    created_at = Timestamptz()


class CalendarFeed(Table, tablename="calendar_feed"):
    """A member's private calendar URL; only the token's SHA-256 is kept, and it can be revoked."""

    member = ForeignKey(Member, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class OutboxMessage(Table, tablename="events_outbox"):
    """Something a member should hear about, written in the transaction that made it true.

    Delivery (email, SMS, push) reads undelivered rows and sets `delivered_at`.
    """

    member = ForeignKey(Member, index=True)
    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp, null=True, default=None)
    kind = Varchar(length=32, index=True)
    payload = JSON(default="{}")
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)
