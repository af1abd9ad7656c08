"""The measures' API, for coordinators only: a period's kinds and events, today's segments, an
event's and a member's figures. A period is `month=2026-12`, or `from` and `to` (dates on the
club's clock, both included), or this month when neither is given."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from checkin.measures import urls
from checkin.measures.event_figures import event_figures
from checkin.measures.member_figures import member_figures
from checkin.measures.overview import EventsOut, KindsOut, events_of, kinds_of
from checkin.measures.referrals import referrals_of
from checkin.measures.retention import retention_of
from checkin.measures.rows import (
    EventFigures,
    MemberFigures,
    ReferralsOut,
    RetentionOut,
    SegmentHistoryOut,
    SegmentsOut,
    SurveyResponsesOut,
)
from checkin.measures.rules import MeasurePolicy, Period, period_of
from checkin.measures.segment_history import segment_history
from checkin.measures.segments import segment_counts
from checkin.measures.survey_responses import events_responses, year_responses
from checkin.surveys.rules import quarter_periods, year_of
from club import clock
from club.auth import coordinator_only
from club.settings import Settings

__all__ = ["MEASURES_ROUTES", "MeasuresController"]

Month = Annotated[str | None, QueryParameter(name="month", max_length=7, description="A month on the club's clock, like 2026-12")]
From = Annotated[str | None, QueryParameter(name="from", max_length=10, description="The first day, like 2026-12-01 (with `to`)")]
To = Annotated[str | None, QueryParameter(name="to", max_length=10, description="The last day, included, like 2026-12-31")]
Year = Annotated[str | None, QueryParameter(name="year", max_length=4, description="A year on the club's clock, like 2026")]


def _period(settings: Settings, month: str | None, first: str | None, last: str | None) -> Period:
    zone = settings.club_time_zone
    return period_of(month, first, last, clock.today(zone), zone)


class MeasuresController(Controller):
    tags = ["measures"]
    guards = [coordinator_only]

    @get(urls.KINDS, operation_id="measuresByKind",
         summary="Per kind of event in a period: RSVPs, seats, the waitlist, cancellations, the door")
    async def kinds(self, settings: Settings, month: Month = None, from_: From = None, to: To = None) -> KindsOut:
        return await kinds_of(_period(settings, month, from_, to), MeasurePolicy.of(settings))

    @get(urls.EVENTS, operation_id="measuresByEvent", summary="Each event starting in a period, with its figures")
    async def events(self, settings: Settings, month: Month = None, from_: From = None, to: To = None) -> EventsOut:
        return await events_of(_period(settings, month, from_, to), MeasurePolicy.of(settings))

    @get(urls.SEGMENTS, operation_id="measuresSegments",
         summary="Active members per tier as active, cooling or dormant, with the club's thresholds")
    async def segments(self, settings: Settings) -> SegmentsOut:
        return await segment_counts(clock.now(), MeasurePolicy.of(settings).thresholds)

    @get(urls.EVENT, operation_id="eventMeasures", summary="One event's figures")
    async def event(self, settings: Settings, event_id: int) -> EventFigures:
        return await event_figures(event_id, MeasurePolicy.of(settings).late)

    @get(urls.MEMBER, operation_id="memberMeasures",
         summary="A member's attendance, no-shows, late cancellations, segment and points by source")
    async def member(self, settings: Settings, member_id: int) -> MemberFigures:
        policy = MeasurePolicy.of(settings)
        return await member_figures(member_id, clock.now(), policy.thresholds, policy.late)


    @get(urls.MEMBER_SEGMENTS, operation_id="memberSegmentHistory",
         summary="A member's segment (active, cooling, dormant) at the end of each of the last twelve months")
    async def member_segments(self, settings: Settings, member_id: int) -> SegmentHistoryOut:
        zone = settings.club_time_zone
        months = await segment_history(member_id, clock.now(), MeasurePolicy.of(settings).thresholds, zone)
        return SegmentHistoryOut(member_id=member_id, time_zone=zone, months=months)

    @get(urls.RETENTION, operation_id="measuresRetention",
         summary="A year's renewal per tier (held at its start, same or higher at its end) and members active again the next year")
    async def retention(self, settings: Settings, year: Year = None) -> RetentionOut:
        zone = settings.club_time_zone
        return await retention_of(year_of(year, clock.today(zone)), clock.now(), zone)

    @get(urls.REFERRALS, operation_id="measuresReferrals",
         summary="Referrals made and converted per month of a period, with the conversion rate")
    async def referrals(self, settings: Settings, month: Month = None, from_: From = None, to: To = None) -> ReferralsOut:
        return await referrals_of(_period(settings, month, from_, to))

    @get(urls.SURVEY_RESPONSES, operation_id="measuresSurveyResponses",
         summary="The satisfaction survey's response rate per quarter and kind of a year, and per event")
    async def survey_responses(self, settings: Settings, year: Year = None) -> SurveyResponsesOut:
        zone = settings.club_time_zone
        chosen = year_of(year, clock.today(zone))
        quarters = quarter_periods(chosen, zone)
        whole = Period(quarters[0].first, quarters[-1].last, zone)
        return SurveyResponsesOut(year=await year_responses(chosen, zone), events=await events_responses(whole))


MEASURES_ROUTES: list[Any] = [MeasuresController]
