"""Gathers a month's report from the measures' and the surveys' services: five statements (the
month's kinds, the twelve months' kinds, the segments, the year's and the month's answers), each
the one the Measures page and the API run."""

from __future__ import annotations

from datetime import datetime

from checkin.measures.event_figures import kind_figures_by_month
from checkin.measures.overview import late_hours, period_out
from checkin.measures.rules import MeasurePolicy, Period
from checkin.measures.segments import segment_counts
from checkin.report.rows import MonthlyReport, MonthOfKinds
from checkin.report.rules import headline_of, trailing_months
from checkin.surveys.summaries import period_satisfaction, year_satisfaction

__all__ = ["monthly_report"]


async def monthly_report(month: Period, now: datetime, policy: MeasurePolicy) -> MonthlyReport:
    """The report of `month` (a calendar month on the club's clock) as it stands at `now`: the
    segments are today's (the club keeps no history of them)."""
    months = trailing_months(month)
    by_month = await kind_figures_by_month(months, policy.late)
    kinds = by_month[-1]  # the report's own month: the same rows as kind_figures of it
    segments = await segment_counts(now, policy.thresholds)
    answers = await period_satisfaction(month)
    return MonthlyReport(
        period=period_out(month), generated_at=now, late_cancellation_hours=late_hours(policy),
        headline=headline_of(kinds, answers, segments), kinds=kinds,
        months=[MonthOfKinds(first=m.first, last=m.last, kinds=k) for m, k in zip(months, by_month, strict=True)],
        segments=segments, satisfaction=await year_satisfaction(month.first.year, month.zone),
        month_satisfaction=answers,
    )
