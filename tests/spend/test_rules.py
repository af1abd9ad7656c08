"""The spend rules on plain values: rates, points per receipt, refunds in proportion, CSV amounts,
the twelve months."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from club.spend.rules import (
    CurrencyRefusal,
    EarningRates,
    amount_of_text,
    currency_refusal,
    points_for,
    refund_points,
    refund_refusal,
    twelve_months_before,
)

RATES = EarningRates.parse("CNY=1,HKD=1,EUR=8,JPY=0.05")


def test_rates_are_parsed_as_decimals_and_bad_ones_refused() -> None:
    assert RATES.per_unit == {"CNY": Decimal(1), "HKD": Decimal(1), "EUR": Decimal(8), "JPY": Decimal("0.05")}
    for bad in ("", "CNY", "XYZ=1", "CNY=a lot", "CNY=-1", "CNY=5000", "CNY=NaN"):
        with pytest.raises(ValueError):
            EarningRates.parse(bad)


def test_a_receipt_earns_whole_units_times_the_rate_rounded_down() -> None:
    assert points_for(1_280_090, "CNY", RATES) == 12_800  # ¥12,800.90
    assert points_for(99, "CNY", RATES) == 0  # ¥0.99
    assert points_for(12_345, "EUR", RATES) == 987  # €123.45 × 8 = 987.6
    assert points_for(10_000, "JPY", RATES) == 500  # ¥10,000 has no minor unit


def test_currencies_unknown_not_earned_and_mismatched_are_told_apart() -> None:
    assert currency_refusal("CNY", RATES) is None
    assert currency_refusal("XYZ", RATES) is CurrencyRefusal.unknown
    assert currency_refusal("USD", RATES) is CurrencyRefusal.not_earned
    assert currency_refusal("HKD", RATES, receipt_currency="CNY") is CurrencyRefusal.mismatched
    assert currency_refusal("CNY", RATES, receipt_currency="CNY") is None


def test_refunds_take_back_points_in_proportion_and_never_more_than_earned() -> None:
    # ¥3,000.00 earned 3,000 points; refunded in three parts, then nothing is left.
    amount, points = 300_000, 3_000
    first = refund_points(points, amount, 0, 100_000)
    second = refund_points(points, amount, 100_000, 50_050)
    third = refund_points(points, amount, 150_050, 149_950)
    assert (first, second, third) == (1_000, 501, 1_499)
    assert first + second + third == points
    assert refund_refusal(amount, 300_000, 1) is not None
    assert refund_refusal(amount, 150_050, 149_950) is None
    # A receipt that earned a point for ¥1.99: the member keeps none of it after refunding ¥1.00.
    assert refund_points(1, 199, 0, 100) == 1
    assert refund_points(1, 199, 100, 99) == 0
    assert refund_points(0, 50, 0, 50) == 0


def test_any_split_of_a_full_refund_takes_back_exactly_the_points() -> None:
    amount, points = 1_234_567, 12_345
    for parts in ((1, 1_234_566), (617_283, 617_284), (3,) * 1 + (1_234_564,), (100_000,) * 12 + (34_567,)):
        refunded, taken = 0, 0
        for part in parts:
            taken += refund_points(points, amount, refunded, part)
            refunded += part
            assert taken <= points
        assert refunded == amount and taken == points, parts


def test_a_csv_amount_is_read_in_minor_units_without_float() -> None:
    assert amount_of_text("12800.50", "CNY") == 1_280_050
    assert amount_of_text("12,800.5", "CNY") == 1_280_050
    assert amount_of_text(" 0.10 ", "CNY") == 10
    assert amount_of_text("10000", "JPY") == 10_000
    for bad in ("", "-5", "0", "1.005", "abc", "1e400", "NaN", "1.5"):
        currency = "JPY" if bad == "1.5" else "CNY"
        assert amount_of_text(bad, currency) is None, bad


def test_the_twelve_months_end_now_and_begin_a_year_before() -> None:
    assert twelve_months_before(datetime(2026, 12, 1, 9, 30, tzinfo=UTC)) == datetime(2025, 12, 1, 9, 30, tzinfo=UTC)
    assert twelve_months_before(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2027, 2, 28, tzinfo=UTC)
