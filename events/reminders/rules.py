"""Pure decisions about reminders: send times in the member's zone, quiet hours, late joiners, texts.

No I/O and no clock: every function takes `now` and zones as arguments, so tests freeze time by
passing it, including across daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_ATTEMPTS",
    "PLACEHOLDERS",
    "Planned",
    "QuietHours",
    "anchor_instant",
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


def anchor_instant(anchor: str, starts_at: datetime, ends_at: datetime) -> datetime:
    # Appointment and departure are the event's start until they get times of their own.
    return ends_at if anchor == "event_end" else starts_at


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as UTC. In a spring-forward gap the clock is read with the
    offset before the change (02:30 becomes 03:30); in a fall-back overlap, the first 01:30."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc)


def step_due(
    anchor_at: datetime, zone: ZoneInfo, offset_days: int, offset_minutes: int, at_local_time: str | None
) -> datetime:
    """When a step falls for a member in `zone`, in UTC.

    Days are calendar days in the member's zone (the day before stays "the day before" across a
    DST change); minutes are elapsed time. With `at_local_time`, the step is on that day at that
    clock time in the member's zone, so Shanghai and Paris each get their own 18:00.
    """
    local = anchor_at.astimezone(zone)
    day = local.date() + timedelta(days=offset_days)
    clock = parse_clock(at_local_time) if at_local_time else local.time().replace(tzinfo=None)
    return _wall(day, clock, zone) + timedelta(minutes=offset_minutes)


def in_quiet_hours(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    clock = instant.astimezone(zone).time().replace(tzinfo=None)
    if quiet.start == quiet.end:
        return False
    if quiet.start < quiet.end:
        return quiet.start <= clock < quiet.end
    return clock >= quiet.start or clock < quiet.end


def quiet_adjust(
    due_at: datetime, zone: ZoneInfo, quiet: QuietHours, policy: str, anchor_at: datetime | None
) -> Planned:
    """A message due in the member's night is held to the morning (policy "hold") or dropped
    ("drop"); a held message whose morning comes after the moment it is about is dropped too.
    Policy "send" ignores the night: the member expects it then ("do not eat breakfast" at 06:30)."""
    if policy == "send" or not in_quiet_hours(due_at, zone, quiet):
        return Planned(due_at)
    if policy == "drop":
        return Planned(None, "due during quiet hours")
    local = due_at.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        day += timedelta(days=1)  # evening: the morning is tomorrow's
    morning = _wall(day, quiet.end, zone)
    if anchor_at is not None and due_at < anchor_at <= morning:
        return Planned(None, "quiet hours last until after its moment")
    return Planned(morning)


def plan_step(due_at: datetime, now: datetime, send_to_late_joiners: bool, anchor_at: datetime) -> Planned:
    """Where a step lands for a member confirmed (or promoted, or re-timed) at `now`.

    A step whose time has already passed goes out now if it is sent to late joiners, else never;
    and never once the event it prepares for has begun. Quiet hours are applied at send time.
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


def local_time_text(instant: datetime, zone: ZoneInfo) -> str:
    """ "Tuesday 13 April 2027 at 18:00 (Asia/Shanghai)": the member's own clock, zone named."""
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({zone.key})"


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
    """Subject and body of an RSVP-change message (the events outbox), in the member's zone."""
    subject, template = _NOTICES.get(kind, ("News about your event", "Dear {member_name}, there is news about {event_title}."))
    starts_at = datetime.fromisoformat(payload["starts_at"])
    values = {
        "member_name": member_name,
        "event_title": payload.get("title", ""),
        "local_time": local_time_text(starts_at, zone),
        "venue": payload.get("venue", ""),
        "category": str(payload.get("category") or ""),
        "reply_by": local_time_text(datetime.fromisoformat(payload["reply_by"]), zone) if payload.get("reply_by") else "",
    }
    return f"{subject}: {payload.get('title', '')}", render(template, values)
