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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.reminders.tables import Anchor, QuietPolicy

__all__ = [
    "MAX_ATTEMPTS",
    "PLACEHOLDERS",
    "Planned",
    "QuietHours",
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
    "unknown_placeholders",
]

PLACEHOLDERS = frozenset({"member_name", "event_title", "local_time", "venue", "preparation"})
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


def _city(zone: ZoneInfo) -> str:
    """ "Europe/Paris" -> "Paris", "America/Argentina/Buenos_Aires" -> "Buenos Aires"."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def local_time_text(instant: datetime, place: ZoneInfo, reader: ZoneInfo | None = None) -> str:
    """An event's time as a member reads it: on the clock of the place where it happens, and,
    when the reader's own clock shows another time, theirs beside it.

    "Friday 11 December 2026 at 19:00 (Paris time; Saturday 12 December at 02:00 in Shanghai)";
    "Friday 11 December 2026 at 19:00" when the reader lives on the place's clock.
    """
    local = instant.astimezone(place)
    text = f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"
    if reader is None or reader.key == place.key:
        return text
    own = instant.astimezone(reader)
    if own.utcoffset() == local.utcoffset():
        return text
    same_day = own.date() == local.date()
    theirs = f"{own:%H:%M}" if same_day else f"{own:%A} {own.day} {own:%B} at {own:%H:%M}"
    return f"{text} ({_city(place)} time; {theirs} in {_city(reader)})"


def deadline_text(instant: datetime, reader: ZoneInfo) -> str:
    """A member's own deadline (a reply-by date) on the member's clock, the city named."""
    local = instant.astimezone(reader)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({_city(reader)} time)"


_NOTICES = {
    "confirmed": ("Your place is confirmed", "Dear {member_name}, your place at {event_title} on {local_time} at {venue} is confirmed."),
    "waitlisted": ("You are on the waitlist", "Dear {member_name}, {event_title} on {local_time} is full; you are on the waitlist and we will tell you when a seat frees up."),
    "promoted": ("A seat is yours", "Dear {member_name}, a seat has freed up: your place at {event_title} on {local_time} at {venue} is confirmed."),
    "event_moved": ("Your event has moved", "Dear {member_name}, {event_title} now takes place on {local_time} at {venue}."),
    "event_cancelled": ("Your event is cancelled", "Dear {member_name}, we are sorry: {event_title} on {local_time} has been cancelled."),
    # Show invitations (events.shows): personal, with a seat category and a reply-by date.
    "show_invited": ("An invitation for you", "Dear {member_name}, you are invited to {event_title} on {local_time} at {venue}, {category}. The invitation is personal; please reply by {reply_by}."),
    "show_offered": ("A seat for you", "Dear {member_name}, a seat ({category}) at {event_title} on {local_time} is now yours to accept; please reply by {reply_by}."),
    "show_offer_expired": ("Your invitation has lapsed", "Dear {member_name}, your invitation to {event_title} was not answered by {reply_by} and has lapsed; its seat goes to another guest."),
    "show_invitation_withdrawn": ("Your invitation is withdrawn", "Dear {member_name}, we are sorry: your invitation to {event_title} on {local_time} has been withdrawn."),
}


def notice_text(kind: str, payload: Mapping[str, str], member_name: str, zone: ZoneInfo) -> tuple[str, str]:
    """Subject and body of an RSVP-change message (the events outbox): the event's time on the
    venue's clock (the member's own beside it), a reply-by date on the member's clock `zone`."""
    subject, template = _NOTICES.get(kind, ("News about your event", "Dear {member_name}, there is news about {event_title}."))
    starts_at = datetime.fromisoformat(payload["starts_at"])
    place = ZoneInfo(payload["venue_time_zone"]) if payload.get("venue_time_zone") else zone
    values = {
        "member_name": member_name,
        "event_title": payload.get("title", ""),
        "local_time": local_time_text(starts_at, place, zone),
        "venue": payload.get("venue", ""),
        "category": str(payload.get("category") or ""),
        "reply_by": deadline_text(datetime.fromisoformat(payload["reply_by"]), zone) if payload.get("reply_by") else "",
    }
    return f"{subject}: {payload.get('title', '')}", render(template, values)
