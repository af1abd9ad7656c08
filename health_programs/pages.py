"""The member's check-up pages: the programmes open to them with each clinic's slots on the
clinic's clock, booking a slot, their booking (move it until the cut-off, cancel it), how to
prepare and the concierge's calls to expect; and the check-up part of the home page.

Every change goes through the services the API uses (health_programs.bookings): who may book,
one booking a programme, the 24-hour cut-off and the owner check (another member's booking is
404) are theirs. Nothing here logs: a booking is health data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club import clock
from club.accounts import Principal
from club.auth import member_only, principal_of
from club.bounds import INT32_MAX
from club.errors import InvalidInput, NotFound
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page
from events.reminders.tables import CallStatus, Channel, ScheduleStatus
from health_programs.bookings import book, cancel_booking, get_booking, move_booking, my_bookings
from health_programs.programs import get_program, list_programs, list_slots
from health_programs.rules import MOVE_CUTOFF, STATUS_LIVE, BookingStatus, move_refusal
from health_programs.schemas import BookingOut, ClinicOut, ProgramOut, SlotOut

__all__ = ["HOME_SECTIONS", "PAGES"]

CHECK_UPS = "/check-ups"
BOOK = "/check-ups/{program_id:int}/book"
BOOKING = "/check-ups/bookings/{booking_id:int}"
MOVE = "/check-ups/bookings/{booking_id:int}/move"
CANCEL = "/check-ups/bookings/{booking_id:int}/cancel"


# What the booking page says after a change (post/redirect/get carries it as ?done=…).
_DONE = ("booked", "waitlisted", "moved", "cancelled")
# A fast that lasts past this hour of the appointment's morning leaves no time for breakfast.
_BREAKFAST_BY = time(9, 0)


def booking_path(booking_id: int) -> str:
    return f"/check-ups/bookings/{booking_id}"


class SlotChoice(msgspec.Struct):
    slot_id: str = ""


def _chosen(form: SlotChoice) -> int:
    """The slot the form chose; a missing or mangled choice is a 400 page, not a 500."""
    value = form.slot_id.strip()
    if not value.isdigit() or not 1 <= int(value) <= INT32_MAX:
        raise InvalidInput("Please choose a time.")
    return int(value)


@dataclass(frozen=True, slots=True)
class ClinicSlots:
    """One clinic of a programme with its slots, soonest first."""

    clinic: ClinicOut
    slots: list[SlotOut]


@dataclass(frozen=True, slots=True)
class Preparing:
    """How the member prepares for their appointment, in their own terms."""

    fasting_hours: int
    last_meal_at: datetime | None  # nothing to eat after it (None: no fasting)
    no_breakfast: bool  # the fast covers the morning of the appointment
    bring: str
    avoid: str


@dataclass(frozen=True, slots=True)
class Expected:
    """Something the concierge will do before the appointment: a call, or the morning's SMS."""

    due_at: datetime
    channel: Channel
    subject: str


@dataclass(frozen=True, slots=True)
class NextStep:
    """The member's next thing to mind: a concierge call, the start of the fast, the appointment."""

    kind: str  # "call", "fast", "appointment"
    at: datetime


@dataclass(frozen=True, slots=True)
class ProgramView:
    program: ProgramOut
    booking: BookingOut | None  # the member's live booking in it
    clinics: list[ClinicSlots]  # when there is none: the slots to choose from
    next_step: NextStep | None



def _by_clinic(program: ProgramOut, slots: list[SlotOut]) -> list[ClinicSlots]:
    """The slots under their clinics, in the programme's order of clinics; clinics without a slot are left out."""
    groups = [ClinicSlots(c, [s for s in slots if s.clinic_id == c.id]) for c in program.clinics]
    return [g for g in groups if g.slots]


def preparing(program: ProgramOut, slot: SlotOut) -> Preparing:
    prep = program.preparation
    if prep.fasting_hours <= 0:
        return Preparing(0, None, False, prep.bring.strip(), prep.avoid.strip())
    last_meal = slot.starts_at - timedelta(hours=prep.fasting_hours)
    zone = ZoneInfo(slot.time_zone)
    appointment_day = slot.starts_at.astimezone(zone).date()
    no_breakfast = last_meal.astimezone(zone) < datetime.combine(appointment_day, _BREAKFAST_BY, zone)
    return Preparing(prep.fasting_hours, last_meal, no_breakfast, prep.bring.strip(), prep.avoid.strip())


def expected(booking: BookingOut, now: datetime) -> list[Expected]:
    """The concierge's calls (and the morning SMS) still to come before the appointment ends,
    soonest first: the steps still scheduled, and the calls already on the concierge's list."""
    steps = [
        Expected(s.due_at, s.channel, s.subject)
        for s in booking.concierge_steps
        if s.status == ScheduleStatus.scheduled and s.channel in (Channel.call, Channel.sms)
        and now < s.due_at <= booking.slot.ends_at
    ]
    calls = [Expected(max(c.due_at, now), Channel.call, "") for c in booking.calls if c.status == CallStatus.open]
    return sorted(steps + calls, key=lambda e: e.due_at)


def next_step(booking: BookingOut, prep: Preparing, now: datetime) -> NextStep | None:
    """The soonest of: the next concierge call, the last meal before the fast, the appointment."""
    if booking.status not in STATUS_LIVE or booking.slot.starts_at <= now:
        return None
    candidates = [NextStep("call", e.due_at) for e in expected(booking, now) if e.channel == Channel.call]
    if prep.last_meal_at is not None and prep.last_meal_at > now:
        candidates.append(NextStep("fast", prep.last_meal_at))
    candidates.append(NextStep("appointment", booking.slot.starts_at))
    return min(candidates, key=lambda s: s.at)


def _live(bookings: list[BookingOut], program_id: int) -> BookingOut | None:
    return next((b for b in bookings if b.program_id == program_id and b.status in STATUS_LIVE), None)


async def _program_of(booking: BookingOut, language: Language) -> ProgramOut:
    # Without the eligibility check: the booking is the member's, whatever their tier is now.
    return await get_program(booking.program_id, language=language)


async def _slots(program_id: int, me: Principal) -> list[SlotOut]:
    """The programme's upcoming slots as the member may see them (none once they may not book it)."""
    try:
        return await list_slots(program_id, me)
    except NotFound:
        return []


@get(CHECK_UPS, guards=[member_only], name="check-ups")
async def check_ups_page(request: Request[Any, Any, Any]) -> Template:
    me = principal_of(request)
    language = request_language(request)
    now = clock.now()
    programs = await list_programs(me, language)
    bookings = await my_bookings(me)
    listed = {p.id for p in programs}
    # A live booking stays in view after its programme stops being offered to the member.
    for booking in bookings:
        if booking.status in STATUS_LIVE and booking.program_id not in listed and booking.slot.ends_at > now:
            programs.append(await _program_of(booking, language))
            listed.add(booking.program_id)
    views = []
    for program in programs:
        live = _live(bookings, program.id)
        if live is not None:
            views.append(ProgramView(program, live, [], next_step(live, preparing(program, live.slot), now)))
        else:
            views.append(ProgramView(program, None, _by_clinic(program, await _slots(program.id, me)), None))
    return page(request, "health_programs/check_ups.html", programs=views, reader_zone=me.time_zone or "UTC")


@get(BOOKING, guards=[member_only], name="check-up-booking")
async def booking_page(request: Request[Any, Any, Any], booking_id: int, done: str = "") -> Template:
    me = principal_of(request)
    language = request_language(request)
    now = clock.now()
    booking = await get_booking(booking_id, me)  # another member's booking: 404
    program = await _program_of(booking, language)
    slot = booking.slot
    live = booking.status in STATUS_LIVE
    upcoming = live and slot.starts_at > now
    # The service's own rule, asked of a slot that would take the booking: may it move at all?
    movable = upcoming and move_refusal(
        booking.status, slot.starts_at, booking.program_id, booking.program_id, False, 1, now, False
    ) is None
    others = _by_clinic(program, [s for s in await _slots(program.id, me) if s.id != slot.id]) if movable else []
    prep = preparing(program, slot)
    return page(
        request, "health_programs/booking.html", booking=booking, program=program, slot=slot, live=live,
        upcoming=upcoming, movable=movable, move_until=slot.starts_at - MOVE_CUTOFF, others=others, prep=prep,
        expected=expected(booking, now) if upcoming else [], next=next_step(booking, prep, now),
        done=done if done in _DONE else "", reader_zone=me.time_zone or "UTC",
    )


@post(BOOK, guards=[member_only], status_code=303)
async def book_slot(request: Request[Any, Any, Any], program_id: int, data: Annotated[SlotChoice, FORM]) -> Redirect:
    booking, _ = await book(program_id, _chosen(data), principal_of(request))
    done = "waitlisted" if booking.status == BookingStatus.waitlisted else "booked"
    return Redirect(f"{booking_path(booking.id)}?done={done}", status_code=303)


@post(MOVE, guards=[member_only], status_code=303)
async def move_slot(request: Request[Any, Any, Any], booking_id: int, data: Annotated[SlotChoice, FORM]) -> Redirect:
    booking = await move_booking(booking_id, _chosen(data), principal_of(request))
    return Redirect(f"{booking_path(booking.id)}?done=moved", status_code=303)


@post(CANCEL, guards=[member_only], status_code=303)
async def cancel_slot(request: Request[Any, Any, Any], booking_id: int) -> Redirect:
    booking = await cancel_booking(booking_id, principal_of(request))
    return Redirect(f"{booking_path(booking.id)}?done=cancelled", status_code=303)


async def check_up_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The member's coming check-up with its next step, else a programme awaiting their booking."""
    language = request_language(request)
    now = clock.now()
    bookings = await my_bookings(me)
    coming = sorted(
        (b for b in bookings if b.status in STATUS_LIVE and b.slot.ends_at > now), key=lambda b: b.slot.starts_at
    )
    if coming:
        booking = coming[0]
        program = await _program_of(booking, language)
        return HomeSection("health_programs/home.html", order=40, values={
            "booking": booking, "program": program, "next": next_step(booking, preparing(program, booking.slot), now),
        })
    held = {b.program_id for b in bookings if b.status in STATUS_LIVE}
    for program in await list_programs(me, language):
        if program.id not in held and await _slots(program.id, me):
            return HomeSection("health_programs/home.html", order=40, values={"booking": None, "program": program, "next": None})
    return None


PAGES: list[Any] = [check_ups_page, booking_page, book_slot, move_slot, cancel_slot]
HOME_SECTIONS: list[Any] = [check_up_section]
