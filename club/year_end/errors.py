"""Domain errors of the year-end rewards: a refused row of the rule table (400, or 409 when two
rows start at the same balance), and a run refused (409: the year is not over, or no rows)."""

from __future__ import annotations

from club.errors import Conflict, DomainError, InvalidInput
from club.year_end.rules import RuleProblem, RunRefusal

__all__ = ["RuleRefused", "RunRefused", "YearNotOver", "rule_error", "run_error"]


class RuleRefused(InvalidInput):
    slug = "year-end-rule-invalid"
    title = "Invalid year-end rule"


class DuplicateMinimum(Conflict):
    slug = "year-end-rule-duplicate"
    title = "Two rows start at the same balance"


class RunRefused(Conflict):
    slug = "year-end-no-rules"
    title = "No year-end rules"


class YearNotOver(Conflict):
    slug = "year-not-over"
    title = "The year is not over"


def rule_error(problem: RuleProblem, min_balance: int) -> DomainError:
    """The error a refused row raises; its detail is what the coordinator reads."""
    if problem is RuleProblem.duplicate_min_balance:
        return DuplicateMinimum("Two rows start at {min_balance} points: each row needs its own minimum.",
                                min_balance=min_balance)
    if problem is RuleProblem.min_balance_too_low:
        return RuleRefused("A row starts at 1 point or more.")
    if problem is RuleProblem.percent_missing:
        return RuleRefused("The row from {min_balance} points gives a voucher: write its percent.", min_balance=min_balance)
    if problem is RuleProblem.percent_out_of_range:
        return RuleRefused("A voucher is worth from 0.01% to 50% of the balance.")
    if problem is RuleProblem.reward_missing:
        return RuleRefused("The row from {min_balance} points gives a reward: choose it.", min_balance=min_balance)
    return RuleRefused("A row gives a voucher worth a percent or a reward, not both.")


def run_error(refusal: RunRefusal, year: int) -> DomainError:
    if refusal is RunRefusal.year_not_over:
        return YearNotOver("{year} is not over yet: its rewards are given from 1 January.", year=year)
    return RunRefused("The year-end table has no rows: add one before giving the rewards.")
