"""Calendar invites (.ics) for confirmed RSVPs, and each member's private, revocable feed.

An RSVP's invite keeps one UID for its whole life; SEQUENCE is the event's version, so when the
event moves the member's calendar updates the entry it has. A CANCEL carries version + 1,
which is above every REQUEST sent for that version.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, vCalAddress
from icalendar import Event as VEvent

from club import clock
from club.accounts import Principal, hash_token
from club.db import write_transaction
from club.errors import NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language, language_of
from club.rows import rows_as
from club.settings import Settings
from club.suspension import refuse_if_suspended
from events import urls
from events.catalog import EVENT_FIELDS, load_event
from events.errors import NotConfirmed
from events.rows import EventRow
from events.rsvp import visible_rsvp
from events.tables import CalendarFeed, Event, EventStatus, Rsvp, RsvpStatus

__all__ = ["FEED_TOKEN_PREFIX", "calendar_of", "feed_ics", "host_of", "invite_ics", "issue_feed", "mail_invite", "organizer_of", "revoke_feed", "timed_entry"]

FEED_TOKEN_PREFIX = "feed_"
REMINDER_BEFORE = timedelta(hours=24)
PRODID = "-//Maison Club//events//EN"
# What a member's calendar shows, in the member's language (translated where the file is written).
ALARM_TEXT = N_("Tomorrow: {event_title}")
FEED_NAME = N_("My club events")


def calendar_of(method: str | None) -> Calendar:
    """An empty calendar with the club's PRODID (and METHOD, for invites)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def timed_entry(
    uid: str, version: int, cancelled: bool, starts_at: datetime, ends_at: datetime, zone_name: str,
    summary: str, location: str,
) -> VEvent:
    """One calendar entry. SEQUENCE is the version (+1 for a cancellation, above every update of
    that version); times are shown on the place's own clock with its TZID: a salon at 19:00 in
    Paris stays 19:00 there, wherever the member's calendar is."""
    zone = ZoneInfo(zone_name)
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("sequence", version + (1 if cancelled else 0))
    vevent.add("dtstamp", clock.now())
    vevent.add("dtstart", starts_at.astimezone(zone))
    vevent.add("dtend", ends_at.astimezone(zone))
    vevent.add("summary", summary)
    vevent.add("location", location)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent


def organizer_of(settings: Settings) -> tuple[str, str]:
    """The ORGANIZER of every invite (name, mailbox): configured, else the club's name and sender."""
    return (settings.calendar_organizer_name or settings.club_name, settings.calendar_organizer_email or settings.smtp_from)


def _vevent(
    event: EventRow, rsvp_id: int, host: str, cancelled: bool, language: Language, organizer: tuple[str, str],
) -> VEvent:
    vevent = timed_entry(
        f"rsvp-{rsvp_id}@{host}", event.version, cancelled, event.starts_at, event.ends_at,
        event.venue_time_zone, event.title, event.venue,
    )
    if event.description:
        vevent.add("description", event.description)
    vevent.add("organizer", vCalAddress(f"mailto:{organizer[1]}"), parameters={"cn": organizer[0]})
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", gettext(language, ALARM_TEXT, event_title=event.title))
        alarm.add("trigger", -REMINDER_BEFORE)
        vevent.add_component(alarm)
    return vevent


def host_of(base_url: str) -> str:
    """The host part of UIDs and addresses: the public base URL's."""
    return urlparse(base_url).hostname or "club.invalid"


async def invite_ics(
    rsvp_id: int, viewer: Principal, base_url: str, language: Language, organizer: tuple[str, str],
) -> bytes:
    """The invite of a confirmed RSVP (REQUEST), or its CANCEL once the member or club cancelled;
    its alarm in `language` (the reader's)."""
    owner = await visible_rsvp(rsvp_id, viewer)
    row = await Rsvp.select(Rsvp.status).where(Rsvp.id == rsvp_id).first()
    event = await load_event(owner.event)
    assert row is not None
    status = RsvpStatus(row["status"])
    cancelled = status == RsvpStatus.cancelled or event.status == EventStatus.cancelled
    if status == RsvpStatus.waitlisted and not cancelled:
        raise NotConfirmed("A waitlisted RSVP has no invite yet; it comes with the seat.")
    cal = calendar_of("CANCEL" if cancelled else "REQUEST")
    cal.add_component(_vevent(event, rsvp_id, host_of(base_url), cancelled, language, organizer))
    cal.add_missing_timezones()
    return cal.to_ical()


async def issue_feed(member_id: int, base_url: str) -> tuple[str, datetime]:
    """A new private feed URL for the member; any earlier URL stops working. Shown once."""
    token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    async with write_transaction():
        await _revoke(member_id, now)
        await CalendarFeed.insert(CalendarFeed(member=member_id, token_hash=hash_token(token), created_at=now))
    return base_url + urls.link(urls.CALENDAR_FEED, token=token), now


async def _revoke(member_id: int, now: datetime) -> None:
    await CalendarFeed.update({CalendarFeed.revoked_at: now}).where(
        (CalendarFeed.member == member_id) & CalendarFeed.revoked_at.is_null()
    )


async def revoke_feed(member_id: int) -> None:
    async with write_transaction():
        await _revoke(member_id, clock.now())


async def feed_ics(
    token: str, base_url: str, club_language: Language, organizer: tuple[str, str],
) -> bytes:
    """The member's confirmed, published events as a subscribable calendar, named and alarmed in
    the member's own language (else `club_language`: calendar apps send no useful Accept-Language);
    404 once revoked, 403 while the membership is suspended (the same URL works again after reactivation)."""
    if not token.startswith(FEED_TOKEN_PREFIX) or len(token) > 100:
        raise NotFound("No such calendar feed.")
    feed = await CalendarFeed.select(CalendarFeed.member, CalendarFeed.member.language.as_alias("language")).where(
        (CalendarFeed.token_hash == hash_token(token)) & CalendarFeed.revoked_at.is_null()
    ).first()
    if feed is None:
        raise NotFound("No such calendar feed.")
    await refuse_if_suspended(feed["member"], "This membership is suspended: its calendar feed resumes when the club reactivates it.")
    rsvps = await Rsvp.select(Rsvp.id, Rsvp.event).where(
        (Rsvp.member == feed["member"])
        & (Rsvp.status == RsvpStatus.confirmed.value)
        & (Rsvp.event.status == EventStatus.published.value)
    ).order_by(Rsvp.event.starts_at)
    event_ids = [r["event"] for r in rsvps]
    events = (
        {e.id: e for e in rows_as(EventRow, await Event.select(*EVENT_FIELDS).where(Event.id.is_in(event_ids)))}
        if event_ids
        else {}
    )
    cal = calendar_of(None)
    language = language_of(feed["language"]) or club_language
    cal.add("x-wr-calname", gettext(language, FEED_NAME))
    host = host_of(base_url)
    for r in rsvps:
        cal.add_component(_vevent(events[r["event"]], r["id"], host, False, language, organizer))
    cal.add_missing_timezones()
    return cal.to_ical()


def mail_invite(
    event: EventRow, rsvp_id: int, base_url: str, *, cancelled: bool,
    attendee: tuple[str, str], organizer: tuple[str, str], language: Language = Language.en,
) -> bytes:
    """The invite an e-mail carries (iMIP, RFC 6047): the same entry as the RSVP's .ics (one UID,
    SEQUENCE the event's version) with the member as ATTENDEE and the club's configured
    ORGANIZER, so mail clients show their own invitation and update it when a change arrives.
    `attendee` and `organizer` are (name, mailbox); the alarm is in `language` (the member's)."""
    vevent = _vevent(event, rsvp_id, host_of(base_url), cancelled, language, organizer)
    member, address = attendee
    # The member said yes in the club's app: the invite records it rather than asking again.
    vevent.add(
        "attendee", vCalAddress(f"mailto:{address}"),
        parameters={"cn": member, "role": "REQ-PARTICIPANT", "partstat": "DECLINED" if cancelled else "ACCEPTED", "rsvp": "FALSE"},
    )
    cal = calendar_of("CANCEL" if cancelled else "REQUEST")
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
