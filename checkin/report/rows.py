"""The report's typed rows: what the gathering returns, to the page, the files and the API."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from checkin.measures.rows import KindFigures, PeriodOut, SegmentsOut
from checkin.surveys.rows import SurveyFigures, YearSatisfaction

__all__ = ["Headline", "MonthOfKinds", "MonthlyReport"]


class Headline(msgspec.Struct, frozen=True, kw_only=True):
    """The month's figures at a glance: its held events summed over their kinds (KindFigures says
    each), the satisfaction answers about them, and the active memberships now (`active_members`
    of them in the active segment). A rate is None with nothing to divide."""

    events: int
    cancelled_events: int
    rsvps: int
    seats_confirmed: int
    capacity: int
    fill_rate: float | None
    checked_in: int
    no_shows: int
    no_show_rate: float | None
    late_cancellations: int
    answers: int
    mean_score: float | None
    net_promoter: float | None
    members: int
    active_members: int


class MonthOfKinds(msgspec.Struct, frozen=True, kw_only=True):
    """One month of the twelve: each kind with an event starting in it."""

    first: date
    last: date
    kinds: list[KindFigures]


class MonthlyReport(msgspec.Struct, frozen=True, kw_only=True):
    """A month's report: `headline`, the month's `kinds` (fill rate and the door), the twelve
    `months` to it (oldest first, the report's month last), `segments` now, and the satisfaction
    of the month's year by quarter and kind (`month_satisfaction`: the month's events' answers)."""

    period: PeriodOut
    generated_at: datetime
    late_cancellation_hours: float
    headline: Headline
    kinds: list[KindFigures]
    months: list[MonthOfKinds]
    segments: SegmentsOut
    satisfaction: YearSatisfaction
    month_satisfaction: SurveyFigures
