"""Route paths of the measures: the API and the console pages."""

from __future__ import annotations

KINDS = "/api/measures/kinds"
EVENTS = "/api/measures/events"
SEGMENTS = "/api/measures/segments"
EVENT = "/api/events/{event_id:int}/measures"
MEMBER = "/api/members/{member_id:int}/measures"
MEMBER_SEGMENTS = "/api/measures/members/{member_id:int}/segments"
RETENTION = "/api/measures/retention"
REFERRALS = "/api/measures/referrals"
SURVEY_RESPONSES = "/api/measures/survey-responses"

CONSOLE_MEASURES = "/console/measures"
CONSOLE_EVENT = "/console/events/{event_id:int}/measures"
