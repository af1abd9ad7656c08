"""Makers for the survey tests: members who came to an event (or did not), their answers written
as the answering service writes them, and each member's survey page path."""

from __future__ import annotations

from datetime import datetime, timedelta

from checkin.surveys.answering import answer_key
from checkin.surveys.links import survey_page_url
from checkin.surveys.tables import SurveyAnswer
from club.settings import Settings
from events.tables import Event
from tests.measures import builders

__all__ = ["answer", "attendee", "survey_path"]


async def attendee(event_id: int, name: str = "M", *, came: bool = True, language: str | None = None,
                   time_zone: str | None = None) -> tuple[int, int]:
    """(member, RSVP) of a confirmed member, admitted at the door an hour after the start unless not `came`."""
    member_id = await builders.member(name)
    if language or time_zone:
        from club.tables import Member

        await Member.update({Member.language: language, **({Member.time_zone: time_zone} if time_zone else {})}).where(
            Member.id == member_id
        )
    event = await Event.select(Event.starts_at).where(Event.id == event_id).first()
    assert event is not None
    starts_at: datetime = event["starts_at"]
    rsvp_id = await builders.rsvp(event_id, member_id, created=starts_at - timedelta(days=7),
                                  confirmed=starts_at - timedelta(days=7))
    if came:
        await builders.admit(event_id, rsvp_id, member_id, starts_at + timedelta(minutes=5))
    return member_id, rsvp_id


async def answer(event_id: int, member_id: int, score: int, comment: str = "", when: datetime | None = None) -> None:
    """An answer as checkin.surveys.answering stores it."""
    await SurveyAnswer.insert(SurveyAnswer(
        event=event_id, member=member_id, answer_key=answer_key(event_id, member_id), score=score, comment=comment,
        answered_at=when or builders.at(20, 12),
    ))


async def survey_path(settings: Settings, event_id: int, member_id: int) -> str:
    """The member's survey page, as the path the live server answers on."""
    event = await Event.select(Event.ends_at).where(Event.id == event_id).first()
    assert event is not None
    return survey_page_url(settings, event_id, member_id, event["ends_at"]).removeprefix(settings.public_base_url)
