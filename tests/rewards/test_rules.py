"""club.rewards.rules on plain values: whether a member may redeem (price against balance, tier,
window, limit, stock), in the order a member is told, the points they lack, and what their list shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from club.i18n.languages import Language
from club.rewards.codes import ALPHABET, slip_number, voucher_code
from club.rewards.rules import Refusal, RewardFacts, WindowState, listed_for, points_to_go, redeem_refusal, text_in, window_state

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def facts(**changes: object) -> RewardFacts:
    base: dict[str, object] = {"price": 500, "balance": 800, "now": NOW}
    return RewardFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_member_with_the_points_redeems_an_unrestricted_reward() -> None:
    assert redeem_refusal(facts()) is None


@pytest.mark.parametrize(("balance", "refusal"), [(499, Refusal.not_enough_points), (500, None), (501, None), (0, Refusal.not_enough_points)])
def test_the_price_against_the_balance(balance: int, refusal: Refusal | None) -> None:
    assert redeem_refusal(facts(balance=balance)) is refusal


def test_points_to_go_is_what_is_missing_and_never_negative() -> None:
    assert points_to_go(500, 120) == 380
    assert points_to_go(500, 500) == 0
    assert points_to_go(500, 9_000) == 0


@pytest.mark.parametrize(("member_rank", "refusal"), [(None, Refusal.tier_too_low), (1, Refusal.tier_too_low), (2, None), (4, None)])
def test_a_minimum_tier_admits_it_and_above(member_rank: int | None, refusal: Refusal | None) -> None:
    assert redeem_refusal(facts(min_tier_rank=2, member_tier_rank=member_rank)) is refusal


def test_the_window_opens_at_its_start_and_closes_at_its_end() -> None:
    assert redeem_refusal(facts(available_from=NOW + HOUR)) is Refusal.not_yet
    assert redeem_refusal(facts(available_from=NOW)) is None
    assert redeem_refusal(facts(available_until=NOW + HOUR)) is None
    assert redeem_refusal(facts(available_until=NOW)) is Refusal.no_longer
    assert window_state(NOW, None, None) is WindowState.open


@pytest.mark.parametrize(("redeemed", "refusal"), [(0, None), (1, None), (2, Refusal.limit_reached), (3, Refusal.limit_reached)])
def test_a_per_member_limit_counts_the_members_redemptions(redeemed: int, refusal: Refusal | None) -> None:
    assert redeem_refusal(facts(per_member_limit=2, redeemed=redeemed)) is refusal


@pytest.mark.parametrize(("stock", "refusal"), [(None, None), (1, None), (0, Refusal.out_of_stock)])
def test_stock_none_is_unlimited_and_zero_is_out(stock: int | None, refusal: Refusal | None) -> None:
    assert redeem_refusal(facts(stock=stock)) is refusal


def test_the_order_of_the_reasons_is_what_the_member_is_told_first() -> None:
    everything_wrong = facts(
        active=False, available_from=NOW + HOUR, suspended=True, min_tier_rank=3, member_tier_rank=1,
        per_member_limit=1, redeemed=1, stock=0, balance=0,
    )
    order = [Refusal.inactive, Refusal.not_yet, Refusal.suspended, Refusal.tier_too_low, Refusal.limit_reached,
             Refusal.out_of_stock, Refusal.not_enough_points]
    fixes: list[dict[str, object]] = [
        {"active": True}, {"available_from": None}, {"suspended": False}, {"member_tier_rank": 3},
        {"redeemed": 0}, {"stock": 5}, {"balance": 500},
    ]
    current = everything_wrong
    for expected, fix in zip(order, fixes, strict=True):
        assert redeem_refusal(current) is expected
        current = RewardFacts(**{**{f: getattr(current, f) for f in RewardFacts.__dataclass_fields__}, **fix})  # type: ignore[arg-type]
    assert redeem_refusal(current) is None


def test_the_list_shows_what_is_open_to_the_members_tier_and_not_yet_closed() -> None:
    assert listed_for(facts(balance=0))  # shown with its points to go
    assert listed_for(facts(stock=0))  # shown as out of stock
    assert listed_for(facts(available_from=NOW + HOUR))  # shown as not yet
    assert not listed_for(facts(available_until=NOW))
    assert not listed_for(facts(active=False))
    assert not listed_for(facts(min_tier_rank=3, member_tier_rank=2))


def test_a_text_is_the_readers_language_else_the_other() -> None:
    assert text_in(Language.zh_hans, "丝巾", "Silk scarf") == "丝巾"
    assert text_in(Language.zh_hant, "丝巾", "Silk scarf") == "丝巾"
    assert text_in(Language.en, "丝巾", "Silk scarf") == "Silk scarf"
    assert text_in(Language.en, "丝巾", "") == "丝巾"
    assert text_in(Language.zh_hans, "", "Silk scarf") == "Silk scarf"


def test_voucher_codes_are_random_in_an_unambiguous_alphabet_and_slips_are_numbers() -> None:
    codes = {voucher_code() for _ in range(2_000)}
    assert len(codes) == 2_000
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(ALPHABET)
    assert not set("01ILO") & set(ALPHABET)
    assert slip_number(42) == "000042" and slip_number(1_234_567) == "1234567"
