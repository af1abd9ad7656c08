"""Domain errors of the rewards catalogue: each refusal of a redemption has its own problem type
a client can switch on (409, as the reward or the member's standing is what conflicts)."""

from __future__ import annotations

from club.errors import DomainError
from club.rewards.rules import Refusal
from club.suspension import MemberSuspended

__all__ = [
    "IdempotencyKeyReused",
    "LimitReached",
    "NoLongerAvailable",
    "NotEnoughPoints",
    "NotYetAvailable",
    "OutOfStock",
    "RedemptionClosed",
    "TierTooLow",
    "refusal_error",
]


class NotEnoughPoints(DomainError):
    slug = "not-enough-points"
    title = "Not enough points"


class OutOfStock(DomainError):
    slug = "out-of-stock"
    title = "Out of stock"


class NotYetAvailable(DomainError):
    slug = "reward-not-yet-available"
    title = "Not yet available"


class NoLongerAvailable(DomainError):
    slug = "reward-no-longer-available"
    title = "No longer available"


class TierTooLow(DomainError):
    slug = "tier-too-low"
    title = "Tier too low"


class LimitReached(DomainError):
    slug = "redemption-limit-reached"
    title = "Limit reached"


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key sent again for another reward: not a retry of the first request."""

    slug = "idempotency-key-reused"
    title = "Idempotency key reused"


class RedemptionClosed(DomainError):
    """A redemption already handed over or cancelled: each happens once."""

    slug = "redemption-closed"
    title = "Redemption closed"


def refusal_error(refusal: Refusal, *, price: int, balance: int) -> DomainError:
    """The error a refused redemption raises; its detail is what the member reads."""
    if refusal is Refusal.not_enough_points:
        return NotEnoughPoints(
            "This reward costs {price} points and you have {balance}: {missing} points to go.",
            price=price, balance=balance, missing=price - balance,
        )
    if refusal is Refusal.out_of_stock:
        return OutOfStock("This reward is out of stock.")
    if refusal is Refusal.not_yet:
        return NotYetAvailable("This reward cannot be redeemed yet.")
    if refusal in (Refusal.no_longer, Refusal.inactive):
        return NoLongerAvailable("This reward is no longer available.")
    if refusal is Refusal.tier_too_low:
        return TierTooLow("This reward is for a higher tier than yours.")
    if refusal is Refusal.limit_reached:
        return LimitReached("You have redeemed this reward as many times as it allows.")
    return MemberSuspended("Your membership is suspended: rewards cannot be redeemed until it is reactivated.")
