"""The year-end rules on plain values: which row a year's balance earns, a voucher's worth, a
table's and a run's refusals, the instant a year ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from club.year_end.rules import (
    RuleKind,
    RuleProblem,
    RunRefusal,
    YearEndRule,
    choose,
    rule_for,
    rule_problem,
    run_refusal,
    table_problem,
    voucher_value,
    year_end_cutoff,
)

# The articles' table: 3% from 30,000 points, 2% below; and a gift from 100,000.
LOW = YearEndRule(1, 1, RuleKind.percent, percent_bp=200)
HIGH = YearEndRule(2, 30_000, RuleKind.percent, percent_bp=300)
GIFT = YearEndRule(3, 100_000, RuleKind.reward, reward=7)
TABLE = [HIGH, GIFT, LOW]  # any order


@pytest.mark.parametrize(("balance", "row"), [
    (0, None), (-50, None), (1, LOW), (29_999, LOW), (30_000, HIGH), (99_999, HIGH), (100_000, GIFT), (10**9, GIFT),
])
def test_the_row_is_the_highest_minimum_not_above_the_balance(balance: int, row: YearEndRule | None) -> None:
    assert rule_for(balance, TABLE) == row


def test_an_empty_table_gives_nothing_and_below_every_row_is_nothing() -> None:
    assert rule_for(50_000, []) is None
    assert rule_for(999, [HIGH]) is None


def test_equal_minimums_pick_the_lowest_id_whatever_the_order() -> None:
    a, b = YearEndRule(5, 100, RuleKind.percent, percent_bp=100), YearEndRule(4, 100, RuleKind.percent, percent_bp=900)
    assert rule_for(150, [a, b]) == b == rule_for(150, [b, a])


def test_a_voucher_is_worth_its_share_rounded_down() -> None:
    assert voucher_value(30_000, 300) == 900
    assert voucher_value(29_999, 200) == 599  # 599.98
    assert voucher_value(12_345, 250) == 308  # 2.5%: 308.625
    assert voucher_value(-10, 300) == 0


def test_what_a_member_receives() -> None:
    high = choose(30_000, TABLE)
    assert high is not None and (high.rule, high.value) == (HIGH, 900)
    gift = choose(120_000, TABLE)
    assert gift is not None and (gift.rule, gift.value) == (GIFT, None)
    assert choose(49, TABLE) is None  # 2% of 49 is worth less than one unit
    small = choose(50, TABLE)
    assert small is not None and small.value == 1


@pytest.mark.parametrize(("row", "problem"), [
    ((0, RuleKind.percent, 300, None), RuleProblem.min_balance_too_low),
    ((100, RuleKind.percent, None, None), RuleProblem.percent_missing),
    ((100, RuleKind.percent, 0, None), RuleProblem.percent_out_of_range),
    ((100, RuleKind.percent, 5_001, None), RuleProblem.percent_out_of_range),
    ((100, RuleKind.reward, None, None), RuleProblem.reward_missing),
    ((100, RuleKind.reward, 300, 7), RuleProblem.both_given),
    ((100, RuleKind.percent, 300, None), None),
    ((100, RuleKind.percent, 5_000, None), None),
    ((100, RuleKind.reward, None, 7), None),
])
def test_a_row_is_checked(row: tuple[int, RuleKind, int | None, int | None], problem: RuleProblem | None) -> None:
    assert rule_problem(*row) is problem


def test_two_rows_at_one_minimum_are_refused() -> None:
    assert table_problem([1, 30_000]) is None
    assert table_problem([]) is None
    assert table_problem([1, 30_000, 1]) is RuleProblem.duplicate_min_balance


def test_the_year_ends_at_midnight_on_the_clubs_clock() -> None:
    assert year_end_cutoff(2026, "Asia/Shanghai").astimezone(UTC) == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert year_end_cutoff(2026, "Europe/Paris").astimezone(UTC) == datetime(2026, 12, 31, 23, tzinfo=UTC)


def test_a_run_waits_for_the_years_end_and_a_row() -> None:
    zone = "Asia/Shanghai"
    just_before = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)
    at_end = datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert run_refusal(2026, just_before, zone, 2) is RunRefusal.year_not_over
    assert run_refusal(2026, at_end, zone, 2) is None
    assert run_refusal(2026, at_end, zone, 0) is RunRefusal.no_rules
    assert run_refusal(2025, at_end, zone, 1) is None
