"""Pure decisions of the year-end rewards: which row of the club's rule table a year's balance
earns, what a voucher is worth, whether a table and a run are valid. No I/O: club.year_end.awarding
runs the same choice in one SQL statement over every member, and tests/year_end/test_rules.py holds
the two to the same answers.

The balance a row is chosen by is the member's balance at the year's end: the sum of their ledger
entries made before 1 January of the next year on the club's clock (`year_end_cutoff`), not their
balance on the day the coordinator runs it, so points earned in January, or cleared by a yearly
expiry on 31 December at midnight, do not change which row a member's year earned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "BASIS_POINTS",
    "MAX_PERCENT_BP",
    "RuleKind",
    "RuleProblem",
    "RunRefusal",
    "YearEndChoice",
    "YearEndRule",
    "choose",
    "rule_for",
    "rule_problem",
    "run_refusal",
    "table_problem",
    "voucher_value",
    "year_end_cutoff",
]

BASIS_POINTS = 10_000  # a percent is written in hundredths: 300 is 3%, 250 is 2.5%
MAX_PERCENT_BP = 5_000  # a voucher is worth at most half the year's balance


class RuleKind(StrEnum):
    percent = "percent"  # a voucher worth a share of the year's balance
    reward = "reward"  # a reward of the catalogue (club.rewards), given free


class RuleProblem(StrEnum):
    """Why a row of the rule table is refused (the service words it as a 400 or a 409)."""

    min_balance_too_low = "min_balance_too_low"  # a row starts at 1 point at least
    percent_missing = "percent_missing"  # a percent row without its percent
    percent_out_of_range = "percent_out_of_range"
    reward_missing = "reward_missing"  # a reward row without its reward
    both_given = "both_given"  # a row is a percent or a reward, not both
    duplicate_min_balance = "duplicate_min_balance"  # two rows start at the same balance


class RunRefusal(StrEnum):
    year_not_over = "year_not_over"  # the balance at the year's end is not known yet
    no_rules = "no_rules"  # an empty table awards nobody: refused rather than a run that does nothing


@dataclass(frozen=True, slots=True)
class YearEndRule:
    """One row: members whose balance at the year's end is at least `min_balance` (and below the
    next row's) earn it. `percent_bp` for a percent row, `reward` for a reward row."""

    id: int
    min_balance: int
    kind: RuleKind
    percent_bp: int | None = None
    reward: int | None = None


@dataclass(frozen=True, slots=True)
class YearEndChoice:
    rule: YearEndRule
    balance: int
    value: int | None  # a percent voucher's worth in whole units of its currency; None for a reward


def rule_problem(min_balance: int, kind: RuleKind, percent_bp: int | None, reward: int | None) -> RuleProblem | None:
    """What is wrong with one row on its own, or None."""
    if min_balance < 1:
        return RuleProblem.min_balance_too_low
    if percent_bp is not None and reward is not None:
        return RuleProblem.both_given
    if kind is RuleKind.percent:
        if percent_bp is None:
            return RuleProblem.percent_missing
        if not 1 <= percent_bp <= MAX_PERCENT_BP:
            return RuleProblem.percent_out_of_range
    elif reward is None:
        return RuleProblem.reward_missing
    return None


def table_problem(min_balances: Sequence[int]) -> RuleProblem | None:
    """What is wrong with the table as a whole: two rows starting at the same balance would make
    the row a member earns depend on which was written first."""
    return RuleProblem.duplicate_min_balance if len(set(min_balances)) != len(min_balances) else None


def rule_for(balance: int, rules: Sequence[YearEndRule]) -> YearEndRule | None:
    """The row a balance earns: the one with the highest `min_balance` not above it (the lowest id
    among equal ones, which a valid table never has); None below every row, for a balance of
    nothing or less, and for an empty table."""
    if balance < 1:
        return None
    fitting = [r for r in rules if r.min_balance <= balance]
    if not fitting:
        return None
    return min(fitting, key=lambda r: (-r.min_balance, r.id))


def voucher_value(balance: int, percent_bp: int) -> int:
    """A percent voucher's worth: the share of the balance, rounded down to a whole unit."""
    return max(balance, 0) * percent_bp // BASIS_POINTS


def choose(balance: int, rules: Sequence[YearEndRule]) -> YearEndChoice | None:
    """What a member with this balance at the year's end receives, or None: no row fits, or the
    row's percent of so small a balance is worth less than one unit."""
    rule = rule_for(balance, rules)
    if rule is None:
        return None
    if rule.kind is RuleKind.percent:
        value = voucher_value(balance, rule.percent_bp or 0)
        return YearEndChoice(rule, balance, value) if value >= 1 else None
    return YearEndChoice(rule, balance, None)


def year_end_cutoff(year: int, time_zone: str) -> datetime:
    """The instant the year ends on the club's clock: midnight opening 1 January of year + 1."""
    return datetime.combine(datetime(year + 1, 1, 1).date(), time(0), tzinfo=ZoneInfo(time_zone))


def run_refusal(year: int, now: datetime, time_zone: str, rule_count: int) -> RunRefusal | None:
    """Whether the year's rewards may be given now: the year is over, and the table has a row."""
    if now < year_end_cutoff(year, time_zone):
        return RunRefusal.year_not_over
    if rule_count == 0:
        return RunRefusal.no_rules
    return None
