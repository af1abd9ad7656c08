"""The console's trips: every trip with its travelers and what its passports still need
(/console/trips), and one trip's desk (/console/trips/{id}): the itinerary on each leg's clock,
the rooms board (each room, who sleeps in it, its free beds, and who has no room yet), the
passport check (what is missing per traveler, numbers masked), and the manifest as CSV and
.xlsx. A member's console page shows their trips.

The pages read through the API's services (travel.itinerary, .travelers, .rooms, .passports,
.manifest), whose rules are theirs: a page holds passport numbers masked only
(`trip_travelers(full=False)`); only the manifest file, served to the console's coordinators
as the API serves it to their tokens, carries them whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get
from litestar.response import Template

from club import clock
from club.auth import principal_of
from club.downloads import CSV, XLSX, file_response
from club.i18n.http import request_language
from club.rows import Row, rows_as
from club.tables import Member
from club.web.console import CONSOLE, club_zone, console_page
from club.web.console_panels import MemberPanel
from events.export import csv_file, xlsx_file
from events.tables import Event, EventKind, EventStatus, Rsvp, RsvpStatus
from travel.itinerary import list_items, load_trip
from travel.manifest import manifest_sheet
from travel.pages import day_text, span_text
from travel.passports import passport_check, trip_problems
from travel.rooms import list_rooms
from travel.rows import TRIP_COLUMNS, TripRow
from travel.rules import PassportProblem
from travel.schemas import RoomOut
from travel.travelers import trip_travelers

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS", "TRIP", "TRIPS", "trip_path"]

TRIPS = f"{CONSOLE}/trips"
TRIP = f"{CONSOLE}/trips/{{event_id:int}}"
MANIFEST_CSV = f"{CONSOLE}/trips/{{event_id:int}}/manifest.csv"
MANIFEST_XLSX = f"{CONSOLE}/trips/{{event_id:int}}/manifest.xlsx"

_LIVE = (RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value)


def trip_path(event_id: int) -> str:
    return f"{CONSOLE}/trips/{event_id}"


def _dates(request: Request[Any, Any, Any]) -> dict[str, Any]:
    language = request_language(request)
    reader_zone = club_zone(request)
    return {
        "day": lambda d: day_text(d, language),
        "span": lambda start, end, zone: span_text(start, end, zone, language, reader_zone),
        "reader_zone": reader_zone,
    }


@dataclass(frozen=True, slots=True)
class TripLine:
    trip: TripRow
    confirmed: int
    waitlisted: int
    travelers: int  # places to fill: the members and their companions on confirmed RSVPs
    problems: int


class _CountRow(Row, frozen=True):
    event: int
    status: RsvpStatus
    guests: int


@get(TRIPS, name="console-trips")
async def trips_page(request: Request[Any, Any, Any], past: bool = False) -> Template:
    query = Event.select(*TRIP_COLUMNS).where(Event.kind == EventKind.trip.value).order_by(Event.starts_at).order_by(Event.id)
    if not past:
        query = query.where(Event.ends_at >= clock.now())
    trips = rows_as(TripRow, await query)
    counts = rows_as(_CountRow, await Rsvp.select(Rsvp.event, Rsvp.status, Rsvp.guests).where(
        Rsvp.event.is_in([t.id for t in trips] or [0]) & Rsvp.status.is_in(list(_LIVE))
    ))
    lines = []
    for trip in trips:
        mine = [c for c in counts if c.event == trip.id]
        confirmed = [c for c in mine if c.status == RsvpStatus.confirmed]
        _, checked, problems = await trip_problems(trip) if trip.status == EventStatus.published else (None, 0, [])
        lines.append(TripLine(
            trip, len(confirmed), len(mine) - len(confirmed), checked or sum(1 + c.guests for c in confirmed), len(problems),
        ))
    return console_page(request, "travel/console_trips.html", lines=lines, past=past, trip_path=trip_path, **_dates(request))


@dataclass(frozen=True, slots=True)
class Bed:
    """A room on the board: its occupants, and its beds still free."""

    room: RoomOut
    free: int


@get(TRIP, name="console-trip")
async def trip_page(request: Request[Any, Any, Any], event_id: int) -> Template:
    me = principal_of(request)
    trip = await load_trip(event_id, me)  # 404 for none; a salon is not a trip
    items = await list_items(event_id, me)
    travelers = await trip_travelers(event_id, me)  # masked: a page never holds a whole number
    assert all(t.document is None or t.document.masked for t in travelers), "the console shows passports masked"
    rooms = await list_rooms(event_id, me)
    check = await passport_check(event_id, me)
    confirmed = {r["id"] for r in await Rsvp.select(Rsvp.id).where(
        (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
    )}
    problems: dict[int, list[Any]] = {}
    for p in check.problems:
        if p.traveler_id is not None:
            problems.setdefault(p.traveler_id, []).append(p)
    unnamed = [p for p in check.problems if p.traveler_id is None]
    names = {m["id"]: m["name"] for m in await Member.select(Member.id, Member.name).where(
        Member.id.is_in(sorted({p.member_id for p in unnamed}) or [0])
    )}
    return console_page(
        request, "travel/console_trip.html", trip=trip, member_names=names, items=items, check=check,
        travelers=travelers, confirmed=confirmed, problems=problems,
        board=[Bed(r, max(0, r.beds - len(r.occupants))) for r in rooms],
        roomless=[t for t in travelers if t.room is None and t.rsvp_id in confirmed],
        returns_zone=items[-1].time_zone if items else trip.venue_time_zone,
        **_dates(request),
    )


async def _manifest(request: Request[Any, Any, Any], event_id: int, media_type: str) -> Response[bytes]:
    """The API's manifest file (travel.routes), for the console's session: the same sheet, the
    same writer, in the coordinator's language."""
    language = request_language(request)
    sheet = await manifest_sheet(event_id, principal_of(request))
    body, extension = (csv_file(sheet, language), "csv") if media_type == CSV else (xlsx_file(sheet, language), "xlsx")
    return file_response(request, body, media_type, filename=f"trip-{event_id}-manifest.{extension}", language=language.tag)


@get(MANIFEST_CSV, name="console-manifest-csv")
async def manifest_csv(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await _manifest(request, event_id, CSV)


@get(MANIFEST_XLSX, name="console-manifest-xlsx")
async def manifest_xlsx(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await _manifest(request, event_id, XLSX)


@dataclass(frozen=True, slots=True)
class MemberTrip:
    trip: TripRow
    status: RsvpStatus
    guests: int
    problems: list[PassportProblem]


class _MemberRsvpRow(Row, frozen=True):
    id: int
    event: int
    status: RsvpStatus
    guests: int


async def trips_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """A member's trips (their live RSVPs to trips, latest departure first) and what each one's
    passports still need from them."""
    rsvps = rows_as(_MemberRsvpRow, await Rsvp.select(Rsvp.id, Rsvp.event, Rsvp.status, Rsvp.guests).where(
        (Rsvp.member == member_id) & Rsvp.status.is_in(list(_LIVE)) & (Rsvp.event.kind == EventKind.trip.value)
    ))
    if not rsvps:
        return None
    trips = {t.id: t for t in rows_as(TripRow, await Event.select(*TRIP_COLUMNS).where(Event.id.is_in([r.event for r in rsvps])))}
    now = clock.now()
    lines = []
    for r in rsvps:
        trip = trips[r.event]
        live = r.status == RsvpStatus.confirmed and trip.status == EventStatus.published and trip.ends_at > now
        problems = [p for p in (await trip_problems(trip))[2] if p.rsvp_id == r.id] if live else []
        lines.append(MemberTrip(trip, r.status, r.guests, problems))
    lines.sort(key=lambda line: line.trip.starts_at, reverse=True)
    return MemberPanel("travel/console_member_panel.html", order=50, values={"trips": lines, "trip_path": trip_path, "now": now})


CONSOLE_PAGES: list[Any] = [trips_page, trip_page, manifest_csv, manifest_xlsx]
TODAY_SECTIONS: list[Any] = []
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = [trips_panel]
