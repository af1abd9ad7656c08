"""The rules of the measures, with no I/O: which segment a member's recency and frequency fall in,
the period a coordinator asks about, and a rate that has nothing to divide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from club.errors import InvalidInput
from club.settings import Settings

__all__ = [
    "LONGEST_PERIOD_DAYS",
    "MeasurePolicy",
    "Period",
    "Segment",
    "SegmentCutoffs",
    "SegmentThresholds",
    "last_months",
    "month_period",
    "months_of",
    "period_of",
    "rate",
    "segment_of",
]

# A year and a day: a report spans a month, a quarter or a year, never a decade of events.
LONGEST_PERIOD_DAYS = 366
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class Segment(str, Enum):
    """Members by how lately and how often they came to the door."""

    active = "active"
    cooling = "cooling"
    dormant = "dormant"


@dataclass(frozen=True, slots=True)
class SegmentThresholds:
    """The club's thresholds (club.settings: SEGMENT_*), in days and visits."""

    active_days: int = 90
    active_visits: int = 2
    window_days: int = 365
    dormant_days: int = 180

    @classmethod
    def of(cls, settings: Settings) -> SegmentThresholds:
        return cls(settings.segment_active_days, settings.segment_active_visits, settings.segment_window_days,
                   settings.segment_dormant_days)

    def cutoffs(self, now: datetime) -> SegmentCutoffs:
        return SegmentCutoffs(
            active_since=now - timedelta(days=self.active_days),
            window_since=now - timedelta(days=self.window_days),
            dormant_before=now - timedelta(days=self.dormant_days),
            active_visits=self.active_visits,
        )


@dataclass(frozen=True, slots=True)
class SegmentCutoffs:
    """The thresholds as instants at one moment: what the rule and the SQL both compare with."""

    active_since: datetime
    window_since: datetime
    dormant_before: datetime
    active_visits: int


@dataclass(frozen=True, slots=True)
class MeasurePolicy:
    """The club's settings every measure is drawn with: what is late, and the segments' edges."""

    late: timedelta = timedelta(hours=48)
    thresholds: SegmentThresholds = SegmentThresholds()

    @classmethod
    def of(cls, settings: Settings) -> MeasurePolicy:
        return cls(timedelta(hours=settings.late_cancellation_hours), SegmentThresholds.of(settings))


def segment_of(last_attended: datetime | None, visits_in_window: int, cutoffs: SegmentCutoffs) -> Segment:
    """Active: came within the active days and at least `active_visits` times within the window.
    Dormant: never came, or last came before the dormant days. Cooling: everyone between.

    A threshold counts as inside: a visit exactly `active_days` ago is recent, one exactly
    `dormant_days` ago is not yet dormant. checkin.measures.segments says the same in SQL
    (tests/measures check that the two agree at the thresholds).
    """
    if last_attended is None or last_attended < cutoffs.dormant_before:
        return Segment.dormant
    if last_attended >= cutoffs.active_since and visits_in_window >= cutoffs.active_visits:
        return Segment.active
    return Segment.cooling


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (an event nobody answered)."""
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days on the club's clock, `first` to `last` inclusive; `starts` and `ends` (exclusive)
    are their instants, which the SQL compares with."""

    first: date
    last: date
    zone: str

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.first, time(), ZoneInfo(self.zone))

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), ZoneInfo(self.zone))


def month_period(day: date, zone: str) -> Period:
    """The calendar month holding `day`."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1), zone)


def last_months(now: datetime, zone: str, count: int) -> list[Period]:
    """The `count` calendar months before the one `now` falls in on the club's clock, oldest first."""
    months = [month_period(now.astimezone(ZoneInfo(zone)).date(), zone)]
    for _ in range(count):
        months.append(month_period(months[-1].first - timedelta(days=1), zone))
    return months[:0:-1]


def months_of(period: Period) -> list[Period]:
    """The calendar months a period touches, each cut to the period, in order."""
    months: list[Period] = []
    day = period.first
    while day <= period.last:
        month = month_period(day, period.zone)
        months.append(Period(day, min(month.last, period.last), period.zone))
        day = month.last + timedelta(days=1)
    return months


def _date(text: str, name: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("{name} must be a date written like 2026-12-01.", field=name, text_values={"name": name}) from None
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput("{name} must fall between 2000 and 2100.", field=name, text_values={"name": name})
    return value


def period_of(month: str | None, first: str | None, last: str | None, today: date, zone: str) -> Period:
    """The period asked for: a month ("2026-12"), or from one date to another (both included), or
    this month on the club's clock when neither is given. Anything else is refused as bad input."""
    if month is not None and (first is not None or last is not None):
        raise InvalidInput("Ask for a month or for dates from and to, not both.", field="month")
    if month is not None:
        if len(month) != 7 or month[4] != "-":
            raise InvalidInput("{name} must be a month written like 2026-12.", field="month", text_values={"name": "month"})
        try:
            return month_period(_date(month + "-01", "month"), zone)
        except InvalidInput:
            raise InvalidInput("{name} must be a month written like 2026-12.", field="month", text_values={"name": "month"}) from None
    if first is None and last is None:
        return month_period(today, zone)
    if first is None or last is None:
        raise InvalidInput("Ask for dates from and to together.", field="from" if first is None else "to")
    start, end = _date(first, "from"), _date(last, "to")
    if end < start:
        raise InvalidInput("The period ends before it starts.", field="to")
    if (end - start).days + 1 > LONGEST_PERIOD_DAYS:
        raise InvalidInput("A period spans at most {days} days.", field="to", days=LONGEST_PERIOD_DAYS)
    return Period(start, end, zone)
