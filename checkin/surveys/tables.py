"""The survey's one table: a member's answer about one event.

`answer_key` "<event>:<member>" is unique, so a member answers once per event however many
times, and however many at once, the form is sent (checkin.surveys.answering). The comment is the
member's own words: it is stored, shown to coordinators, never logged; a check-up's comment
is kept off the generic lists (checkin.surveys.answers_list), as the health programme's call
notes are.
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member
from events.tables import Event, Rsvp

__all__ = ["SurveyAnswer"]


class SurveyAnswer(Table, tablename="survey_answer"):
    """A 0-10 score (how likely the member is to recommend it) and an optional comment."""

    event = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    # The RSVP that came through the door (the answer's right to exist).
    rsvp = ForeignKey(Rsvp, null=True, default=None)
    answer_key = Varchar(length=40, unique=True)
    score = Integer()
    comment = Text(default="")
    answered_at = Timestamptz(index=True)
