"""Tables of the rewards catalogue: a reward, and one member's redemption of it.

A reward's `stock` is the number of pieces left to redeem (None: unlimited). Redeeming takes one
with a conditional UPDATE and a cancellation gives it back (club.rewards.stock), so the counter is
never read and written back. What a redemption cost is a ledger entry keyed by the redemption
(club.points.award), and its return another, so a balance stays the sum of the ledger.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, Tier, User

__all__ = ["Redemption", "RedemptionStatus", "Reward", "RewardImage", "RewardKind"]


class RewardKind(str, Enum):
    gift = "gift"  # an object collected at the boutique, against a collection slip
    voucher = "voucher"  # a code the member shows or types at the till
    experience = "experience"  # a place at a private moment (a workshop, a fitting), by slip


class RedemptionStatus(str, Enum):
    pending = "pending"  # spent, not yet collected
    handed_over = "handed_over"
    cancelled = "cancelled"  # points and the piece given back


class Reward(Table, tablename="reward"):
    """One entry of the catalogue, as the club writes it in Chinese and English."""

    kind = Varchar(length=16)
    title_zh = Varchar(length=120, default="")
    title_en = Varchar(length=120, default="")
    description_zh = Text(default="")
    description_en = Text(default="")
    price = Integer()  # in points, at least 1
    stock = Integer(null=True, default=None)  # pieces left; None: unlimited
    min_tier = ForeignKey(Tier, null=True, default=None)
    per_member_limit = Integer(null=True, default=None)  # redemptions not cancelled; None: no limit
    available_from = Timestamptz(null=True, default=None)
    available_until = Timestamptz(null=True, default=None)
    active = Boolean(default=True, index=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Redemption(Table, tablename="reward_redemption"):
    """A member's redemption of a reward; `redemption_key` "<member>:<client's key>" is unique, so
    a request the member's phone retries with the same key lands once."""

    reward = ForeignKey(Reward, index=True)
    member = ForeignKey(Member, index=True)
    redemption_key = Varchar(length=100, unique=True)
    points = Integer()  # the price paid, as it was at the time
    status = Varchar(length=16, default=RedemptionStatus.pending.value, index=True)
    # A voucher's code (random, unguessable: club.rewards.codes); None for a slip, whose number is the id.
    voucher_code = Varchar(length=32, null=True, default=None, unique=True)
    created_at = Timestamptz(index=True)
    handed_over_at = Timestamptz(null=True, default=None)
    handed_over_by = ForeignKey(User, null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancelled_by = ForeignKey(User, null=True, default=None)
    cancel_reason = Text(default="")


class RewardImage(Table, tablename="reward_image"):
    """A reward's picture, one per reward (a new upload replaces it): the bytes as uploaded, their
    type as their magic numbers say (club.rewards.images), and a strong ETag of them."""

    reward = ForeignKey(Reward, unique=True)
    content_type = Varchar(length=16)  # image/png, image/jpeg or image/webp
    data = Bytea()
    etag = Varchar(length=40)
    updated_at = Timestamptz()
