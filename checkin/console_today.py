"""The console's Today, the events part: the events of the club's day with their live counts
(confirmed, waitlisted, checked in, no-shows), and the small fragment its page polls for them.

It lives in checkin because check-ins and no-shows are checkin's record (events, below, cannot read
them). The day is the club's (settings.club_time_zone): an event is on it when it takes place at
some moment between that midnight and the next. Every event's counts come from four reads however
many events the day holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.response import Template
from piccolo.query.functions.aggregate import Count

from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE
from checkin.tables import CheckIn, NoShow
from club import clock
from club.accounts import Principal
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.rows import Row, rows_as
from club.web.console import TodaySection
from club.web.templates import page
from events.tables import Event, EventKind, EventStatus, Rsvp, RsvpStatus

__all__ = ["TODAY_EVENTS", "DayEvent", "day_events", "today_events_fragment", "today_events_section"]

# What the Today page's events section polls (every few seconds) for its counts.
TODAY_EVENTS = "/console/today/events"
# Seconds between two polls of the counts; the door's scans show within this.
POLL_SECONDS = 10


class _EventRow(Row, frozen=True):
    id: int
    kind: EventKind
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    capacity: int


@dataclass(frozen=True, slots=True)
class DayEvent:
    event: _EventRow
    starts_text: str  # on the venue's clock, the city named when it is not the club's
    confirmed: int
    waitlisted: int
    checked_in: int
    no_shows: int
    doors: str  # "later", "open" or "closed": whether the door admits now (checkin.rules' window)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and the last-plus-one instant of `day` on `zone`'s clock (23 or 25 hours on the
    days the clock changes)."""
    return datetime.combine(day, time(), zone), datetime.combine(day + timedelta(days=1), time(), zone)


def _doors(event: _EventRow, now: datetime) -> str:
    if now < event.starts_at - CHECKIN_OPENS_BEFORE:
        return "later"
    return "open" if now <= event.ends_at + CHECKIN_CLOSES_AFTER else "closed"


async def day_events(club_zone: str, language: Language, now: datetime | None = None) -> list[DayEvent]:
    """The published (and cancelled) events on the club's day of `now`, soonest first, with their counts."""
    now = now or clock.now()
    zone = ZoneInfo(club_zone)
    start, end = day_bounds(now.astimezone(zone).date(), zone)
    events = rows_as(_EventRow, await Event.select(
        Event.id, Event.kind, Event.title, Event.venue, Event.venue_time_zone, Event.starts_at, Event.ends_at,
        Event.status, Event.capacity,
    ).where(
        (Event.starts_at < end) & (Event.ends_at > start) & (Event.status != EventStatus.draft.value)
    ).order_by(Event.starts_at).order_by(Event.id))
    ids = [e.id for e in events] or [0]
    places: dict[tuple[int, str], int] = {
        (r["event"], r["status"]): int(r["n"])
        for r in await Rsvp.select(Rsvp.event, Rsvp.status, Count(Rsvp.id, alias="n")).where(
            Rsvp.event.is_in(ids) & Rsvp.status.is_in([RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value])
        ).group_by(Rsvp.event, Rsvp.status)
    }
    # Members in, as the door counts them: distinct RSVPs with a standing check-in (a trip's legs
    # admit one ticket again at each meeting point).
    came = {
        r["event"]: int(r["n"])
        for r in await CheckIn.select(CheckIn.event, Count(distinct=[CheckIn.rsvp], alias="n")).where(
            CheckIn.event.is_in(ids) & CheckIn.reverted_at.is_null()
        ).group_by(CheckIn.event)
    }
    missed = {
        r["event"]: int(r["n"])
        for r in await NoShow.select(NoShow.event, Count(NoShow.id, alias="n")).where(NoShow.event.is_in(ids)).group_by(NoShow.event)
    }
    return [
        DayEvent(
            event=e, starts_text=date_time_text(e.starts_at, e.venue_time_zone, language, club_zone),
            confirmed=places.get((e.id, RsvpStatus.confirmed.value), 0),
            waitlisted=places.get((e.id, RsvpStatus.waitlisted.value), 0),
            checked_in=came.get(e.id, 0), no_shows=missed.get(e.id, 0), doors=_doors(e, now),
        )
        for e in events
    ]


async def _values(request: Request[Any, Any, Any]) -> dict[str, Any]:
    settings = request.app.state.settings
    events = await day_events(settings.club_time_zone, request_language(request))
    return {"events": events, "poll": TODAY_EVENTS, "every": POLL_SECONDS}


async def today_events_section(request: Request[Any, Any, Any], me: Principal) -> TodaySection | None:
    """Today's events first on the Today page; nothing when the day holds none."""
    values = await _values(request)
    if not values["events"]:
        return None
    return TodaySection("checkin/console_today.html", order=10, values=values)


@get(TODAY_EVENTS, name="console-today-events")
async def today_events_fragment(request: Request[Any, Any, Any]) -> Template:
    """The section's table alone, which its page asks for again every few seconds."""
    return page(request, "checkin/console_today_events.html", values=await _values(request))
