"""Request and response shapes of the year-end rewards and the birthday gift (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.schemas import Strict
from club.year_end.rules import MAX_PERCENT_BP, RuleKind

__all__ = [
    "AwardOut",
    "BirthdayGiftIn",
    "BirthdayGiftOut",
    "PreviewMember",
    "PreviewOut",
    "PreviewRow",
    "RuleIn",
    "RuleOut",
    "RulesIn",
    "RunOut",
]

Currency = Annotated[str, Meta(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
MinBalance = Annotated[int, Meta(ge=1, le=1_000_000_000)]
PercentBp = Annotated[int, Meta(ge=1, le=MAX_PERCENT_BP)]
RewardId = Annotated[int, Meta(ge=1, le=2_147_483_647)]
Year = Annotated[int, Meta(ge=2000, le=2999)]


class RuleIn(Strict):
    """One row: from `min_balance` points at the year's end, a voucher worth `percent_bp`
    hundredths of a percent of the balance (300 is 3%) in `currency`, or the reward `reward_id`."""

    min_balance: MinBalance
    kind: RuleKind
    percent_bp: PercentBp | None = None
    currency: Currency = "CNY"
    reward_id: RewardId | None = None


class RulesIn(Strict):
    """The whole table, as it is to be from now on (an empty list empties it)."""

    rows: Annotated[list[RuleIn], Meta(max_length=20)]


class RuleOut(Struct, kw_only=True):
    id: int
    min_balance: int
    kind: RuleKind
    percent_bp: int | None
    currency: str
    reward_id: int | None
    reward_title: str  # in the reader's language; "" for a percent row


class PreviewRow(Struct, kw_only=True):
    """One row of the table in a year's preview: how many members it gives to, of whom how many
    already have theirs, and what it gives in all (a voucher's total worth, or pieces of a reward)."""

    rule: RuleOut
    members: int
    already_awarded: int
    total_value: int  # percent rows: the vouchers' total worth, in the row's currency; 0 otherwise
    pieces: int  # reward rows: pieces of the reward; 0 otherwise


class PreviewMember(Struct, kw_only=True):
    member_id: int
    name: str
    balance: int
    min_balance: int  # the row they earn
    value: int | None
    awarded: bool


class PreviewOut(Struct, kw_only=True):
    year: int
    year_end: datetime  # the instant the year ends on the club's clock: the balance is the one then
    can_run: bool
    refusal: str | None  # club.year_end.rules.RunRefusal's value when it cannot run now
    members: int
    already_awarded: int
    rows: list[PreviewRow]
    first_members: list[PreviewMember]  # the largest balances first


class RunOut(Struct, kw_only=True):
    year: int
    awarded: int  # rewards this run gave
    already_awarded: int  # members of the year who had theirs before this run


class AwardOut(Struct, kw_only=True):
    """A member's year-end reward: a voucher worth `value` `currency`, or a reward of the catalogue,
    with the code to show at the boutique."""

    id: int
    year: int
    balance: int
    kind: RuleKind
    percent_bp: int | None
    value: int | None
    currency: str
    reward_id: int | None
    reward_title: str
    voucher_code: str
    created_at: datetime


class BirthdayGiftIn(Strict):
    """The reward members receive free with their birthday points; None: no gift."""

    reward_id: RewardId | None = None


class BirthdayGiftOut(Struct, kw_only=True):
    reward_id: int | None
    reward_title: str
    updated_at: datetime | None
