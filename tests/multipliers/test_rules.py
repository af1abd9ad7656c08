"""The multiplier rules on plain values: which factors apply, how they combine, which date counts,
and when a member may choose their own bonus day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from club.multipliers.rules import (
    ONE,
    BonusDayRule,
    FactorRefusal,
    Multiplication,
    OwnDayRefusal,
    OwnDayState,
    club_date,
    day_bounds,
    factor_text,
    kinds_of,
    kinds_text,
    multiply,
    own_day_refusal,
    permille_of,
)
from club.tables import PointsReason as K

SVIP = {K.attendance: 2000, K.spend: 2000}
MEMBER_DAY = BonusDayRule(1500, frozenset({K.attendance, K.visit}), "Member day")
OWN = BonusDayRule(2000, frozenset({K.attendance, K.visit, K.spend}), "own bonus day", own=True)


def test_an_svip_earns_double_on_the_kinds_the_club_chose_and_plain_on_the_others() -> None:
    assert multiply(100, K.attendance, SVIP, []).points == 200
    assert multiply(100, K.spend, SVIP, []).points == 200
    assert multiply(100, K.visit, SVIP, []).points == 100
    assert not multiply(100, K.visit, SVIP, []).multiplied


def test_the_tier_factor_times_the_highest_bonus_day_rounded_down() -> None:
    done = multiply(101, K.attendance, SVIP, [MEMBER_DAY, OWN])
    assert (done.tier_factor, done.day_factor, done.day) == (2000, 2000, OWN)
    assert done.points == 404  # 101 x 2 x 2: the own day (x2) beats the member day (x1.5), they never stack
    assert multiply(101, K.visit, {}, [MEMBER_DAY]).points == 151  # 151.5 rounded down
    assert multiply(3, K.attendance, {K.attendance: 1250}, []).points == 3  # 3.75: whole points only


def test_a_bonus_day_multiplies_only_its_kinds() -> None:
    assert multiply(100, K.spend, {}, [MEMBER_DAY]).points == 100
    assert multiply(100, K.referral, {K.referral: 3000}, [MEMBER_DAY]).points == 300


@pytest.mark.parametrize("kind", [K.adjustment, K.redemption, K.returned, K.refund, K.expiry])
def test_adjustments_redemptions_refunds_and_expiry_are_never_multiplied(kind: K) -> None:
    everything = {k: 5000 for k in K}
    day = BonusDayRule(3000, frozenset(K), "All")
    assert multiply(-100, kind, everything, [day]) == Multiplication(-100)
    assert multiply(100, kind, everything, [day]).points == 100


def test_negative_or_zero_earning_is_not_multiplied() -> None:
    assert multiply(0, K.attendance, SVIP, [OWN]).points == 0
    assert multiply(-50, K.attendance, SVIP, [OWN]).points == -50


def test_equal_days_name_the_clubs_first_so_the_statement_is_stable() -> None:
    twin = BonusDayRule(2000, frozenset({K.attendance}), "Anniversary")
    assert multiply(10, K.attendance, {}, [OWN, twin]).day == twin


def test_the_note_says_base_and_factors() -> None:
    done = multiply(100, K.attendance, SVIP, [MEMBER_DAY])
    assert done.explained() == "base 100 x tier 2 x day 1.5 (Member day) = 300"
    assert multiply(100, K.visit, {}, []).explained() == ""


def test_a_member_abroad_earns_by_the_clubs_date() -> None:
    # 23:30 in New York on 11 December is 12 December in Shanghai, the club's zone: the club's
    # member day of 12 December holds for them, and their own New York date does not count.
    instant = datetime(2026, 12, 11, 23, 30, tzinfo=UTC) + timedelta(hours=5)  # 23:30 EST
    assert instant.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).date() == date(2026, 12, 11)
    assert club_date(instant, "Asia/Shanghai") == date(2026, 12, 12)
    starts, ends = day_bounds(date(2026, 12, 12), "Asia/Shanghai")
    assert starts <= instant < ends


def test_a_club_date_on_a_night_the_clocks_change_has_its_own_length() -> None:
    starts, ends = day_bounds(date(2026, 10, 25), "Europe/Paris")
    assert ends - starts == timedelta(hours=25)
    assert starts.astimezone(UTC) == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2", 2000), ("1.5", 1500), (" 1.25 ", 1250), (Decimal(10), 10_000), ("3", 3000),
    ("1", FactorRefusal.out_of_range), ("0.5", FactorRefusal.out_of_range), ("10.5", FactorRefusal.out_of_range),
    ("1.2345", FactorRefusal.too_precise), ("two", FactorRefusal.not_a_number), ("NaN", FactorRefusal.not_a_number),
])
def test_a_factor_is_written_as_a_decimal_and_kept_in_per_mille(text: str, expected: int | FactorRefusal) -> None:
    assert permille_of(text) == expected


def test_factors_and_kinds_read_back_as_written() -> None:
    assert (factor_text(2000), factor_text(1500), factor_text(ONE)) == ("2", "1.5", "1")
    assert kinds_text({K.spend, K.attendance}) == "attendance,spend"
    assert kinds_of("attendance,spend") == {K.attendance, K.spend}


TODAY = date(2026, 12, 10)


def test_a_member_chooses_one_day_a_year_today_or_later() -> None:
    assert own_day_refusal(date(2026, 12, 24), TODAY, None) is None
    assert own_day_refusal(TODAY, TODAY, None) is None
    assert own_day_refusal(date(2027, 3, 1), TODAY, None) is None
    assert own_day_refusal(date(2026, 12, 9), TODAY, None) is OwnDayRefusal.in_the_past
    assert own_day_refusal(date(2028, 1, 1), TODAY, None) is OwnDayRefusal.too_far


def test_it_moves_until_it_has_passed_or_was_used() -> None:
    assert own_day_refusal(date(2026, 12, 30), TODAY, OwnDayState(date(2026, 12, 24), used=False)) is None
    assert own_day_refusal(date(2026, 12, 30), TODAY, OwnDayState(date(2026, 12, 1), used=False)) is OwnDayRefusal.passed
    assert own_day_refusal(date(2026, 12, 30), TODAY, OwnDayState(TODAY, used=True)) is OwnDayRefusal.used
