"""Where door staff land when they sign in: today's events whose doors are open, each linking to
its door page (and a trip's meeting points today to theirs) with a door token in the fragment.

"Today" is the club's day on the club's clock (settings.club_time_zone); an event is listed when
its check-in window (checkin.rules: from CHECKIN_OPENS_BEFORE its start to CHECKIN_CLOSES_AFTER
its end) meets that day. A cancelled event stays listed, saying so, so the door can tell guests.

The door page calls the API with a bearer token and the session cookie never opens the API, so
a door-staff session gets a token of its own here (club.web.sessions.issue_door_token), ended
with the session. A coordinator's session gets none: a session never mints a coordinator's API
token; the door page asks a coordinator for a token, as it always has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from litestar import Request, get
from litestar.response import Template

from checkin import urls
from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE
from club import clock
from club.auth import principal_of, staff_or_coordinator
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.settings import Settings
from club.tables import Role
from club.web.sessions import SESSION_ID_KEY, end_idle_sessions, issue_door_token
from club.web.templates import page
from club.web.urls import DOOR_TODAY
from events import legs
from events.tables import Event, EventKind, EventStatus

__all__ = ["DOOR_TODAY_PAGES", "DoorState", "DoorToday", "club_day", "day_text", "door_today_page", "doors_open_on"]


@dataclass(frozen=True, slots=True)
class MeetingPointToday:
    id: int
    title: str
    where: str
    time_zone: str
    starts_at: datetime


class DoorState(StrEnum):
    """Where an event's check-in stands at the moment the list is read."""

    open = "open"
    not_open = "not_open"
    closed = "closed"
    cancelled = "cancelled"


@dataclass(frozen=True, slots=True)
class DoorToday:
    """One event on the door's list of the day."""

    id: int
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    state: DoorState
    meeting_points: list[MeetingPointToday] = field(default_factory=list)

    @property
    def opens_at(self) -> datetime:
        return self.starts_at - CHECKIN_OPENS_BEFORE


def _state(cancelled: bool, starts_at: datetime, ends_at: datetime, now: datetime) -> DoorState:
    # The window of checkin.rules.decide_scan, read the same way.
    if cancelled:
        return DoorState.cancelled
    if now < starts_at - CHECKIN_OPENS_BEFORE:
        return DoorState.not_open
    if now > ends_at + CHECKIN_CLOSES_AFTER:
        return DoorState.closed
    return DoorState.open


def club_day(zone: str, now: datetime) -> tuple[date, datetime, datetime]:
    """The club's day at `now` and its bounds (midnight to midnight on the club's clock, so a
    day with a clock change is 23 or 25 hours long)."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    return day, datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


def day_text(day: date, language: Language) -> str:
    """The day as its language writes it: 2026年12月11日（周五）, as the pages write dates."""
    if language in (Language.zh_hans, Language.zh_hant):
        return format_date(day, "y年M月d日（EEE）", locale=language.value)
    return format_skeleton("yMMMMEEEEd", datetime.combine(day, time(12)), locale=language.value)


async def doors_open_on(start: datetime, end: datetime, now: datetime) -> list[DoorToday]:
    """Published and cancelled events whose check-in window meets [start, end), in start order,
    with where their check-in stands at `now`; a trip with the meeting points that open in it."""
    rows = await Event.select(
        Event.id, Event.title, Event.venue, Event.venue_time_zone, Event.starts_at, Event.ends_at, Event.status,
        Event.kind,
    ).where(
        Event.status.is_in([EventStatus.published.value, EventStatus.cancelled.value])
        & (Event.starts_at < end + CHECKIN_OPENS_BEFORE)
        & (Event.ends_at >= start - CHECKIN_CLOSES_AFTER)
    ).order_by(Event.starts_at).order_by(Event.id)
    found = []
    for row in rows:
        points: list[MeetingPointToday] = []
        if row["kind"] == EventKind.trip.value:
            points = [
                MeetingPointToday(
                    id=item.id, title=item.title, time_zone=item.time_zone, starts_at=item.starts_at,
                    where=", ".join(part for part in (item.meeting_point, item.place) if part),
                )
                for item in await legs.trip_items(int(row["id"]))
                # Scans at a meeting point open CHECKIN_OPENS_BEFORE the group leaves it.
                if item.is_checkpoint and item.starts_at - CHECKIN_OPENS_BEFORE < end and item.starts_at >= start
            ]
        starts_at, ends_at = clock.aware(row["starts_at"]), clock.aware(row["ends_at"])
        found.append(DoorToday(
            id=int(row["id"]), title=row["title"], venue=row["venue"], venue_time_zone=row["venue_time_zone"],
            starts_at=starts_at, ends_at=ends_at, meeting_points=points,
            state=_state(row["status"] == EventStatus.cancelled.value, starts_at, ends_at, now),
        ))
    return found


@get(DOOR_TODAY, guards=[staff_or_coordinator], name="door-today")
async def door_today_page(request: Request[Any, Any, Any], settings: Settings) -> Template:
    me = principal_of(request)
    now = clock.now()
    day, start, end = club_day(settings.club_time_zone, now)
    events = await doors_open_on(start, end, now)
    token = None
    session_id = request.scope.get(SESSION_ID_KEY)
    if events and me.role is Role.staff and isinstance(session_id, int):
        # This user's idle sessions end first, with the tokens they were given here.
        await end_idle_sessions(timedelta(days=settings.session_idle_days), user_id=me.user_id)
        token = await issue_door_token(session_id, me.user_id)
    return page(
        request, "checkin/door_today.html", events=events, day=day_text(day, request_language(request)), token=token,
        door_page=urls.DOOR_PAGE.split("{")[0], reader_zone=settings.club_time_zone,
    )


DOOR_TODAY_PAGES: list[Any] = [door_today_page]
