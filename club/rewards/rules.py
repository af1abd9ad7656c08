"""Pure decisions of the rewards catalogue: whether a member may redeem a reward now, how many
points they lack, which rewards a member's list shows. No I/O: the services load the facts and
write what these say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from club.i18n.languages import Language

__all__ = [
    "Refusal", "RewardFacts", "WindowState", "listed_for", "points_to_go", "redeem_refusal", "text_in", "tier_allows", "window_state",
]


class Refusal(StrEnum):
    """Why a redemption is refused, in the order `redeem_refusal` checks them."""

    inactive = "inactive"  # withdrawn from the catalogue
    not_yet = "not_yet"  # before its window opens
    no_longer = "no_longer"  # after its window closed
    suspended = "suspended"  # the membership is suspended
    tier_too_low = "tier_too_low"
    limit_reached = "limit_reached"  # this member's redemptions of it reached its limit
    out_of_stock = "out_of_stock"
    not_enough_points = "not_enough_points"


class WindowState(StrEnum):
    open = "open"
    not_yet = "not_yet"
    closed = "closed"


@dataclass(frozen=True, slots=True)
class RewardFacts:
    """What decides one member's redemption of one reward, read in the redemption's transaction.

    Ranks are tier ranks (higher is higher); None for a member means no tier, for a reward no
    minimum. `redeemed` counts the member's redemptions of this reward not cancelled.
    """

    price: int
    balance: int
    now: datetime
    active: bool = True
    available_from: datetime | None = None
    available_until: datetime | None = None
    min_tier_rank: int | None = None
    member_tier_rank: int | None = None
    per_member_limit: int | None = None
    redeemed: int = 0
    stock: int | None = None  # pieces left; None: unlimited
    suspended: bool = False


def window_state(now: datetime, available_from: datetime | None, available_until: datetime | None) -> WindowState:
    """Open from `available_from` (included) until `available_until` (excluded); either may be open-ended."""
    if available_from is not None and now < available_from:
        return WindowState.not_yet
    if available_until is not None and now >= available_until:
        return WindowState.closed
    return WindowState.open


def tier_allows(min_tier_rank: int | None, member_tier_rank: int | None) -> bool:
    return min_tier_rank is None or (member_tier_rank is not None and member_tier_rank >= min_tier_rank)


def redeem_refusal(facts: RewardFacts) -> Refusal | None:
    """None when the member may redeem now; else the first reason they may not.

    The order is what the member is told first: what no one can change (withdrawn, the window),
    then what is about them (suspension, tier, their limit), then what the club has left, and
    last their points, since "points to go" is the one they can act on.
    """
    if not facts.active:
        return Refusal.inactive
    window = window_state(facts.now, facts.available_from, facts.available_until)
    if window is WindowState.not_yet:
        return Refusal.not_yet
    if window is WindowState.closed:
        return Refusal.no_longer
    if facts.suspended:
        return Refusal.suspended
    if not tier_allows(facts.min_tier_rank, facts.member_tier_rank):
        return Refusal.tier_too_low
    if facts.per_member_limit is not None and facts.redeemed >= facts.per_member_limit:
        return Refusal.limit_reached
    if facts.stock is not None and facts.stock <= 0:
        return Refusal.out_of_stock
    if facts.balance < facts.price:
        return Refusal.not_enough_points
    return None


def points_to_go(price: int, balance: int) -> int:
    """How many more points the member needs for this price (0 when they have enough)."""
    return max(0, price - balance)


def listed_for(facts: RewardFacts) -> bool:
    """Whether a member's list shows the reward: active, not past its window, and open to their
    tier. One they cannot redeem yet for want of points, stock or an open window is still shown,
    with the reason; one above their tier or withdrawn is not (it is not open to them)."""
    if not facts.active or not tier_allows(facts.min_tier_rank, facts.member_tier_rank):
        return False
    return window_state(facts.now, facts.available_from, facts.available_until) is not WindowState.closed


def text_in(language: Language, zh: str, en: str) -> str:
    """A text the club wrote in Chinese and English, for a reader of `language`: their own when
    written, else the other (a reward written in one language only is still shown)."""
    first, second = (zh, en) if language in (Language.zh_hans, Language.zh_hant) else (en, zh)
    return first or second
