"""The tier rules as plain functions: thresholds, caps and the queue, and the review."""

from __future__ import annotations

import pytest

from club.ladder import DEFAULT_LADDER, rungs_of
from club.piccolo_migrations import club_2026_11_23t11_40_00_000000 as seeding_migration
from club.tier_rules import (
    LadderError,
    Queued,
    Rung,
    check_ladder,
    earned_rung,
    grant_queued,
    may_reach_a_tier,
    qualifies,
    review,
    tier_promotion,
)

SILVER = Rung(1, "Silver", 1, 0)
GOLD = Rung(2, "Gold", 2, 1_000)
PLATINUM = Rung(3, "Platinum", 3, 5_000, member_cap=2)
DIAMOND = Rung(4, "Diamond", 4, 15_000, member_cap=1)
LADDER = [SILVER, GOLD, PLATINUM, DIAMOND]


@pytest.mark.parametrize(
    ("points", "expected"),
    [(0, SILVER), (999, SILVER), (1_000, GOLD), (4_999, GOLD), (5_000, PLATINUM), (15_000, DIAMOND), (10**7, DIAMOND)],
)
def test_earned_tier_is_the_highest_threshold_reached(points: int, expected: Rung) -> None:
    assert earned_rung(LADDER, points) == expected


def test_below_the_lowest_threshold_earns_no_tier() -> None:
    ladder = [Rung(1, "Gold", 1, 100)]
    assert earned_rung(ladder, 99) is None


def test_crossing_a_threshold_promotes_at_once() -> None:
    decision = tier_promotion(LADDER, SILVER, 1_000, holders={})
    assert decision.tier == GOLD and decision.queued_for is None


def test_points_can_jump_several_tiers() -> None:
    assert tier_promotion(LADDER, SILVER, 6_000, holders={}).tier == PLATINUM


def test_promotion_never_demotes() -> None:
    decision = tier_promotion(LADDER, PLATINUM, 10, holders={PLATINUM.id: 1})
    assert decision.tier == PLATINUM
    assert not decision.changed_from(PLATINUM)


def test_a_full_capped_tier_queues_the_member_and_gives_the_best_tier_with_room() -> None:
    decision = tier_promotion(LADDER, GOLD, 20_000, holders={DIAMOND.id: 1, PLATINUM.id: 0})
    assert decision.tier == PLATINUM
    assert decision.queued_for == DIAMOND


def test_when_every_tier_above_is_full_the_member_stays_and_waits() -> None:
    decision = tier_promotion(LADDER, GOLD, 20_000, holders={DIAMOND.id: 1, PLATINUM.id: 2})
    assert decision.tier == GOLD
    assert decision.queued_for == DIAMOND
    assert not decision.changed_from(GOLD)


def test_a_cap_of_zero_closes_the_tier() -> None:
    closed = Rung(4, "Diamond", 4, 15_000, member_cap=0)
    decision = tier_promotion([SILVER, GOLD, closed], GOLD, 50_000, holders={})
    assert decision.tier == GOLD and decision.queued_for == closed


def test_review_lowers_to_what_the_points_support() -> None:
    assert review(LADDER, DIAMOND, 4_000, holds_seat_now=False) == GOLD


def test_review_keeps_a_member_who_holds_a_seat_at_an_event_under_way() -> None:
    assert review(LADDER, DIAMOND, 4_000, holds_seat_now=True) == DIAMOND


def test_review_never_promotes() -> None:
    assert review(LADDER, SILVER, 50_000, holds_seat_now=False) == SILVER


def test_freed_places_go_to_the_oldest_in_the_queue() -> None:
    queue = [Queued(10, PLATINUM, DIAMOND), Queued(11, GOLD, DIAMOND)]
    assert grant_queued({DIAMOND.id: 0, PLATINUM.id: 2}, queue) == [(10, DIAMOND)]


def test_a_granted_place_frees_one_below_for_the_next_in_queue() -> None:
    # Member 10 leaves Platinum for Diamond; that Platinum place goes to member 11.
    queue = [Queued(10, PLATINUM, DIAMOND), Queued(11, GOLD, PLATINUM)]
    granted = grant_queued({DIAMOND.id: 0, PLATINUM.id: 2}, queue)
    assert granted == [(10, DIAMOND), (11, PLATINUM)]


def test_nothing_is_granted_while_tiers_are_full() -> None:
    queue = [Queued(10, GOLD, DIAMOND)]
    assert grant_queued({DIAMOND.id: 1}, queue) == []


@pytest.mark.parametrize(
    "ladder",
    [
        [SILVER, Rung(2, "Gold", 1, 1_000)],  # same rank
        [SILVER, Rung(2, "silver", 2, 1_000)],  # same name, any case
        [SILVER, Rung(2, "Gold", 2, 0)],  # threshold does not rise
        [Rung(1, "Silver", 1, -5)],  # negative threshold
        [Rung(1, "Silver", 1, 0, member_cap=-1)],  # negative cap
    ],
)
def test_a_ladder_that_cannot_be_climbed_is_refused(ladder: list[Rung]) -> None:
    with pytest.raises(LadderError):
        check_ladder(ladder)


def test_the_default_ladder_is_valid() -> None:
    check_ladder(rungs_of(DEFAULT_LADDER))


def test_the_seeding_migration_writes_the_default_ladder() -> None:
    # The migration holds a copy (migrations never import changing code): a new club gets the
    # ladder the code ships only while the two agree.
    as_code = [(t.name, t.rank, t.points_threshold, t.member_cap) for t in DEFAULT_LADDER]
    assert seeding_migration.DEFAULT_LADDER == as_code


# Spend qualification: points AND, where a tier asks one, the rolling twelve months' spend.
SPEND_GOLD = Rung(2, "Gold", 2, 1_000, spend_threshold=5_000_000, spend_currency="CNY")  # ¥50,000 a year
SPEND_LADDER = [SILVER, SPEND_GOLD, PLATINUM]


def test_a_tier_that_asks_a_spend_needs_the_points_and_the_spend() -> None:
    assert qualifies(SPEND_GOLD, 1_000, {"CNY": 5_000_000})
    assert not qualifies(SPEND_GOLD, 999, {"CNY": 9_000_000})
    assert not qualifies(SPEND_GOLD, 1_000, {"CNY": 4_999_999})
    assert not qualifies(SPEND_GOLD, 1_000, {"HKD": 9_000_000})  # another currency is not converted
    assert qualifies(GOLD, 1_000, {})  # no spend asked


def test_the_earned_tier_is_the_highest_both_conditions_reach() -> None:
    assert earned_rung(SPEND_LADDER, 2_000, {}) == SILVER
    assert earned_rung(SPEND_LADDER, 2_000, {"CNY": 5_000_000}) == SPEND_GOLD
    assert earned_rung(SPEND_LADDER, 6_000, {}) == PLATINUM  # Platinum asks no spend
    assert tier_promotion(SPEND_LADDER, SILVER, 2_000, {}, {"CNY": 5_000_000}).tier == SPEND_GOLD
    assert tier_promotion(SPEND_LADDER, SILVER, 2_000, {}, {"CNY": 100}).tier == SILVER


def test_a_review_lowers_a_member_whose_spend_fell() -> None:
    assert review(SPEND_LADDER, SPEND_GOLD, 2_000, holds_seat_now=False, spend={"CNY": 10}) == SILVER
    assert review(SPEND_LADDER, SPEND_GOLD, 2_000, holds_seat_now=False, spend={"CNY": 5_000_000}) == SPEND_GOLD


def test_a_spend_needs_a_currency() -> None:
    with pytest.raises(LadderError):
        check_ladder([SILVER, Rung(2, "Gold", 2, 1_000, spend_threshold=10)])


@pytest.mark.parametrize(("balance", "next_threshold", "waiting", "may"), [
    (999, 1_000, False, False), (1_000, 1_000, False, True), (5, None, False, False), (5, None, True, True),
    (5, 1_000, True, True),
])
def test_one_predicate_says_when_no_tier_can_be_reached(balance: int, next_threshold: int | None, waiting: bool, may: bool) -> None:
    # Spend only adds a condition, so points below the next threshold reach nothing whatever the spend.
    assert may_reach_a_tier(balance, next_threshold, waiting) is may
