"""The passport rule and the other pure decisions of travel, at their boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from travel.rules import (
    PassportReason,
    TravelerFacts,
    add_months,
    mask_passport,
    passport_problem,
    passport_required_until,
    return_date,
    room_refusal,
)
from travel.tables import RoomKind, TravelerRole


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 15), 6, date(2027, 9, 15)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # month end, leap year: clamped to 29 Feb
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # month end: clamped to 28 Feb
        (date(2027, 6, 30), 6, date(2027, 12, 30)),
        (date(2027, 12, 31), 6, date(2028, 6, 30)),
        (date(2027, 9, 10), 6, date(2028, 3, 10)),  # across the year
    ],
)
def test_calendar_months_clamp_to_the_end_of_shorter_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def _facts(expiry: date | None, traveler_id: int | None = 1) -> TravelerFacts:
    return TravelerFacts(traveler_id, 10, 20, "Li Wei", TravelerRole.member, expiry)


RETURN = date(2027, 5, 20)  # required until 2027-11-20


@pytest.mark.parametrize(
    ("expiry", "fails"),
    [(date(2027, 11, 19), True), (date(2027, 11, 20), False), (date(2027, 11, 21), False), (date(2027, 6, 1), True)],
)
def test_a_passport_must_be_valid_through_six_months_after_the_return(expiry: date, fails: bool) -> None:
    problem = passport_problem(_facts(expiry), RETURN)
    assert (problem is not None) == fails
    if problem is not None:
        assert problem.reason == PassportReason.expires_too_soon
        assert problem.required_until == date(2027, 11, 20)
        assert "Li Wei" in problem.detail and "2027-11-20" in problem.detail


def test_the_boundary_at_a_month_end_return() -> None:
    returns_on = date(2027, 8, 31)
    assert passport_required_until(returns_on) == date(2028, 2, 29)
    assert passport_problem(_facts(date(2028, 2, 28)), returns_on) is not None
    assert passport_problem(_facts(date(2028, 2, 29)), returns_on) is None
    assert passport_problem(_facts(date(2028, 3, 1)), returns_on) is None


def test_a_missing_document_or_traveler_fails_with_its_own_reason() -> None:
    assert passport_problem(_facts(None), RETURN).reason == PassportReason.missing_document  # type: ignore[union-attr]
    assert passport_problem(_facts(None, traveler_id=None), RETURN).reason == PassportReason.missing_traveler  # type: ignore[union-attr]


def test_the_return_day_is_read_on_the_last_items_clock() -> None:
    # 17:00 UTC on 20 May is already 21 May in Shanghai, still 20 May in Paris.
    ends = datetime(2027, 5, 20, 17, 0, tzinfo=UTC)
    assert return_date(ends, "Asia/Shanghai", "Europe/Paris") == date(2027, 5, 21)
    assert return_date(ends, None, "Europe/Paris") == date(2027, 5, 20)


def test_a_passport_number_is_masked_to_its_last_four() -> None:
    assert mask_passport("E12345678") == "•••••5678"
    assert mask_passport("1234") == "•••••"


def test_rooms_hold_one_or_two() -> None:
    assert room_refusal(RoomKind.single, 0) is None
    assert room_refusal(RoomKind.single, 1) is not None
    assert room_refusal(RoomKind.twin, 1) is None
    assert "twin room holds 2" in (room_refusal(RoomKind.twin, 2) or "")
