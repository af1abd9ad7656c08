"""Request and response shapes of the expiry API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from club.expiry.rules import MAX_REMINDERS, ExpiryMode
from club.schemas import Strict

__all__ = ["ExpiryPreviewOut", "ExpiryRuleIn", "ExpiryRuleOut", "ExpiryRunOut", "MyExpiryOut"]

Months = Annotated[int, Meta(ge=1, le=120)]
Month = Annotated[int, Meta(ge=1, le=12)]
Day = Annotated[int, Meta(ge=1, le=31)]
DaysBefore = Annotated[int, Meta(ge=1, le=365)]


class ExpiryRuleIn(Strict):
    """The club's expiry rule: off, rolling (points live `window_months` after the month they were
    earned in) or yearly (at the end of `clear_month`/`clear_day`, the points earned up to the
    previous year's clearing day expire); reminders go `reminder_days` days before each date."""

    mode: ExpiryMode
    window_months: Months = 24
    clear_month: Month = 12
    clear_day: Day = 31
    reminder_days: Annotated[list[DaysBefore], Meta(max_length=MAX_REMINDERS)] = msgspec.field(default_factory=lambda: [30, 7])


class ExpiryRuleOut(Struct, kw_only=True):
    mode: ExpiryMode
    window_months: int
    clear_month: int
    clear_day: int
    reminder_days: list[int]
    effective_from: datetime | None
    updated_at: datetime | None
    next_expiry_on: date | None  # the next expiry date the rule will run


class ExpiryPreviewOut(Struct, kw_only=True):
    """What the next expiry date would take if it ran on today's ledger."""

    expires_on: date | None  # None: the rule is off
    cutoff: date | None  # points earned before this day (club's clock) expire
    members: int
    points: int


class ExpiryRunOut(Struct, kw_only=True):
    """An expiry run: the date it did (None: none due) and what this run wrote."""

    expires_on: date | None
    members: int
    points: int


class MyExpiryOut(Struct, kw_only=True):
    """A member's next expiry: `points` of their balance go at the end of `expires_on`, on the
    club's clock (`at` is that instant); points 0 and dates None when nothing will expire."""

    balance: int
    points: int
    expires_on: date | None
    at: datetime | None
