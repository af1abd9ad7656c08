"""The member's trip pages: the trips they are on (their RSVP to a trip), each trip's itinerary
with every item on its leg's clock, the travelers of their RSVP with passports masked, and what
the six-month passport rule still needs; forms to name a traveler and record a passport; and
the trip part of the home page.

The pages call travel's services as the API does: the owner checks (another member's trip or
traveler is 404), the sealing and masking of passport numbers (no page ever holds a whole one)
and the passport rule (travel.passports.trip_problems) are theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date, format_skeleton
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club import clock
from club.accounts import Principal
from club.auth import member_only, principal_of
from club.errors import InvalidInput, NotFound
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.rows import rows_as
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page
from events.catalog import load_event
from events.rsvp import my_rsvps
from events.schemas import RsvpOut
from events.tables import Event, EventKind, EventStatus, RsvpStatus
from travel.itinerary import list_items
from travel.passports import trip_problems
from travel.rows import TRIP_COLUMNS, TripRow
from travel.rules import PassportProblem, PassportReason, passport_required_until
from travel.schemas import DocumentIn, TravelerIn, TravelerOut
from travel.tables import Traveler, TravelerRole
from travel.travelers import add_traveler, put_document, rsvp_travelers, traveler_outs, visible_traveler

__all__ = ["HOME_SECTIONS", "PAGES"]

TRIPS = "/trips"
TRIP = "/trips/{event_id:int}"
TRAVELERS = "/trips/{event_id:int}/travelers"
TRAVELER = "/trips/{event_id:int}/travelers/{traveler_id:int}"
PASSPORT = "/trips/{event_id:int}/travelers/{traveler_id:int}/passport"

_LIVE = (RsvpStatus.confirmed, RsvpStatus.waitlisted)
_DONE = ("passport", "traveler")


def trip_path(event_id: int) -> str:
    return f"/trips/{event_id}"


def day_text(day: date, language: Language) -> str:
    """A date as `language` writes it: 2027年3月1日, Mar 1, 2027."""
    if language in (Language.zh_hans, Language.zh_hant):
        return format_date(day, "y年M月d日", locale=language.value)
    return format_skeleton("yMMMd", day, locale=language.value)


def clock_text(instant: datetime, zone: str) -> str:
    """The time of day on a place's clock (an itinerary item's end, on the day it starts)."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def span_text(start: datetime, end: datetime, zone: str, language: Language, reader_zone: str) -> str:
    """An itinerary item's time on its leg's clock: "2027年1月4日（周一）10:00–18:00（东京时间）" when it
    ends the day it starts, else both ends in full. The city is the one date_time_text names."""
    named = date_time_text(start, zone, language, reader_zone)
    local = ZoneInfo(zone)
    if start.astimezone(local).date() != end.astimezone(local).date():
        return f"{named} – {date_time_text(end, zone, language, reader_zone)}"
    plain = date_time_text(start, zone, language)
    city = named[len(plain):] if named.startswith(plain) else ""
    return f"{plain}–{clock_text(end, zone)}{city}"


@dataclass(frozen=True, slots=True)
class Missing:
    """What the six-month rule still needs from the member, for one of their travelers."""

    reason: PassportReason
    traveler_id: int | None
    name: str
    expiry_date: date | None


@dataclass(frozen=True, slots=True)
class Check:
    """The passport rule for the member's own RSVP: the day passports must last to, what is missing."""

    returns_on: date
    required_until: date
    checked: bool  # False: a waitlisted RSVP, which the rule counts once it is confirmed
    missing: list[Missing]
    member_unnamed: bool  # the member has not named themselves as a traveler yet
    companions_unnamed: int  # companions of the RSVP not named yet

    @property
    def count(self) -> int:
        return len(self.missing) + int(self.member_unnamed) + self.companions_unnamed


@dataclass(frozen=True, slots=True)
class TripCard:
    trip: TripRow
    rsvp: RsvpOut
    check: Check | None  # None: the trip is over or cancelled



async def _trip_rsvps(me: Principal, language: Language) -> list[tuple[TripRow, RsvpOut]]:
    """The member's live RSVPs to trips, with their trips, soonest departure first."""
    assert me.member_id is not None
    rsvps = {r.event_id: r for r in await my_rsvps(me.member_id, language) if r.status in _LIVE}
    trips = rows_as(TripRow, await Event.select(*TRIP_COLUMNS).where(
        Event.id.is_in(list(rsvps) or [0]) & (Event.kind == EventKind.trip.value) & (Event.status != EventStatus.draft.value)
    ).order_by(Event.starts_at).order_by(Event.id))
    return [(t, rsvps[t.id]) for t in trips]


async def _my_trip(event_id: int, me: Principal, language: Language) -> tuple[TripRow, RsvpOut]:
    """The trip and the member's live RSVP to it; a trip they are not on is 404, like another member's things."""
    for trip, rsvp in await _trip_rsvps(me, language):
        if trip.id == event_id:
            return trip, rsvp
    raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})


def _check(rsvp: RsvpOut, returns_on: date, problems: list[PassportProblem]) -> Check:
    mine = [p for p in problems if p.rsvp_id == rsvp.id]
    unnamed = [p for p in mine if p.reason == PassportReason.missing_traveler]
    return Check(
        returns_on=returns_on, required_until=passport_required_until(returns_on),
        checked=rsvp.status == RsvpStatus.confirmed,
        missing=[Missing(p.reason, p.traveler_id, p.name, p.expiry_date) for p in mine if p.reason != PassportReason.missing_traveler],
        member_unnamed=any(p.role == TravelerRole.member for p in unnamed),
        companions_unnamed=sum(1 for p in unnamed if p.role == TravelerRole.companion),
    )


async def _check_of(trip: TripRow, rsvp: RsvpOut) -> Check:
    returns_on, _, problems = await trip_problems(trip)
    return _check(rsvp, returns_on, problems)


def _values(request: Request[Any, Any, Any], reader_zone: str) -> dict[str, Any]:
    """What the trip templates use besides `when`: dates, and an item's span, in the reader's language."""
    language = request_language(request)
    return {
        "day": lambda d: day_text(d, language),
        "span": lambda start, end, zone: span_text(start, end, zone, language, reader_zone),
        "reader_zone": reader_zone,
    }


@get(TRIPS, guards=[member_only], name="trips")
async def trips_page(request: Request[Any, Any, Any]) -> Template:
    me = principal_of(request)
    now = clock.now()
    cards, past = [], []
    for trip, rsvp in await _trip_rsvps(me, request_language(request)):
        if trip.ends_at <= now:
            past.append(TripCard(trip, rsvp, None))
        else:
            live = trip.status == EventStatus.published
            cards.append(TripCard(trip, rsvp, await _check_of(trip, rsvp) if live else None))
    return page(request, "travel/trips.html", cards=cards, past=past[::-1], **_values(request, me.time_zone or "UTC"))


@get(TRIP, guards=[member_only], name="trip")
async def trip_page(request: Request[Any, Any, Any], event_id: int, done: str = "") -> Template:
    me = principal_of(request)
    language = request_language(request)
    trip, rsvp = await _my_trip(event_id, me, language)
    event = await load_event(event_id, me)
    items = await list_items(event_id, me)
    travelers = await rsvp_travelers(rsvp.id, me)
    assert all(t.document is None or t.document.masked for t in travelers), "a member page shows passports masked"
    check = await _check_of(trip, rsvp)
    return page(
        request, "travel/trip.html", trip=trip, venue=event.venue, rsvp=rsvp, items=items, travelers=travelers,
        check=check, returns_zone=items[-1].time_zone if items else trip.venue_time_zone,
        open=trip.status == EventStatus.published and trip.ends_at > clock.now(),
        companions_named=sum(1 for t in travelers if t.role == TravelerRole.companion),
        done=done if done in _DONE else "", **_values(request, me.time_zone or "UTC"),
    )


async def _traveler(event_id: int, traveler_id: int, me: Principal) -> TravelerOut:
    """The member's traveler on this trip (another member's, or one of another trip: 404)."""
    owner = await visible_traveler(traveler_id, me)
    if owner.event != event_id:
        raise NotFound("Traveler {traveler_id} does not exist.", text_values={"traveler_id": traveler_id})
    found = await traveler_outs(Traveler.id == traveler_id, full=False)
    return found[0]


async def _traveler_page(
    request: Request[Any, Any, Any], event_id: int, traveler_id: int, *, done: str = "",
    errors: dict[str, str] | None = None, form: dict[str, str] | None = None, status_code: int = 200,
) -> Template:
    me = principal_of(request)
    language = request_language(request)
    traveler = await _traveler(event_id, traveler_id, me)
    trip, rsvp = await _my_trip(event_id, me, language)
    check = await _check_of(trip, rsvp)
    return page(
        request, "travel/traveler.html", status_code=status_code, trip=trip, traveler=traveler, check=check,
        open=trip.status == EventStatus.published and trip.ends_at > clock.now(),
        done=done if done in _DONE else "", errors=errors or {}, form=form or {}, **_values(request, me.time_zone or "UTC"),
    )


@get(TRAVELER, guards=[member_only], name="trip-traveler")
async def traveler_page(request: Request[Any, Any, Any], event_id: int, traveler_id: int, done: str = "") -> Template:
    return await _traveler_page(request, event_id, traveler_id, done=done)


class TravelerForm(msgspec.Struct):
    role: str = ""
    full_name: str = ""


@post(TRAVELERS, guards=[member_only], status_code=303)
async def add_traveler_page(request: Request[Any, Any, Any], event_id: int, data: Annotated[TravelerForm, FORM]) -> Redirect:
    me = principal_of(request)
    _, rsvp = await _my_trip(event_id, me, request_language(request))
    name = " ".join(data.full_name.split())
    try:
        body = msgspec.convert({"role": data.role, "full_name": name or None}, TravelerIn)
    except msgspec.ValidationError as exc:
        raise InvalidInput("Please give the traveler's full name as it is printed in their passport.") from exc
    traveler = await add_traveler(rsvp.id, body, me)
    return Redirect(f"{trip_path(event_id)}/travelers/{traveler.id}?done=traveler", status_code=303)


class PassportForm(msgspec.Struct):
    passport_number: str = ""
    nationality: str = ""
    expiry_date: str = ""


# Which field a refused passport form is refused for, and what the page says there.
_PASSPORT_FIELDS = ("passport_number", "nationality", "expiry_date")


@post(PASSPORT, guards=[member_only], status_code=303)
async def passport_page(
    request: Request[Any, Any, Any], event_id: int, traveler_id: int, data: Annotated[PassportForm, FORM]
) -> Redirect | Template:
    me = principal_of(request)
    await _traveler(event_id, traveler_id, me)
    fields = {
        "passport_number": "".join(data.passport_number.split()).upper(),
        "nationality": data.nationality.strip().upper(),
        "expiry_date": data.expiry_date.strip(),
    }
    try:
        # The API's schema decides what a passport number, a nationality and an expiry date are.
        document = msgspec.convert(fields, DocumentIn, strict=False)
    except msgspec.ValidationError as exc:
        field = next((f for f in _PASSPORT_FIELDS if f in str(exc)), "passport_number")
        # The number is never sent back into the page, even a refused one.
        kept = {"nationality": fields["nationality"][:3], "expiry_date": fields["expiry_date"][:10]}
        return await _traveler_page(request, event_id, traveler_id, errors={field: field}, form=kept, status_code=400)
    await put_document(traveler_id, document, me)
    return Redirect(f"{trip_path(event_id)}?done=passport", status_code=303)


async def trip_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The member's next trip (under way or coming) and what its passports still need."""
    now = clock.now()
    for trip, rsvp in await _trip_rsvps(me, request_language(request)):
        if trip.ends_at > now and trip.status == EventStatus.published:
            return HomeSection("travel/home.html", order=50, values={
                "trip": trip, "rsvp": rsvp, "check": await _check_of(trip, rsvp),
            })
    return None


PAGES: list[Any] = [trips_page, trip_page, traveler_page, add_traveler_page, passport_page]
HOME_SECTIONS: list[Any] = [trip_section]
