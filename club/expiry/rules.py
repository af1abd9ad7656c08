"""Pure decisions of points expiry: when points expire under the club's rule, which of them, how
many a member loses, and which reminder is due. No I/O; tested on plain values.

Two rules a club may run (DOMAIN.md: "points can expire"):
- rolling: points live `window_months` full months after the month they were earned in, and expire
  at the end of its last day (earned any day of March 2025, with 24 months: gone after 31 March
  2027). Expiry dates are month ends, so a member has one date a month to be told about.
- yearly: once a year, at the end of the clearing day (say 31 December), the points earned up to
  the previous year's clearing day expire ("积分有效期至次年清零日"); a 29 February clearing day
  is the 28th in other years.

Points expire oldest first (FIFO): what a member spent or lost is taken from their oldest points,
so at an expiry date they lose what they earned before its cutoff less everything taken from them
since they joined, earlier expiries included, and never more than their balance.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from club.i18n.catalogs import N_

__all__ = [
    "MAX_REMINDERS",
    "ExpiryMode",
    "ExpiryPolicy",
    "clearing_date",
    "cutoff_of",
    "expiry_moment",
    "last_expiry_before",
    "local_midnight",
    "next_expiry_on_or_after",
    "parse_days",
    "policy_problem",
    "reminder_due",
    "to_expire",
]

MAX_REMINDERS = 4


class ExpiryMode(StrEnum):
    off = "off"  # points never expire (the default)
    rolling = "rolling"
    yearly = "yearly"


@dataclass(frozen=True, slots=True)
class ExpiryPolicy:
    """The club's rule as plain values (club.expiry.tables.ExpiryRule holds it)."""

    mode: ExpiryMode = ExpiryMode.off
    window_months: int = 24
    clear_month: int = 12
    clear_day: int = 31
    reminder_days: tuple[int, ...] = (30, 7)


def policy_problem(policy: ExpiryPolicy) -> tuple[str, str] | None:
    """(the field, what is wrong with it as an English catalog text) for a rule that cannot be, or None."""
    if not 1 <= policy.window_months <= 120:
        return "window_months", N_("The window is a whole number of months from 1 to 120.")
    if not 1 <= policy.clear_month <= 12:
        return "clear_month", N_("The clearing month is a month from 1 to 12.")
    # Any year's length: 29 February is allowed (the 28th in other years).
    if not 1 <= policy.clear_day <= calendar.monthrange(2024, policy.clear_month)[1]:
        return "clear_day", N_("That month has no such day.")
    if len(policy.reminder_days) > MAX_REMINDERS:
        return "reminder_days", N_("At most four reminders.")
    if len(set(policy.reminder_days)) != len(policy.reminder_days) or not all(1 <= d <= 365 for d in policy.reminder_days):
        return "reminder_days", N_("Reminders are different whole numbers of days, from 1 to 365.")
    return None


def parse_days(text: str) -> tuple[int, ...] | None:
    """"30, 7" as (30, 7), largest first; None when it is not a list of whole numbers."""
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p]
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def clearing_date(policy: ExpiryPolicy, year: int) -> date:
    """The yearly rule's clearing day in `year` (29 February: the 28th in a common year)."""
    last = calendar.monthrange(year, policy.clear_month)[1]
    return date(year, policy.clear_month, min(policy.clear_day, last))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_expiry_on_or_after(policy: ExpiryPolicy, day: date) -> date | None:
    """The first expiry date on or after `day` (points expire at the end of it); None when off."""
    if policy.mode is ExpiryMode.rolling:
        return _month_end(day)
    if policy.mode is ExpiryMode.yearly:
        this_year = clearing_date(policy, day.year)
        return this_year if this_year >= day else clearing_date(policy, day.year + 1)
    return None


def last_expiry_before(policy: ExpiryPolicy, day: date) -> date | None:
    """The latest expiry date before `day`: on `day`, the one whose end has passed."""
    if policy.mode is ExpiryMode.rolling:
        return day.replace(day=1) - timedelta(days=1)
    if policy.mode is ExpiryMode.yearly:
        this_year = clearing_date(policy, day.year)
        return this_year if this_year < day else clearing_date(policy, day.year - 1)
    return None


def _months_before(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def cutoff_of(policy: ExpiryPolicy, expires_on: date) -> date:
    """The local day from which points survive `expires_on`: those earned before it expire."""
    if policy.mode is ExpiryMode.rolling:
        return _months_before(expires_on + timedelta(days=1), policy.window_months)
    if policy.mode is ExpiryMode.yearly:
        return clearing_date(policy, expires_on.year - 1) + timedelta(days=1)
    raise ValueError("a rule that is off has no cutoff")


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) `day` begins on `zone`'s clock. Where a clock jumps over midnight (Havana's
    spring night), it is the jump's instant: the first moment of that day."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def expiry_moment(expires_on: date, zone: ZoneInfo) -> datetime:
    """When points expiring on `expires_on` are gone: the end of that day, on the club's clock."""
    return local_midnight(expires_on + timedelta(days=1), zone)


def to_expire(earned_before_cutoff: int, taken_so_far: int, balance: int) -> int:
    """What a member loses at an expiry date (FIFO): their points earned before the cutoff less
    everything taken from them so far (spent, refunded, expired before), never below zero and never
    more than their balance."""
    return max(0, min(balance, earned_before_cutoff - taken_so_far))


def reminder_due(reminder_days: tuple[int, ...], expires_on: date, today: date) -> int | None:
    """Which reminder (days before `expires_on`) is due on `today`: the latest whose day has come.
    A member told 30 days before is told again 7 days before; one whose 30 days had passed when the
    rule began hears only the latest reminder, not all at once. None after the date, or none due."""
    if today > expires_on:
        return None
    come = [d for d in reminder_days if expires_on - timedelta(days=d) <= today]
    return min(come) if come else None
