"""Route paths of the satisfaction surveys: the member's page, the coordinators' API and pages."""

from __future__ import annotations

from checkin.surveys.links import SURVEY_PAGE_PREFIX

__all__ = ["EVENT", "EVENTS", "EVENT_ANSWERS", "SURVEY_PAGE", "YEAR"]

# The member's page, opened from the survey message: the signed link is its credential.
SURVEY_PAGE = SURVEY_PAGE_PREFIX + "{signed:str}"

YEAR = "/api/measures/satisfaction"
EVENTS = "/api/measures/satisfaction/events"
EVENT = "/api/events/{event_id:int}/satisfaction"
EVENT_ANSWERS = "/api/events/{event_id:int}/survey-answers"
