"""A member's survey link: the event, the member and an expiry, signed under the club's key
(club.signed_links, its own purpose, so no ticket or preferences link opens it); nothing is stored.

Made when the survey step is sent (events.reminders.surveys' hook) and opened by the survey page.
Opening checks, in this order: the signature, the expiry (60 days after the event's end), an
event that took place (published, not cancelled), a membership that is not suspended, and a
standing check-in of the member at the event: only who came may answer. Any failure is the same
answer, so a link tells nothing about an event or a member it does not open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from checkin.surveys.rules import link_expiry
from checkin.tables import CheckIn
from club import clock
from club.i18n.formats import date_time_text
from club.i18n.languages import Language, language_of
from club.rows import Row, row_as
from club.settings import Settings
from club.signed_links import BadLink, open_link, sign_link
from club.tables import Member, MemberStatus
from events.tables import Event, EventKind, EventStatus

__all__ = ["SURVEY_PAGE_PREFIX", "SurveyReader", "open_survey_link", "survey_page_url"]

SURVEY_PAGE_PREFIX = "/s/"
_PURPOSE = "satisfaction-survey"


def survey_page_url(settings: Settings, event_id: int, member_id: int, ends_at: datetime) -> str:
    """The member's survey page for the event (events.reminders.surveys' hook)."""
    expires = int(link_expiry(ends_at).timestamp())
    return settings.public_base_url + SURVEY_PAGE_PREFIX + sign_link(settings.secret_key, _PURPOSE, event_id, member_id, expires)


@dataclass(frozen=True, slots=True)
class SurveyReader:
    """Who answers about what: the page's words and the answer's keys."""

    event_id: int
    member_id: int
    rsvp_id: int
    member_name: str
    member_zone: str
    language: Language
    kind: EventKind
    title: str
    when: str
    venue: str


class _Facts(Row, frozen=True):
    title: str
    kind: EventKind
    status: EventStatus
    starts_at: datetime
    venue: str
    venue_time_zone: str


class _MemberFacts(Row, frozen=True):
    name: str
    language: str | None
    time_zone: str
    status: MemberStatus


async def open_survey_link(signed: str, settings: Settings) -> SurveyReader | None:
    """Who may answer through the link, or None (see the module: one answer for every failure)."""
    try:
        event, member, expires = open_link(settings.secret_key, _PURPOSE, signed, 3)
    except BadLink:
        return None
    if not (event.isdigit() and member.isdigit() and expires.isdigit()):
        return None
    if clock.now() >= datetime.fromtimestamp(int(expires), UTC):
        return None
    event_id, member_id = int(event), int(member)
    found = await Event.select(
        Event.title, Event.kind, Event.status, Event.starts_at, Event.venue, Event.venue_time_zone
    ).where(Event.id == event_id).first()
    who = await Member.select(Member.name, Member.language, Member.time_zone, Member.status).where(
        Member.id == member_id
    ).first()
    came = await CheckIn.select(CheckIn.rsvp).where(
        (CheckIn.event == event_id) & (CheckIn.member == member_id) & CheckIn.reverted_at.is_null()
    ).first()
    if found is None or who is None or came is None:
        return None
    facts, person = row_as(_Facts, found), row_as(_MemberFacts, who)
    if facts.status != EventStatus.published or person.status == MemberStatus.suspended:
        return None
    language = language_of(person.language) or settings.club_locale
    return SurveyReader(
        event_id=event_id, member_id=member_id, rsvp_id=int(came["rsvp"]), member_name=person.name,
        member_zone=person.time_zone, language=language, kind=facts.kind, title=facts.title,
        when=date_time_text(facts.starts_at, facts.venue_time_zone, language, person.time_zone),
        venue=facts.venue,
    )
