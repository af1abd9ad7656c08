"""Pure decisions about reminders: send times on the place's clock, quiet hours on the member's,
late joiners, texts.

Two clocks, on purpose. A step's wall-clock time ("the day before at 16:00", "06:30 on the day")
is on the clock of where the thing happens: the venue, the clinic, the trip leg, because that is
what "the morning of the appointment" means for a Paris member booked in Shanghai. Quiet hours
are on the member's own clock, because they protect the member's sleep.

No I/O and no clock: every function takes `now` and zones as arguments, so tests freeze time by
passing it, including across daylight-saving changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from club.i18n.catalogs import N_, gettext
from club.i18n.formats import date_time_text
from club.i18n.languages import Language, language_of
from events.outbox import NoticeKind
from events.reminders.tables import Anchor, QuietPolicy

__all__ = [
    "MAX_ATTEMPTS",
    "NOTICES",
    "PLACEHOLDERS",
    "Planned",
    "QuietHours",
    "StepText",
    "anchor_instant",
    "deadline_text",
    "in_quiet_hours",
    "local_time_text",
    "notice_text",
    "parse_clock",
    "plan_step",
    "quiet_adjust",
    "render",
    "retry_delay",
    "step_due",
    "step_text",
    "step_texts",
    "unknown_placeholders",
]

# {survey_link}: the member's own link to the satisfaction survey (events.reminders.surveys).
PLACEHOLDERS = frozenset({"member_name", "event_title", "local_time", "venue", "preparation", "survey_link"})
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
# A channel failure is tried this many times in all, then the delivery is marked failed.
MAX_ATTEMPTS = 4


@dataclass(frozen=True, slots=True)
class QuietHours:
    """The club's night, in each member's own zone: from `start` to `end` (may wrap midnight)."""

    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Planned:
    """Where a step lands for one member: a UTC time to send, or None with the reason why not."""

    due_at: datetime | None
    reason: str = ""


def parse_clock(text: str) -> time:
    """ "18:00" -> time(18, 0); raises ValueError for anything else."""
    if not re.fullmatch(r"\d{2}:\d{2}", text):
        raise ValueError(f"{text!r} is not a HH:MM clock time")
    return time(int(text[:2]), int(text[3:]))


def anchor_instant(anchor: Anchor, starts_at: datetime, ends_at: datetime) -> datetime:
    # Appointment and departure are the event's start until they get times of their own.
    return ends_at if anchor == Anchor.event_end else starts_at


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as UTC. In a spring-forward gap the clock is read with the
    offset before the change (02:30 becomes 03:30); in a fall-back overlap, the first 01:30."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def step_due(
    anchor_at: datetime, place: ZoneInfo, offset_days: int, offset_minutes: int, at_local_time: str | None
) -> datetime:
    """When a step falls, in UTC, for a thing happening in the zone `place`.

    Days are calendar days on the place's clock (the day before stays "the day before" across a
    DST change); minutes are elapsed time. With `at_local_time`, the step is on that day at that
    clock time where the thing happens: "06:30 on the day" of a Shanghai check-up is 06:30 in
    Shanghai, before the appointment, wherever the member lives.
    """
    local = anchor_at.astimezone(place)
    day = local.date() + timedelta(days=offset_days)
    clock = parse_clock(at_local_time) if at_local_time else local.time().replace(tzinfo=None)
    return _wall(day, clock, place) + timedelta(minutes=offset_minutes)


def in_quiet_hours(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    clock = instant.astimezone(zone).time().replace(tzinfo=None)
    if quiet.start == quiet.end:
        return False
    if quiet.start < quiet.end:
        return quiet.start <= clock < quiet.end
    return clock >= quiet.start or clock < quiet.end


def _night_around(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> tuple[datetime, datetime]:
    """The member's night that `instant` falls in, as (start, end) in UTC."""
    local = instant.astimezone(zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if quiet.start < quiet.end:  # a night that does not wrap midnight, e.g. 01:00 to 07:00
        return _wall(day, quiet.start, zone), _wall(day, quiet.end, zone)
    if clock >= quiet.start:  # evening: the night ends tomorrow morning
        return _wall(day, quiet.start, zone), _wall(day + timedelta(days=1), quiet.end, zone)
    return _wall(day - timedelta(days=1), quiet.start, zone), _wall(day, quiet.end, zone)


# A message brought forward before a member's night goes out this long before the night begins.
EVENING_MARGIN = timedelta(minutes=30)


def quiet_adjust(
    due_at: datetime, zone: ZoneInfo, quiet: QuietHours, policy: QuietPolicy, anchor_at: datetime | None, now: datetime
) -> Planned:
    """Where a step due at `due_at` lands, given the member's night on their own clock `zone`.

    - "send": at its time, night or not: the member expects it then (the fasting SMS at 06:30
      on the clinic's clock is the middle of the night for a member whose home is Paris).
    - "drop": not at all when due at night.
    - "hold": in the morning after the night. When that morning comes only after the moment the
      step is about (a Paris salon at 19:00 is 02:00 for a member whose home is Shanghai, and
      "three hours before" falls in their night), the member still wants to hear before the
      salon: the step is brought forward to just before their night began, if that is still
      to come at `now`; otherwise it is dropped, with the reason.
    The result is never inside the member's night unless the policy is "send", and never
    earlier than `now`, so a caller that re-times to it re-times once.
    """
    if policy == QuietPolicy.send or not in_quiet_hours(due_at, zone, quiet):
        return Planned(due_at)
    if policy == QuietPolicy.drop:
        return Planned(None, "due during the member's quiet hours")
    night_starts, morning = _night_around(due_at, zone, quiet)
    if anchor_at is None or morning < anchor_at or due_at >= anchor_at:
        return Planned(max(morning, now))
    evening = night_starts - EVENING_MARGIN
    if now <= evening:
        return Planned(evening)
    if now < night_starts:
        return Planned(now)
    return Planned(None, "the member's quiet hours last until after its moment")


def plan_step(due_at: datetime, now: datetime, send_to_late_joiners: bool, anchor_at: datetime) -> Planned:
    """Where a step lands for a member confirmed (or promoted, or re-timed) at `now`, before
    quiet hours (see `quiet_adjust`, applied after this and again at send time).

    A step whose time has already passed goes out now if it is sent to late joiners, else never;
    and never once the event it prepares for has begun.
    """
    if due_at >= now:
        return Planned(due_at)
    if not send_to_late_joiners:
        return Planned(None, "joined after this step's time")
    if now >= anchor_at > due_at:
        return Planned(None, "its moment has passed")
    return Planned(now)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 30 s, 2 min, 8 min, ... at most an hour."""
    return timedelta(seconds=min(3600, 30 * 4 ** max(0, attempts - 1)))


def unknown_placeholders(template: str) -> list[str]:
    """Placeholders a template names that rendering does not know (and "{}" or "{0}")."""
    found = _PLACEHOLDER.findall(template)
    return sorted({name or "{}" for name in found if name not in PLACEHOLDERS})


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled; plain substitution, never attribute access."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def local_time_text(instant: datetime, place: ZoneInfo, reader: ZoneInfo | None, language: Language) -> str:
    """An event's time as a member reads it, in their language: on the clock of the place where it
    happens, the place's city named when the reader's own clock shows another time
    ("2026年12月11日（周五）08:00（上海时间）"); a reader on the same clock gets the time alone."""
    same_clock = reader is None or instant.astimezone(reader).utcoffset() == instant.astimezone(place).utcoffset()
    return date_time_text(instant, place.key, language, None if same_clock else reader.key if reader else None)


def deadline_text(instant: datetime, reader: ZoneInfo, language: Language, place: ZoneInfo | None = None) -> str:
    """A member's own deadline (a reply-by date), on the member's own clock; their city named when
    the message also quotes the clock of a `place` that shows another time."""
    other = place is not None and instant.astimezone(place).utcoffset() != instant.astimezone(reader).utcoffset()
    return date_time_text(instant, reader.key, language, place.key if other and place else None)


# Subjects and bodies of the events outbox's messages, one pair per NoticeKind; translated when
# the message is written for its member (notice_text), so a change of language counts at once.
NOTICES: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.confirmed: (
        N_("Your place is confirmed: {event_title}"),
        N_("Dear {member_name}, your place at {event_title} on {local_time} at {venue} is confirmed."),
    ),
    NoticeKind.waitlisted: (
        N_("You are on the waitlist: {event_title}"),
        N_("Dear {member_name}, {event_title} on {local_time} is full; you are on the waitlist and we will tell you when a seat frees up."),
    ),
    NoticeKind.promoted: (
        N_("A seat is yours: {event_title}"),
        N_("Dear {member_name}, a seat has freed up: your place at {event_title} on {local_time} at {venue} is confirmed."),
    ),
    NoticeKind.event_moved: (
        N_("Your event has moved: {event_title}"),
        N_("Dear {member_name}, {event_title} now takes place on {local_time} at {venue}."),
    ),
    NoticeKind.event_cancelled: (
        N_("Your event is cancelled: {event_title}"),
        N_("Dear {member_name}, we are sorry: {event_title} on {local_time} has been cancelled."),
    ),
    # Show invitations (events.shows): personal, with a seat category and a reply-by date.
    NoticeKind.show_invited: (
        N_("An invitation for you: {event_title}"),
        N_("Dear {member_name}, you are invited to {event_title} on {local_time} at {venue}, {category}. The invitation is personal; please reply by {reply_by}."),
    ),
    NoticeKind.show_offered: (
        N_("A seat for you: {event_title}"),
        N_("Dear {member_name}, a seat ({category}) at {event_title} on {local_time} is now yours to accept; please reply by {reply_by}."),
    ),
    NoticeKind.show_offer_expired: (
        N_("Your invitation has lapsed: {event_title}"),
        N_("Dear {member_name}, your invitation to {event_title} was not answered by {reply_by} and has lapsed; its seat goes to another guest."),
    ),
    NoticeKind.show_invitation_withdrawn: (
        N_("Your invitation is withdrawn: {event_title}"),
        N_("Dear {member_name}, we are sorry: your invitation to {event_title} on {local_time} has been withdrawn."),
    ),
}
# The waitlisted notice with the member's place on the waitlist, when it is known at the send.
_WAITLISTED_AT = N_(
    "Dear {member_name}, {event_title} on {local_time} is full; you are on the waitlist, in position {position}, "
    "and we will tell you when a seat frees up."
)
_KIND_VALUES = frozenset(k.value for k in NoticeKind)
_ANY_NEWS = (N_("News about your event: {event_title}"), N_("Dear {member_name}, there is news about {event_title}."))


def notice_text(
    kind: NoticeKind | str, payload: Mapping[str, str], member_name: str, zone: ZoneInfo, language: Language,
    position: int | None = None,
) -> tuple[str, str]:
    """Subject and body of an RSVP-change message (the events outbox) in `language`: the event's
    time on the venue's clock (its city named when the member's clock `zone` differs), a reply-by
    date on the member's clock; a waitlisted member's `position` (候补第 N 位) when known."""
    subject, template = NOTICES.get(NoticeKind(kind), _ANY_NEWS) if kind in _KIND_VALUES else _ANY_NEWS
    if kind == NoticeKind.waitlisted and position is not None:
        template = _WAITLISTED_AT
    starts_at = datetime.fromisoformat(payload["starts_at"])
    place = ZoneInfo(payload["venue_time_zone"]) if payload.get("venue_time_zone") else zone
    values = {
        "member_name": member_name,
        "event_title": payload.get("title", ""),
        "local_time": local_time_text(starts_at, place, zone, language),
        "venue": payload.get("venue", ""),
        "category": str(payload.get("category") or ""),
        "position": str(position or ""),
        "reply_by": deadline_text(datetime.fromisoformat(payload["reply_by"]), zone, language, place) if payload.get("reply_by") else "",
    }
    return render(gettext(language, subject), values), render(gettext(language, template), values)


@dataclass(frozen=True, slots=True)
class StepText:
    """A coordinator's text of a step in one language."""

    subject: str
    template: str


def step_texts(raw: Any) -> dict[Language, StepText]:
    """A step's stored per-language texts (JSON: a dict on PostgreSQL, text on SQLite) by language;
    an entry in a language the club no longer writes is left out."""
    found = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    texts = {}
    for tag, text in found.items():
        language = language_of(tag)
        if language is not None and isinstance(text, dict):
            texts[language] = StepText(str(text.get("subject") or ""), str(text.get("template") or ""))
    return texts


def step_text(
    texts: Mapping[Language, StepText], subject: str, template: str, language: Language, club_language: Language
) -> tuple[Language, StepText]:
    """The text a member reads and the language it is written in (times are then written in the
    same): the step's text in their language, else the club default language's (given per
    language, or the step's single text), never a blank while the step has a text in any language."""
    for candidate in (language, club_language):
        if candidate in texts:
            return candidate, texts[candidate]
    if not template:
        for candidate in Language:
            if candidate in texts:
                return candidate, texts[candidate]
    return club_language, StepText(subject, template)
