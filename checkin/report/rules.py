"""The report's rules, with no I/O: the twelve months a report looks back over, and the month's
headline figures summed from its kinds' rows (arithmetic on a few rows: the counting was the
database's)."""

from __future__ import annotations

from datetime import timedelta

from checkin.measures.rows import KindFigures, SegmentsOut
from checkin.measures.rules import Period, Segment, month_period, rate
from checkin.report.rows import Headline
from checkin.surveys.rows import SurveyFigures

__all__ = ["MONTHS_BACK", "headline_of", "trailing_months"]

# A year of months, the report's own month last: the same month a year ago is the first.
MONTHS_BACK = 12


def trailing_months(month: Period, n: int = MONTHS_BACK) -> list[Period]:
    """The `n` calendar months ending with `month`'s, oldest first, on the same clock."""
    months = [month_period(month.first, month.zone)]
    while len(months) < n:
        months.insert(0, month_period(months[0].first - timedelta(days=1), month.zone))
    return months


def headline_of(kinds: list[KindFigures], satisfaction: SurveyFigures, segments: SegmentsOut) -> Headline:
    """The month at a glance: its held events' figures summed over the kinds, the rates over the
    sums (fill: all seats held over all seats offered), the answers about its events, and the
    active memberships now, with how many are active."""
    capacity = sum(k.capacity for k in kinds)
    seats = sum(k.seats_confirmed for k in kinds)
    checked_in = sum(k.checked_in for k in kinds)
    no_shows = sum(k.no_shows for k in kinds)
    return Headline(
        events=sum(k.events for k in kinds), cancelled_events=sum(k.cancelled_events for k in kinds),
        rsvps=sum(k.rsvps for k in kinds), seats_confirmed=seats, capacity=capacity,
        fill_rate=rate(seats, capacity), checked_in=checked_in, no_shows=no_shows,
        no_show_rate=rate(no_shows, checked_in + no_shows),
        late_cancellations=sum(k.late_cancellations for k in kinds),
        answers=satisfaction.answers, mean_score=satisfaction.mean_score, net_promoter=satisfaction.net_promoter,
        members=sum(t.members for t in segments.tiers),
        active_members=sum(c.members for t in segments.tiers for c in t.segments if c.segment is Segment.active),
    )
