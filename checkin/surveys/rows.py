"""The survey's typed rows: an answer, and the summaries the API returns as they are."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from checkin.surveys.rules import Band
from club.rows import Row
from events.tables import EventKind, EventStatus

__all__ = [
    "AnswerOut",
    "EventSatisfaction",
    "EventsSatisfaction",
    "GivenAnswer",
    "KindSatisfaction",
    "QuarterSatisfaction",
    "SurveyFigures",
    "YearSatisfaction",
]


class GivenAnswer(Row, frozen=True):
    id: int
    score: int
    comment: str
    answered_at: datetime


class SurveyFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Answers summed: how many, the mean score (0-10), how many in each band (promoters 9-10,
    passives 7-8, detractors 0-6) and their shares, and `net_promoter`, the promoters' share
    less the detractors' (from -1 to 1, as a Net Promoter Score of -100 to 100 divided by 100).
    The mean and the shares are None with no answer."""

    answers: int
    mean_score: float | None
    promoters: int
    passives: int
    detractors: int
    promoter_share: float | None
    passive_share: float | None
    detractor_share: float | None
    net_promoter: float | None


class EventSatisfaction(SurveyFigures, frozen=True, kw_only=True):
    event_id: int
    kind: EventKind
    title: str
    status: EventStatus
    starts_at: datetime
    venue_time_zone: str


class KindSatisfaction(SurveyFigures, frozen=True, kw_only=True):
    kind: EventKind


class QuarterSatisfaction(SurveyFigures, frozen=True, kw_only=True):
    """A quarter's answers, all kinds together, and each kind's (events starting in it)."""

    quarter: int
    first: date
    last: date
    kinds: list[KindSatisfaction]


class YearSatisfaction(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    time_zone: str
    total: SurveyFigures
    quarters: list[QuarterSatisfaction]


class EventsSatisfaction(msgspec.Struct, frozen=True, kw_only=True):
    first: date
    last: date
    time_zone: str
    events: list[EventSatisfaction]


class AnswerOut(msgspec.Struct, frozen=True, kw_only=True):
    """One answer as coordinators read it; the comment is the member's own words."""

    id: int
    member_id: int
    member_name: str
    score: int
    band: Band
    comment: str
    answered_at: datetime
