"""A member answers the survey: once per event, in one transaction.

A second answer is refused, not taken in place of the first: the score counted the day the
member gave it stays counted (a quarter's figures do not move once a coordinator has read them),
and a form sent twice, or twenty times at once from a shaky network, lands once. The refusal
shows the member the answer the club has.

The read of an earlier answer gives the refusal its words; the unique `answer_key` is what makes
it exact: two answers sent at the same moment both find none, and the key lets only one insert.
"""

from __future__ import annotations

from datetime import datetime

from checkin.surveys.links import SurveyReader
from checkin.surveys.rows import GivenAnswer
from checkin.surveys.tables import SurveyAnswer
from club import clock
from club.db import write_transaction
from club.errors import Conflict
from club.rows import row_as

__all__ = ["AlreadyAnswered", "answer_key", "answer_survey", "given_answer"]


class AlreadyAnswered(Conflict):
    slug = "already-answered"
    title = "Already answered"

    def __init__(self, given: GivenAnswer) -> None:
        super().__init__("You have already answered this survey.")
        self.given = given


def answer_key(event_id: int, member_id: int) -> str:
    """One answer per member per event."""
    return f"{event_id}:{member_id}"


_GIVEN = (SurveyAnswer.id, SurveyAnswer.score, SurveyAnswer.comment, SurveyAnswer.answered_at)


async def given_answer(event_id: int, member_id: int) -> GivenAnswer | None:
    found = await SurveyAnswer.select(*_GIVEN).where(
        (SurveyAnswer.event == event_id) & (SurveyAnswer.member == member_id)
    ).order_by(SurveyAnswer.id).first()
    return None if found is None else row_as(GivenAnswer, found)


async def answer_survey(reader: SurveyReader, score: int, comment: str, now: datetime | None = None) -> GivenAnswer:
    """Store the member's answer (score and comment already checked: rules.checked_answer), or
    raise AlreadyAnswered with the one the club has."""
    now = now or clock.now()
    async with write_transaction():
        earlier = await given_answer(reader.event_id, reader.member_id)
        if earlier is not None:
            raise AlreadyAnswered(earlier)
        stored = await SurveyAnswer.insert(SurveyAnswer(
            event=reader.event_id, member=reader.member_id, rsvp=reader.rsvp_id,
            answer_key=answer_key(reader.event_id, reader.member_id), score=score, comment=comment, answered_at=now,
        )).on_conflict(target=SurveyAnswer.answer_key, action="DO NOTHING").returning(*_GIVEN)
    if not stored:
        # Another answer committed between our read and our insert: the key kept it to one.
        given = await given_answer(reader.event_id, reader.member_id)
        assert given is not None
        raise AlreadyAnswered(given)
    return row_as(GivenAnswer, stored[0])
