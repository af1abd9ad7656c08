"""The satisfaction surveys' API, for coordinators only: a year by quarter and kind, a period's
events, one event's figures and its answers with their comments."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from checkin.measures.routes import From, Month, To
from checkin.measures.rules import period_of
from checkin.surveys import urls
from checkin.surveys.answers import survey_answers
from checkin.surveys.rows import AnswerOut, EventSatisfaction, EventsSatisfaction, YearSatisfaction
from checkin.surveys.rules import year_of
from checkin.surveys.summaries import event_satisfaction, events_satisfaction, year_satisfaction
from club import clock
from club.auth import coordinator_only, principal_of
from club.settings import Settings

__all__ = ["SURVEY_ROUTES", "SurveyMeasuresController"]

Year = Annotated[str | None, QueryParameter(name="year", max_length=4, description="A year on the club's clock, like 2026")]


class SurveyMeasuresController(Controller):
    tags = ["measures"]
    guards = [coordinator_only]

    @get(urls.YEAR, operation_id="satisfactionByQuarter",
         summary="Satisfaction surveys of a year: answers, mean score and promoters' and detractors' shares per quarter and kind")
    async def year(self, settings: Settings, year: Year = None) -> YearSatisfaction:
        zone = settings.club_time_zone
        return await year_satisfaction(year_of(year, clock.today(zone)), zone)

    @get(urls.EVENTS, operation_id="satisfactionByEvent", summary="Satisfaction of each event starting in a period")
    async def events(self, settings: Settings, month: Month = None, from_: From = None, to: To = None) -> EventsSatisfaction:
        zone = settings.club_time_zone
        return await events_satisfaction(period_of(month, from_, to, clock.today(zone), zone))

    @get(urls.EVENT, operation_id="eventSatisfaction", summary="One event's satisfaction survey figures")
    async def event(self, event_id: int) -> EventSatisfaction:
        return await event_satisfaction(event_id)

    @get(urls.EVENT_ANSWERS, operation_id="eventSurveyAnswers",
         summary="One event's survey answers with their comments (not for a check-up: its bookings are private)")
    async def answers(self, request: Request[Any, Any, Any], event_id: int) -> list[AnswerOut]:
        return await survey_answers(event_id, principal_of(request))


SURVEY_ROUTES: list[Any] = [SurveyMeasuresController]
