"""The honours' pure rules on plain values: a period's bounds on the club's clock (a change of the
clocks inside it, the turn of a year), ranks with ties, display names, and the next tier."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from club.honours.rules import (
    DisplayNameRefused,
    NextTier,
    NextTierState,
    Period,
    SpendToGo,
    TierStep,
    clean_display_name,
    next_tier,
    next_tier_asks_spend,
    period_bounds,
    ranks_with_ties,
    tier_progress,
)

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_month_holding_the_spring_change_is_an_hour_shorter_and_starts_at_local_midnight() -> None:
    start, end = period_bounds(Period.month, datetime(2026, 3, 29, 12, 0, tzinfo=UTC), PARIS)
    assert start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # 1 March 00:00 in Paris (winter time)
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # 1 April 00:00 in Paris (summer time)
    assert (end - start).total_seconds() == 31 * 86400 - 3600


def test_the_autumn_change_makes_the_quarter_an_hour_longer() -> None:
    start, end = period_bounds(Period.season, datetime(2026, 11, 15, tzinfo=UTC), PARIS)
    assert start == datetime(2026, 9, 30, 22, 0, tzinfo=UTC) and end == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 92 * 86400 + 3600


def test_new_years_eve_in_utc_is_already_the_new_year_in_shanghai() -> None:
    instant = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 January 2027 in Shanghai
    for period in Period:
        start, _ = period_bounds(period, instant, SHANGHAI)
        assert start == datetime(2026, 12, 31, 16, 0, tzinfo=UTC), period
    assert period_bounds(Period.year, instant, SHANGHAI)[1] == datetime(2027, 12, 31, 16, 0, tzinfo=UTC)
    # In Paris it is still 2026: December, the fourth quarter, the year 2026.
    assert period_bounds(Period.year, instant, PARIS) == (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    assert period_bounds(Period.month, instant, PARIS)[0] == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(("month", "first"), [(1, 1), (3, 1), (4, 4), (6, 4), (7, 7), (9, 7), (10, 10), (12, 10)])
def test_seasons_are_calendar_quarters(month: int, first: int) -> None:
    start, _ = period_bounds(Period.season, datetime(2026, month, 15, 12, tzinfo=UTC), SHANGHAI)
    assert start.astimezone(SHANGHAI).month == first and start.astimezone(SHANGHAI).day == 1


def test_equal_scores_share_a_rank_and_the_next_rank_skips() -> None:
    assert ranks_with_ties([9, 7, 7, 7, 3, 3, 1]) == [1, 2, 2, 2, 5, 5, 7]
    assert ranks_with_ties([5, 5]) == [1, 1]
    assert ranks_with_ties([]) == []
    with pytest.raises(ValueError):
        ranks_with_ties([1, 2])


def test_a_display_name_is_trimmed_and_refused_when_empty_long_or_invisible() -> None:
    assert clean_display_name("  银 卡   小王 ") == "银 卡 小王"
    assert clean_display_name("x" * 24) == "x" * 24
    for bad in ("", "   ", "x" * 25, "a\u200bb", "a\x00b", "a\nb"):
        with pytest.raises(DisplayNameRefused):
            clean_display_name(bad)


LADDER = [TierStep("Silver", 1, 0), TierStep("Gold", 2, 1_000), TierStep("Platinum", 3, 5_000), TierStep("Diamond", 4, 15_000)]


def test_the_next_tier_is_the_rung_above_with_the_points_it_lacks() -> None:
    assert next_tier(LADDER, 1, None, 680) == NextTier(NextTierState.to_go, "Gold", 320)
    assert next_tier(LADDER, 3, None, 14_999) == NextTier(NextTierState.to_go, "Diamond", 1)
    assert next_tier(LADDER, None, None, 0) == NextTier(NextTierState.to_go, "Silver", 0)


def test_nothing_is_above_the_top_and_a_queued_member_waits_for_a_place() -> None:
    assert next_tier(LADDER, 4, None, 90_000) == NextTier(NextTierState.top, None, 0)
    # Diamond is full: the member climbed to Platinum and waits; no points are missing.
    assert next_tier(LADDER, 3, 4, 20_000) == NextTier(NextTierState.queued, "Diamond", 0)
    # Platinum was full too: still Gold, and it is Diamond they wait for.
    assert next_tier(LADDER, 2, 4, 20_000) == NextTier(NextTierState.queued, "Diamond", 0)


# Diamond also asks ¥50,000 of spend over the rolling twelve months (minor units).
SPEND_LADDER = [*LADDER[:3], TierStep("Diamond", 4, 15_000, 5_000_000, "CNY")]


def test_a_next_tier_asking_a_yearly_spend_says_it_beside_the_points_until_it_is_reached() -> None:
    asked = SpendToGo("CNY", 5_000_000, 3_200_000)
    assert next_tier(SPEND_LADDER, 3, None, 13_800, {"CNY": 3_200_000}) == NextTier(NextTierState.to_go, "Diamond", 1_200, asked)
    # The points are there; only the spend lacks.
    assert next_tier(SPEND_LADDER, 3, None, 16_000, {"CNY": 3_200_000}) == NextTier(NextTierState.to_go, "Diamond", 0, asked)
    # Nothing spent, or spent in another currency (never converted): all of it lacks.
    nothing = NextTier(NextTierState.to_go, "Diamond", 1_200, SpendToGo("CNY", 5_000_000, 0))
    assert next_tier(SPEND_LADDER, 3, None, 13_800) == nothing
    assert next_tier(SPEND_LADDER, 3, None, 13_800, {"HKD": 9_000_000}) == nothing
    # Reached: only the points are said, as for a tier asking none.
    assert next_tier(SPEND_LADDER, 3, None, 13_800, {"CNY": 5_000_000}) == NextTier(NextTierState.to_go, "Diamond", 1_200)
    # A tier below asks none; a queued member waits for a place, whatever they spent.
    assert next_tier(SPEND_LADDER, 2, None, 4_000, {}) == NextTier(NextTierState.to_go, "Platinum", 1_000)
    assert next_tier(SPEND_LADDER, 3, 4, 20_000, {}) == NextTier(NextTierState.queued, "Diamond", 0)


def test_the_spend_is_read_only_when_the_next_tier_asks_one() -> None:
    assert next_tier_asks_spend(SPEND_LADDER, 3, None)
    assert not next_tier_asks_spend(SPEND_LADDER, 2, None)  # Platinum asks none
    assert not next_tier_asks_spend(SPEND_LADDER, 3, 4)  # queued: no spend is said
    assert not next_tier_asks_spend(SPEND_LADDER, 4, None)  # the top
    assert not next_tier_asks_spend(LADDER, 3, None)


def test_the_bar_to_the_next_tier_is_the_lesser_of_its_points_and_its_spend() -> None:
    to_go = NextTier(NextTierState.to_go, "Diamond", 1_200)
    assert tier_progress(5_000, 15_000, 13_800, to_go) == 88
    spend = SpendToGo("CNY", 5_000_000, 1_200_000)
    assert tier_progress(5_000, 15_000, 13_800, NextTier(NextTierState.to_go, "Diamond", 1_200, spend)) == 24
    # The points are there; a tenth of the spend shows a tenth.
    assert tier_progress(5_000, 15_000, 15_000, NextTier(NextTierState.to_go, "Diamond", 0, SpendToGo("CNY", 100, 10))) == 10
    assert tier_progress(5_000, None, 20_000, NextTier(NextTierState.top, None, 0)) == 100
    assert tier_progress(5_000, 15_000, 16_000, NextTier(NextTierState.queued, "Diamond", 0)) == 100
    assert tier_progress(5_000, 15_000, 4_000, to_go) == 0  # a balance below the tier's own threshold (expired points)
