"""The surveys' parts of the console's measures pages: an event's satisfaction (with the answers'
comments where its attendees may be listed) and the year's satisfaction by quarter and kind.

checkin.measures.console_pages calls these and includes their templates, so the figures a
coordinator reads on a page are the API's (the same services, the same statements).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from checkin.surveys.answers import survey_answers
from checkin.surveys.rows import AnswerOut, EventSatisfaction, YearSatisfaction
from checkin.surveys.rules import Band
from checkin.surveys.summaries import event_satisfaction, year_satisfaction
from club.auth import principal_of
from club.i18n.catalogs import N_
from events.errors import BookedElsewhere

__all__ = ["BAND_LABELS", "EventSurveyPart", "event_survey_part", "year_survey_part"]

BAND_LABELS: dict[Band, str] = {Band.promoter: N_("Promoter"), Band.passive: N_("Passive"), Band.detractor: N_("Detractor")}
BAND_SHAPES: dict[Band, str] = {Band.promoter: "good", Band.passive: "plain", Band.detractor: "bad"}


@dataclass(frozen=True, slots=True)
class EventSurveyPart:
    figures: EventSatisfaction
    # None: the event's bookings are private (a check-up): its comments are not listed here.
    answers: list[AnswerOut] | None
    band_labels: dict[Band, str]
    band_shapes: dict[Band, str]


async def event_survey_part(request: Request[Any, Any, Any], event_id: int) -> EventSurveyPart:
    figures = await event_satisfaction(event_id)
    try:
        answers: list[AnswerOut] | None = await survey_answers(event_id, principal_of(request))
    except BookedElsewhere:
        answers = None
    return EventSurveyPart(figures, answers, BAND_LABELS, BAND_SHAPES)


async def year_survey_part(year: int, zone: str) -> YearSatisfaction:
    return await year_satisfaction(year, zone)
