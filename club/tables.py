"""Tables of the club core: tiers, members, user accounts and their tokens, the points ledger."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)

from club.table import Table

__all__ = [
    "ApiToken",
    "ConsoleAction",
    "Member",
    "MemberStatus",
    "PointsEntry",
    "PointsReason",
    "Referral",
    "Role",
    "SignInCode",
    "Tier",
    "User",
    "WebSession",
    "WorkerHeartbeat",
]


class Role(str, Enum):
    member = "member"
    staff = "staff"
    coordinator = "coordinator"


class MemberStatus(str, Enum):
    active = "active"
    suspended = "suspended"
    lapsed = "lapsed"


class PointsReason(str, Enum):
    attendance = "attendance"
    referral = "referral"
    birthday = "birthday"
    visit = "visit"
    adjustment = "adjustment"
    expiry = "expiry"
    # Points spent on a reward (negative), and given back when that redemption is cancelled
    # (club.rewards); both keyed by the redemption, so each lands once.
    redemption = "redemption"
    returned = "returned"
    # Points a purchase at a boutique earned, and those its refund took back (negative), each
    # keyed by its receipt or refund row (club.spend), so a till that resends lands once.
    spend = "spend"
    refund = "refund"


class Tier(Table, tablename="tier"):
    """One rung of the club's ladder; a higher rank is a higher tier."""

    name = Varchar(length=60, unique=True)
    rank = Integer(unique=True)
    points_threshold = Integer(default=0)
    # None: no cap. Scarcity is the point of a top tier, so clubs may cap how many hold it.
    member_cap = Integer(null=True, default=None)
    # A yearly spend the tier also asks beside its points (club.tier_rules.qualifies): the rolling
    # twelve months' purchases less refunds in `spend_currency`, in its minor units; None asks none.
    spend_threshold = BigInt(null=True, default=None)
    spend_currency = Varchar(length=3, default="")


class Member(Table, tablename="member"):
    name = Varchar(length=200)
    email = Varchar(length=254, unique=True)
    phone = Varchar(length=32, null=True, default=None)
    birthday = Date(null=True, default=None)
    language = Varchar(length=16, default="en")
    time_zone = Varchar(length=64, default="Europe/Paris")
    status = Varchar(length=16, default=MemberStatus.active.value, index=True)
    joined_on = Date()
    referred_by: ForeignKey[Member] = ForeignKey("self", null=True, default=None)
    tier = ForeignKey(Tier, null=True, default=None, index=True)
    # Points earned a capped tier that was full: the member waits here, oldest first.
    queued_tier = ForeignKey(Tier, null=True, default=None)
    queued_at = Timestamptz(null=True, default=None)
    # The ledger's sum, kept by a trigger on points_entry (migration club_2026_12_07t09…): read,
    # never written by the service.
    points_balance = Integer(default=0)


class User(Table, tablename="club_user"):
    """Someone who calls the API: a member (linked to their Member row), door staff or a coordinator."""

    role = Varchar(length=16, index=True)
    name = Varchar(length=200)
    email = Varchar(length=254, unique=True)
    member = ForeignKey(Member, null=True, default=None, unique=True)
    created_at = Timestamptz()


class ApiToken(Table, tablename="api_token"):
    """A bearer token; only its SHA-256 is stored, so a database leak leaks no usable token."""

    user = ForeignKey(User, index=True)
    token_hash = Varchar(length=64, unique=True)
    label = Varchar(length=100, default="")
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class PointsEntry(Table, tablename="points_entry"):
    """Append-only ledger: a balance is the sum of a member's entries (kept on the member's row
    by a trigger, `Member.points_balance`, never written by the service).

    `award_key` is "<reason>:<source>" and unique, so the same award (one check-in, one
    birthday of one year) can be attempted any number of times and lands once.
    """

    member = ForeignKey(Member, index=True)
    delta = Integer()
    reason = Varchar(length=16)
    source = Varchar(length=120)
    award_key = Varchar(length=140, unique=True)
    note = Text(default="")
    created_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz(index=True)
    # When the member was told of this entry (a birthday award's greeting, club.birthday_greetings);
    # null: not yet, or nothing to tell.
    told_at = Timestamptz(null=True, default=None)


class Referral(Table, tablename="referral"):
    """A member's referral of another, earned once: the referred `member` is unique.

    Written in the transaction of the moment that earns it (the referred member's first
    admission, or their enrolment, as the club's setting says); the points go through the
    ledger. `awarded_at` stays empty while the referrer is suspended (reactivation awards
    them), `told_at` until the referrer's message has been handed to its channel.
    """

    member = ForeignKey(Member, unique=True)
    referrer = ForeignKey(Member, index=True)
    points = Integer()
    earned_by = Varchar(length=20)  # first_attendance or enrolment: the setting at the time
    earned_at = Timestamptz()
    awarded_at = Timestamptz(null=True, default=None)
    told_at = Timestamptz(null=True, default=None)


class WorkerHeartbeat(Table, tablename="worker_heartbeat"):
    """The last word of each job worker, written every few seconds as it runs.

    In the database rather than Redis, so a worker waiting out a Redis outage can still say
    so; `/healthz` reads it for coordinators.
    """

    name = Varchar(length=200, unique=True)  # "<host>:<pid>"
    started_at = Timestamptz()
    beat_at = Timestamptz(index=True)
    redis_ok = Boolean(default=True)
    # When Redis stopped answering this worker, and how (the exception's kind only).
    redis_down_since = Timestamptz(null=True, default=None)
    redis_error = Varchar(length=100, default="")
    jobs_complete = Integer(default=0)
    jobs_failed = Integer(default=0)
    jobs_ongoing = Integer(default=0)
    stopped_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """A signed-in browser: the member pages' session cookie names it.

    Only the SHA-256 of the cookie's secret is stored, as with API tokens. A session ends when
    its owner signs out or revokes it, a coordinator revokes it, the member is suspended, or it
    has not been used for `settings.session_idle_days`.
    """

    user = ForeignKey(User, index=True)
    token_hash = Varchar(length=64, unique=True)
    # What the member's list shows to tell their devices apart: the browser's own words, cut short.
    device = Varchar(length=120, default="")
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class SignInCode(Table, tablename="sign_in_code"):
    """A one-time sign-in code sent to an address (a member's e-mail or phone).

    One row per code asked for. The code and the e-mail link's secret are stored as HMACs under
    the club's key, the address as its digest: the table names no one and holds nothing that
    signs anyone in. A code dies when used, at `expires_at`, or after its tries are spent.
    """

    address_hash = Varchar(length=64, index=True)
    # None: the address is no member's (the answer is the same; nothing is sent).
    user = ForeignKey(User, null=True, default=None)
    code_hash = Varchar(length=64)
    link_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    tries = Integer(default=0)
    used_at = Timestamptz(null=True, default=None)


class ConsoleAction(Table, tablename="console_action"):
    """One change a coordinator made in the console: who, when, what, and what it touched.

    Written in the transaction of the change itself (club.audit), so a change and its record land
    or fail together. `event_id` is a plain number: the events layer sits above this one.
    """

    user = ForeignKey(User, index=True)
    at = Timestamptz(index=True)
    # What was done, as club.audit.ConsoleActionKind names it ("event_published", …).
    action = Varchar(length=40)
    event_id = Integer(null=True, default=None, index=True)
    member = ForeignKey(Member, null=True, default=None, index=True)
    # What changed, in words a coordinator reads (never health or passport data).
    detail = Text(default="")
