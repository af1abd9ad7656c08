"""Request and response shapes of the club core API (msgspec; never a table row).

Requests forbid unknown fields: a PATCH that names `tier` or `points` is refused outright, so a
member's standing changes only through the ledger and the tier rules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from club.bounds import INT32_MAX, Id, PastDay, check_dates
from club.honours.rules import NextTierState
from club.tables import MemberStatus, PointsReason
from club.worker_health import WorkerCondition

__all__ = [
    "AdjustmentIn",
    "AwardOut",
    "Email",
    "HealthOut",
    "MeUpdate",
    "MemberCreate",
    "MemberOut",
    "MemberUpdate",
    "Name",
    "NextTierOut",
    "PointsEntryOut",
    "PointsPage",
    "StaffCreate",
    "TierCreate",
    "TierOut",
    "TierUpdate",
    "TokenIssued",
    "TokenOut",
    "TokenRequest",
    "UserOut",
    "WorkerOut",
    "WorkerReportOut",
]

Name = Annotated[str, Meta(min_length=1, max_length=200)]
Email = Annotated[
    str, Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Phone = Annotated[str, Meta(min_length=4, max_length=32, pattern=r"^\+?[0-9 ()\-]{4,32}$")]
# A BCP 47 tag as browsers send it (`zh-Hans-CN`, `zh-TW`, `fr`); club.members checks it names a
# language and stores its canonical form (club.i18n.languages.canonical_tag).
Language = Annotated[
    str, Meta(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")
]
TimeZoneName = Annotated[str, Meta(min_length=1, max_length=64)]
TierName = Annotated[str, Meta(min_length=1, max_length=60)]
Points = Annotated[int, Meta(ge=0, le=100_000_000)]
MemberCap = Annotated[int, Meta(ge=0, le=INT32_MAX)]
# A tier's yearly spend, in minor units of its currency (fen, cents): up to a trillion yuan.
SpendThreshold = Annotated[int, Meta(ge=0, le=100_000_000_000_000)]
SpendCurrency = Annotated[str, Meta(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 (CNY, HKD, EUR)")]


class Strict(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request body: unknown fields are an error, not silently dropped, and every
    date and instant is checked against the club's range (`club.bounds`) as it is decoded."""

    def __post_init__(self) -> None:
        check_dates(self)


class MemberCreate(Strict):
    name: Name
    email: Email
    phone: Phone | None = None
    birthday: PastDay | None = None
    language: Language | None = None  # default: the club's language (CLUB_LOCALE)
    time_zone: TimeZoneName | None = None  # default: the club's time zone
    joined_on: PastDay | None = None  # default: today
    referred_by: Id | None = None


class MemberUpdate(Strict):
    """What a coordinator may change on a member. Points and tier are not here on purpose."""

    name: Name | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    phone: Phone | None | UnsetType = UNSET
    birthday: PastDay | None | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    time_zone: TimeZoneName | UnsetType = UNSET
    status: MemberStatus | UnsetType = UNSET


class MeUpdate(Strict):
    """What members change themselves: how to reach them, in which language and zone."""

    phone: Phone | None | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    time_zone: TimeZoneName | UnsetType = UNSET


class NextTierOut(Struct, kw_only=True, omit_defaults=True):
    """The points still needed for the next tier, beside every balance (club.honours.next_tier):
    `to_go` (`points` more earn `tier`), `queued` (the points are there; `tier` is full and the member
    waits for a place), `top` (nothing above; `tier` None). Where `tier` also asks a yearly spend the
    member has not reached: `spend_threshold` (minor units of `spend_currency` over the rolling twelve
    months) and `spend` (the member's); absent otherwise."""

    state: NextTierState
    tier: str | None
    points: int
    spend_threshold: int | None = None
    spend_currency: str | None = None
    spend: int | None = None


class MemberOut(Struct, kw_only=True):
    id: int
    user_id: int | None
    name: str
    email: str
    phone: str | None
    birthday: date | None
    language: str
    time_zone: str
    status: MemberStatus
    joined_on: date
    referred_by: int | None
    tier: str | None
    queued_for_tier: str | None
    points: int
    next_tier: NextTierOut


class TierOut(Struct, kw_only=True):
    id: int
    name: str
    rank: int
    points_threshold: int
    member_cap: int | None
    holders: int
    # The rolling twelve months' spend the tier also asks (minor units of spend_currency); None: none.
    spend_threshold: int | None = None
    spend_currency: str | None = None


class TierCreate(Strict):
    name: TierName
    rank: Annotated[int, Meta(ge=0, le=1000)]
    points_threshold: Points
    member_cap: MemberCap | None = None
    spend_threshold: SpendThreshold | None = None
    spend_currency: SpendCurrency | None = None


class TierUpdate(Strict):
    name: TierName | UnsetType = UNSET
    points_threshold: Points | UnsetType = UNSET
    member_cap: MemberCap | None | UnsetType = UNSET
    # Both together: a spend (minor units) and its currency; a null spend_threshold asks none.
    spend_threshold: SpendThreshold | None | UnsetType = UNSET
    spend_currency: SpendCurrency | UnsetType = UNSET


class PointsEntryOut(Struct, kw_only=True):
    id: int
    delta: int
    reason: PointsReason
    source: str
    note: str
    created_at: datetime


class PointsPage(Struct, kw_only=True):
    member_id: int
    balance: int
    next_tier: NextTierOut
    entries: list[PointsEntryOut]


class AdjustmentIn(Strict):
    delta: Annotated[int, Meta(ge=-1_000_000, le=1_000_000)]
    reason: Annotated[str, Meta(min_length=3, max_length=500)]


class AwardOut(Struct, kw_only=True):
    entry_id: int
    balance: int
    tier: str | None
    tier_changed: bool
    next_tier: NextTierOut


class StaffCreate(Strict):
    name: Name
    email: Email


class UserOut(Struct, kw_only=True):
    id: int
    role: str
    name: str
    email: str
    member_id: int | None


class TokenRequest(Strict):
    label: Annotated[str, Meta(max_length=100)] = ""


class TokenIssued(Struct, kw_only=True):
    id: int
    user_id: int
    token: str


class TokenOut(Struct, kw_only=True):
    id: int
    label: str
    created_at: datetime
    revoked_at: datetime | None


class WorkerOut(Struct, kw_only=True):
    """One job worker as its heartbeat row tells it (instants as ISO 8601 strings)."""

    name: str
    state: WorkerCondition  # never `none`
    last_heartbeat: str
    started_at: str
    redis_down_since: str | None
    jobs_complete: int
    jobs_failed: int
    jobs_ongoing: int


class WorkerReportOut(Struct, kw_only=True):
    """The workers' state and the queue, for coordinators (the queue's counts None without Redis)."""

    state: WorkerCondition  # the best any worker is in; `none` when none ever beat
    last_heartbeat: str | None
    stale_after_s: float
    queued_jobs: int | None
    due_jobs: int | None
    workers: list[WorkerOut]


class HealthOut(Struct, kw_only=True):
    """`/healthz`: "ok" or why not, for the database and Redis; `worker` for coordinators only."""

    status: str  # ok | degraded
    database: str
    redis: str
    worker: WorkerReportOut | UnsetType = UNSET


def to_dict(body: Struct) -> dict:
    """The fields a PATCH body actually set."""
    return {k: v for k, v in msgspec.structs.asdict(body).items() if v is not UNSET}
