"""The answers of one event as coordinators read them: who, the score, the comment.

A comment is the member's own words. For an event whose bookings are private (a clinic's
check-up slot: events.catalog's private booking domains) the list is refused, as its attendee
list is: who came to a clinic, with what they wrote, is read through the health programme's own
audited routes, never a generic list. The summaries (checkin.surveys.summaries) name nobody and
count check-ups as any event. Comments are never written to a log.
"""

from __future__ import annotations

from checkin.surveys.rows import AnswerOut
from checkin.surveys.rules import band_of
from checkin.surveys.tables import SurveyAnswer
from club.access import require_coordinator_or_404
from club.accounts import Principal
from events.catalog import load_listable_event

__all__ = ["survey_answers"]

_LIMIT = 500


async def survey_answers(event_id: int, viewer: Principal) -> list[AnswerOut]:
    """The latest answers first (at most 500). For coordinators only: anyone else gets 404."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    await load_listable_event(event_id, viewer)
    rows = await SurveyAnswer.select(
        SurveyAnswer.id, SurveyAnswer.member, SurveyAnswer.member.name.as_alias("member_name"),
        SurveyAnswer.score, SurveyAnswer.comment, SurveyAnswer.answered_at,
    ).where(SurveyAnswer.event == event_id).order_by(SurveyAnswer.answered_at, ascending=False).order_by(
        SurveyAnswer.id, ascending=False
    ).limit(_LIMIT)
    return [
        AnswerOut(id=r["id"], member_id=r["member"], member_name=r["member_name"], score=r["score"],
                  band=band_of(r["score"]), comment=r["comment"], answered_at=r["answered_at"])
        for r in rows
    ]
