"""The measures' plain rules: the segment of a recency and a frequency, the period asked for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from checkin.measures.rules import Period, Segment, SegmentThresholds, period_of, rate, segment_of
from club.errors import InvalidInput

NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)
CUTS = SegmentThresholds(active_days=90, active_visits=2, window_days=365, dormant_days=180).cutoffs(NOW)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("last", "visits", "segment"), [
    (None, 0, Segment.dormant),
    (NOW, 2, Segment.active),
    (NOW - 90 * DAY, 2, Segment.active),
    (NOW - 90 * DAY - SECOND, 2, Segment.cooling),
    (NOW, 1, Segment.cooling),
    (NOW - 180 * DAY, 5, Segment.cooling),
    (NOW - 180 * DAY - SECOND, 5, Segment.dormant),
])
def test_segment_of(last: datetime | None, visits: int, segment: Segment) -> None:
    assert segment_of(last, visits, CUTS) is segment


def test_rate_of_nothing_is_none() -> None:
    assert (rate(1, 4), rate(0, 0)) == (0.25, None)


def test_a_month_from_to_or_this_month_on_the_clubs_clock() -> None:
    today = date(2026, 12, 20)
    assert period_of("2026-02", None, None, today, "Asia/Shanghai") == Period(date(2026, 2, 1), date(2026, 2, 28), "Asia/Shanghai")
    assert period_of(None, None, None, today, "UTC") == Period(date(2026, 12, 1), date(2026, 12, 31), "UTC")
    week = period_of(None, "2026-12-07", "2026-12-13", today, "Asia/Shanghai")
    assert (week.starts, week.ends) == (datetime(2026, 12, 6, 16, tzinfo=UTC), datetime(2026, 12, 13, 16, tzinfo=UTC))
    assert period_of(None, "2026-01-01", "2026-12-31", today, "UTC").last == date(2026, 12, 31)


@pytest.mark.parametrize(("month", "first", "last"), [
    ("2026-13", None, None), ("2026-1", None, None), ("december", None, None), ("2026-12", "2026-12-01", None),
    (None, "2026-12-01", None), (None, None, "2026-12-01"), (None, "2026-12-31", "2026-12-01"),
    (None, "2026-01-01", "2027-01-02"), (None, "1999-12-31", "2000-01-02"), (None, "2026-02-30", "2026-03-01"),
    (None, "yesterday", "today"),
])
def test_a_bad_period_is_refused(month: str | None, first: str | None, last: str | None) -> None:
    with pytest.raises(InvalidInput):
        period_of(month, first, last, date(2026, 12, 20), "UTC")
