"""Points expiry's pure rules on plain values: dates, cutoffs, window edges, a leap day, a DST
night in the club's zone, FIFO with part of the old points spent, and which reminder is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from club.expiry.rules import (
    ExpiryMode,
    ExpiryPolicy,
    cutoff_of,
    expiry_moment,
    last_expiry_before,
    local_midnight,
    next_expiry_on_or_after,
    parse_days,
    policy_problem,
    reminder_due,
    to_expire,
)

ROLLING = ExpiryPolicy(ExpiryMode.rolling, window_months=24)
YEARLY = ExpiryPolicy(ExpiryMode.yearly, clear_month=12, clear_day=31)
PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_rule_that_is_off_has_no_dates() -> None:
    off = ExpiryPolicy()
    assert off.mode is ExpiryMode.off
    assert next_expiry_on_or_after(off, date(2027, 3, 5)) is None
    assert last_expiry_before(off, date(2027, 3, 5)) is None
    with pytest.raises(ValueError):
        cutoff_of(off, date(2027, 3, 31))


def test_rolling_dates_are_month_ends_and_keep_points_the_whole_window() -> None:
    assert next_expiry_on_or_after(ROLLING, date(2027, 3, 5)) == date(2027, 3, 31)
    assert next_expiry_on_or_after(ROLLING, date(2027, 3, 31)) == date(2027, 3, 31)
    assert last_expiry_before(ROLLING, date(2027, 4, 1)) == date(2027, 3, 31)
    assert last_expiry_before(ROLLING, date(2027, 3, 31)) == date(2027, 2, 28)
    # Earned any day of March 2025: gone after 31 March 2027; April 2025's survive it.
    assert cutoff_of(ROLLING, date(2027, 3, 31)) == date(2025, 4, 1)
    assert cutoff_of(ExpiryPolicy(ExpiryMode.rolling, window_months=1), date(2027, 1, 31)) == date(2027, 1, 1)
    assert cutoff_of(ExpiryPolicy(ExpiryMode.rolling, window_months=13), date(2027, 1, 31)) == date(2026, 1, 1)


def test_a_leap_day_earns_like_any_day_of_its_month() -> None:
    # Rolling: 29 February 2024 with 24 months is in February 2024, gone after 28 February 2026.
    assert cutoff_of(ROLLING, date(2026, 2, 28)) == date(2024, 3, 1)
    assert date(2024, 2, 29) < cutoff_of(ROLLING, date(2026, 2, 28))
    assert not date(2024, 2, 29) < cutoff_of(ROLLING, date(2026, 1, 31))
    # Yearly on 29 February: the 28th in a common year, the 29th in a leap year.
    leap = ExpiryPolicy(ExpiryMode.yearly, clear_month=2, clear_day=29)
    assert policy_problem(leap) is None
    assert next_expiry_on_or_after(leap, date(2027, 1, 10)) == date(2027, 2, 28)
    assert next_expiry_on_or_after(leap, date(2028, 2, 29)) == date(2028, 2, 29)
    assert next_expiry_on_or_after(leap, date(2027, 3, 1)) == date(2028, 2, 29)
    assert cutoff_of(leap, date(2029, 2, 28)) == date(2028, 3, 1)


def test_yearly_clears_what_was_earned_up_to_the_previous_clearing_day() -> None:
    assert next_expiry_on_or_after(YEARLY, date(2027, 6, 1)) == date(2027, 12, 31)
    assert last_expiry_before(YEARLY, date(2027, 6, 1)) == date(2026, 12, 31)
    assert last_expiry_before(YEARLY, date(2028, 1, 1)) == date(2027, 12, 31)
    assert cutoff_of(YEARLY, date(2027, 12, 31)) == date(2027, 1, 1)
    mid_year = ExpiryPolicy(ExpiryMode.yearly, clear_month=6, clear_day=30)
    assert cutoff_of(mid_year, date(2027, 6, 30)) == date(2026, 7, 1)


def test_the_window_edge_is_the_club_midnight_of_the_cutoff() -> None:
    cutoff = local_midnight(cutoff_of(ROLLING, date(2027, 3, 31)), SHANGHAI)
    assert cutoff == datetime(2025, 3, 31, 16, 0, tzinfo=UTC)  # 1 April 2025 00:00 in Shanghai
    # The ledger's test is created_at < cutoff (tests/expiry/test_expiry.py writes entries on both sides).
    assert cutoff.astimezone(SHANGHAI).isoformat() == "2025-04-01T00:00:00+08:00"
    assert (cutoff - timedelta(microseconds=1)).astimezone(SHANGHAI).date() == date(2025, 3, 31)
    assert expiry_moment(date(2027, 3, 31), SHANGHAI) == datetime(2027, 3, 31, 16, 0, tzinfo=UTC)


def test_a_dst_night_in_the_club_zone() -> None:
    # Paris springs forward on 28 March 2027 (02:00 -> 03:00) and falls back on 31 October.
    assert local_midnight(date(2027, 3, 28), PARIS) == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert local_midnight(date(2027, 3, 29), PARIS) == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)
    assert expiry_moment(date(2027, 3, 31), PARIS) == datetime(2027, 3, 31, 22, 0, tzinfo=UTC)  # summer time
    assert expiry_moment(date(2027, 10, 31), PARIS) == datetime(2027, 10, 31, 23, 0, tzinfo=UTC)  # winter again
    # Havana's clocks jump from 00:00 to 01:00 on 14 March 2027: that day begins at the jump.
    havana = ZoneInfo("America/Havana")
    start = local_midnight(date(2027, 3, 14), havana)
    assert start == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    assert start.astimezone(havana).date() == date(2027, 3, 14)
    assert (start - timedelta(seconds=1)).astimezone(havana).date() == date(2027, 3, 13)


def test_fifo_a_member_who_spent_part_of_their_old_points() -> None:
    # 1,000 earned before the cutoff, 300 spent since, 500 earned after: 700 old points go.
    assert to_expire(earned_before_cutoff=1_000, taken_so_far=300, balance=1_200) == 700
    # Spent more than all the old points: nothing old is left to expire.
    assert to_expire(1_000, 1_000, 500) == 0
    assert to_expire(1_000, 1_500, 0) == 0
    # An earlier expiry counts as taken: a second run of the same date takes nothing more.
    assert to_expire(1_000, 300 + 700, 500) == 0
    # Never more than the balance.
    assert to_expire(1_000, 0, 400) == 400
    assert to_expire(0, 0, 400) == 0


def test_the_latest_reminder_whose_day_has_come_is_due() -> None:
    on = date(2027, 3, 31)
    assert reminder_due((30, 7), on, date(2027, 2, 28)) is None
    assert reminder_due((30, 7), on, date(2027, 3, 1)) == 30
    assert reminder_due((30, 7), on, date(2027, 3, 23)) == 30
    assert reminder_due((30, 7), on, date(2027, 3, 24)) == 7
    assert reminder_due((30, 7), on, date(2027, 3, 31)) == 7
    assert reminder_due((30, 7), on, date(2027, 4, 1)) is None
    assert reminder_due((), on, date(2027, 3, 31)) is None


def test_a_rule_that_cannot_be_is_refused_by_field() -> None:
    assert policy_problem(ExpiryPolicy(ExpiryMode.rolling, window_months=0)) == (
        "window_months", "The window is a whole number of months from 1 to 120.")
    assert policy_problem(ExpiryPolicy(ExpiryMode.yearly, clear_month=2, clear_day=30))[0] == "clear_day"  # type: ignore[index]
    assert policy_problem(ExpiryPolicy(ExpiryMode.yearly, clear_month=4, clear_day=31))[0] == "clear_day"  # type: ignore[index]
    assert policy_problem(ExpiryPolicy(reminder_days=(30, 14, 7, 3, 1)))[0] == "reminder_days"  # type: ignore[index]
    assert policy_problem(ExpiryPolicy(reminder_days=(0,)))[0] == "reminder_days"  # type: ignore[index]
    assert parse_days("7, 30，30") == (30, 7)
    assert parse_days("") == ()
    assert parse_days("a week") is None
