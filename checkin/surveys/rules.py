"""The survey's rules, with no I/O: a score and a comment as a member may give them, the bands
the club reads scores in (promoters, passives, detractors, as a Net Promoter Score does), the
quarters a year is summed in, and how long a survey link opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from itertools import pairwise

from checkin.measures.rules import EARLIEST, LATEST, Period
from club.errors import InvalidInput
from club.i18n.catalogs import N_
from events.tables import EventKind

__all__ = [
    "COMMENT_LIMIT",
    "LINK_OPEN_FOR",
    "Band",
    "Shares",
    "band_of",
    "checked_answer",
    "link_expiry",
    "quarter_periods",
    "question_of",
    "shares_of",
    "year_of",
]

# A comment is a few sentences, not a letter: 1,000 characters fit on a phone's screen or two.
COMMENT_LIMIT = 1000
# A survey link opens for 60 days after the event's end: long enough for a member back from a
# trip, short enough that an old message stops being a key.
LINK_OPEN_FOR = timedelta(days=60)
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


class Band(str, Enum):
    promoter = "promoter"  # 9 or 10
    passive = "passive"  # 7 or 8
    detractor = "detractor"  # 0 to 6


def band_of(score: int) -> Band:
    if score >= PROMOTER_FROM:
        return Band.promoter
    if score <= DETRACTOR_UP_TO:
        return Band.detractor
    return Band.passive


def checked_answer(score: str | None, comment: str | None) -> tuple[int, str]:
    """The score (a whole number from 0 to 10, required) and the comment (trimmed, optional) as
    the form or a client sent them; anything else is refused, beside its field."""
    text = (score or "").strip()
    if not text:
        raise InvalidInput("Choose a score from 0 to 10.", field="score")
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 10:
        raise InvalidInput("A score is a whole number from 0 to 10.", field="score")
    said = (comment or "").strip()
    if len(said) > COMMENT_LIMIT:
        raise InvalidInput("A comment has at most {limit} characters.", field="comment", limit=COMMENT_LIMIT)
    if "\x00" in said:
        raise InvalidInput("A comment cannot hold that character.", field="comment")
    return int(text), said


# The question per kind of event. A check-up's asks about the club's arrangements, never about
# the member's health: the survey must not gather medical content.
_QUESTIONS: dict[EventKind, str] = {
    EventKind.health_checkup: N_(
        "How likely are you to recommend the club's check-up arrangements (the booking, the reminders, "
        "the welcome at the clinic) to a friend or relative?"
    ),
    EventKind.trip: N_("How likely are you to recommend a trip with the club to a friend or relative?"),
}
_QUESTION = N_("How likely are you to recommend this event to a friend or relative?")


def question_of(kind: EventKind) -> str:
    return _QUESTIONS.get(kind, _QUESTION)


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of the answers in each band, and the NPS-style score: promoters' share minus
    detractors' (from -1 to 1); None with no answer to divide."""

    promoters: float | None
    passives: float | None
    detractors: float | None
    net: float | None


def shares_of(answers: int, promoters: int, detractors: int) -> Shares:
    if not answers:
        return Shares(None, None, None, None)
    p, d = promoters / answers, detractors / answers
    return Shares(p, (answers - promoters - detractors) / answers, d, p - d)


def year_of(text: str | None, today: date) -> int:
    """The year asked for ("2026"), else this year on the club's clock."""
    if text is None or text == "":
        return today.year
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not EARLIEST.year <= int(text) <= LATEST.year:
        raise InvalidInput("{name} must be a year written like 2026.", field="year", text_values={"name": "year"})
    return int(text)


def quarter_periods(year: int, zone: str) -> list[Period]:
    """The year's four quarters, whole days on the club's clock."""
    starts = [date(year, month, 1) for month in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    return [Period(first, following - timedelta(days=1), zone) for first, following in pairwise(starts)]


def link_expiry(ends_at: datetime) -> datetime:
    return ends_at + LINK_OPEN_FOR
