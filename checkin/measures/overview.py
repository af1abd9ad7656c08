"""A period's measures in one answer: per kind, each event, and today's segments per tier. What
the console's Measures page shows and what a monthly report starts from."""

from __future__ import annotations

from datetime import datetime

import msgspec

from checkin.measures.event_figures import events_figures, kind_figures
from checkin.measures.rows import EventFigures, KindFigures, PeriodOut, SegmentsOut
from checkin.measures.rules import MeasurePolicy, Period
from checkin.measures.segments import segment_counts

__all__ = ["EventsOut", "KindsOut", "Overview", "events_of", "kinds_of", "overview", "period_out"]


class KindsOut(msgspec.Struct, frozen=True, kw_only=True):
    period: PeriodOut
    late_cancellation_hours: float
    kinds: list[KindFigures]


class EventsOut(msgspec.Struct, frozen=True, kw_only=True):
    period: PeriodOut
    late_cancellation_hours: float
    events: list[EventFigures]


class Overview(msgspec.Struct, frozen=True, kw_only=True):
    period: PeriodOut
    late_cancellation_hours: float
    kinds: list[KindFigures]
    events: list[EventFigures]
    segments: SegmentsOut


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(first=period.first, last=period.last, time_zone=period.zone)


def late_hours(policy: MeasurePolicy) -> float:
    return policy.late.total_seconds() / 3600


async def kinds_of(period: Period, policy: MeasurePolicy) -> KindsOut:
    return KindsOut(period=period_out(period), late_cancellation_hours=late_hours(policy),
                    kinds=await kind_figures(period, policy.late))


async def events_of(period: Period, policy: MeasurePolicy) -> EventsOut:
    return EventsOut(period=period_out(period), late_cancellation_hours=late_hours(policy),
                     events=await events_figures(period, policy.late))


async def overview(period: Period, now: datetime, policy: MeasurePolicy) -> Overview:
    return Overview(
        period=period_out(period), late_cancellation_hours=late_hours(policy),
        kinds=await kind_figures(period, policy.late), events=await events_figures(period, policy.late),
        segments=await segment_counts(now, policy.thresholds),
    )
