"""Request and response shapes of the rewards API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from club.bounds import Instant
from club.rewards.rules import Refusal
from club.rewards.tables import RedemptionStatus, RewardKind
from club.schemas import NextTierOut, Strict, TierName

__all__ = [
    "CancelIn",
    "MemberRewardOut",
    "RedemptionOut",
    "RewardIn",
    "RewardOut",
    "RewardUpdate",
]

Title = Annotated[str, Meta(max_length=120)]
Description = Annotated[str, Meta(max_length=2000)]
Price = Annotated[int, Meta(ge=1, le=100_000_000)]
Stock = Annotated[int, Meta(ge=0, le=1_000_000)]
Limit = Annotated[int, Meta(ge=1, le=1000)]


class RewardIn(Strict):
    """A new reward. At least one title (Chinese or English); `stock` None is unlimited,
    `min_tier` a tier's name, `per_member_limit` None no limit; the window's ends are instants."""

    kind: RewardKind
    price: Price
    title_zh: Title = ""
    title_en: Title = ""
    description_zh: Description = ""
    description_en: Description = ""
    stock: Stock | None = None
    min_tier: TierName | None = None
    per_member_limit: Limit | None = None
    available_from: Instant | None = None
    available_until: Instant | None = None
    active: bool = True


class RewardUpdate(Strict):
    """The fields a PATCH sets; `stock` is the number of pieces left from now on."""

    kind: RewardKind | UnsetType = UNSET
    price: Price | UnsetType = UNSET
    title_zh: Title | UnsetType = UNSET
    title_en: Title | UnsetType = UNSET
    description_zh: Description | UnsetType = UNSET
    description_en: Description | UnsetType = UNSET
    stock: Stock | None | UnsetType = UNSET
    min_tier: TierName | None | UnsetType = UNSET
    per_member_limit: Limit | None | UnsetType = UNSET
    available_from: Instant | None | UnsetType = UNSET
    available_until: Instant | None | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class RewardOut(Struct, kw_only=True):
    """A reward as coordinators manage it, with how many redemptions it has by status."""

    id: int
    kind: RewardKind
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    price: int
    stock: int | None
    min_tier: str | None
    per_member_limit: int | None
    available_from: datetime | None
    available_until: datetime | None
    active: bool
    pending: int
    handed_over: int
    cancelled: int
    image_url: str | None = None  # /rewards/{id}/image?v=..., when it has one


class MemberRewardOut(Struct, kw_only=True):
    """A reward as a member's list shows it, in their language, with whether they may redeem it now
    (`refusal` says why not) and the points they lack."""

    id: int
    kind: RewardKind
    title: str
    description: str
    price: int
    stock: int | None
    min_tier: str | None
    per_member_limit: int | None
    available_from: datetime | None
    available_until: datetime | None
    can_redeem: bool
    refusal: Refusal | None
    points_to_go: int
    image_url: str | None = None  # /rewards/{id}/image?v=..., when it has one


class RedemptionOut(Struct, kw_only=True):
    """A redemption: a voucher's code, or the collection slip's number to show at the boutique."""

    id: int
    reward_id: int
    member_id: int
    kind: RewardKind
    title: str
    points: int
    status: RedemptionStatus
    voucher_code: str | None
    slip_number: str | None
    created_at: datetime
    handed_over_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    balance: int  # the member's balance after it (after its cancellation, once cancelled)
    next_tier: NextTierOut | None = None  # beside the balance, as everywhere a balance is shown


class CancelIn(Strict):
    reason: Annotated[str, Meta(max_length=500)] = ""
