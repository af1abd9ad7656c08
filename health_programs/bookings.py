"""Booking, moving and cancelling a check-up, and reading bookings (members their own, coordinators any, audited).

Seats are the slot event's: booking is `events.rsvp.rsvp(..., through=THROUGH)`, so the event
lock, the waitlist, tickets and reminders work as for any event. What this domain adds:
- one booking a program, under a race too: booking locks the slot's event and the member's
  row (one `lock_objects` call), then reads the booking, so a member's concurrent requests are
  decided one after another (and the unique `booking_key` backs that up);
- moving in one transaction: the booking row, then both slot events in id order; the old
  RSVP is cancelled (its waitlist moves up, its reminders stop) and the new one confirmed
  (its reminders are timed to the new appointment), or nothing changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from piccolo.columns.combination import Combinable

from checkin import urls as checkin_urls
from checkin.tables import CheckIn
from club import clock
from club.access import owned_or_404, require_coordinator_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.errors import NotFound, SaidList, said_text
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.tables import Member
from events.errors import NotEligible
from events.reminders.tables import CallTask, ScheduledReminder
from events.rsvp import cancel_rsvp, rsvp, waitlist_positions
from events.seats import seats_taken
from events.tables import Event, RsvpStatus
from events.urls import link
from health_programs.audit import record_reads
from health_programs.errors import AlreadyBooked, MoveRefused
from health_programs.programs import (
    THROUGH,
    load_program,
    load_slot,
    program_refusal,
    slot_outs,
)
from health_programs.rows import BookingOwnerRow, BookingRow, CallRow, CheckInRow, SlotOfEventRow, StepRow
from health_programs.rules import (
    STATUS_LIVE,
    BookingRefusal,
    BookingStatus,
    booking_key,
    booking_refusal,
    booking_status,
    move_refusal,
)
from health_programs.schemas import BookingOut, CallOut, ConciergeStepOut, SlotOut
from health_programs.tables import ClinicSlot, HealthBooking

__all__ = [
    "book",
    "cancel_booking",
    "get_booking",
    "member_bookings",
    "move_booking",
    "my_bookings",
    "slot_bookings",
]


def _now() -> datetime:
    return clock.now()


_FIELDS = (
    *HealthBooking.all_columns(),
    HealthBooking.program.name.as_alias("program_name"),
    HealthBooking.member.name.as_alias("member_name"),
    HealthBooking.rsvp.status.as_alias("rsvp_status"),
    HealthBooking.rsvp.event.as_alias("event_id"),
    HealthBooking.slot.event.status.as_alias("event_status"),  # type: ignore[union-attr]  # Piccolo types a two-step join loosely
    HealthBooking.slot.event.starts_at.as_alias("starts_at"),  # type: ignore[union-attr]  # Piccolo types a two-step join loosely
)


def _status(row: BookingRow) -> BookingStatus:
    return booking_status(row.rsvp_status, row.event_status)


async def _booking(where: Combinable) -> BookingRow | None:
    row = await HealthBooking.select(*_FIELDS).where(where).first()
    return None if row is None else row_as(BookingRow, row)


async def book(program_id: int, slot_id: int, viewer: Principal) -> tuple[BookingOut, bool]:
    """Book the slot for the member: a seat, or the slot's waitlist when it is full.

    A repeat of the same request answers with the booking (created=False); a second slot of
    the same program is refused while the first is held (moving is the way to change it).
    """
    member_id = viewer.member_id
    assert member_id is not None, "members book for themselves"
    key = booking_key(program_id, member_id)
    slot = await load_slot(slot_id)  # a slot's event never changes: known before the locks
    async with write_transaction():
        # The slot's event (its seats) and the member (one booking per programme) in one call;
        # rsvp() below locks the event again, which it already holds.
        await lock_objects((Event, slot.event), (Member, member_id))
        await load_program(program_id)
        slot = await load_slot(slot_id)
        if slot.program != program_id:
            raise NotFound("Slot {slot_id} is not a slot of program {program_id}.", text_values={"slot_id": slot_id, "program_id": program_id})
        texts = await program_refusal(program_id, member_id)
        if texts:
            raise NotEligible(
                "You are not eligible for this program: {reasons_text}.",
                reasons=[said_text(Language.en, said) for said in texts],
                text_values={"reasons_text": SaidList(texts)},
            )
        existing = await _booking(HealthBooking.booking_key == key)
        refusal = booking_refusal(_status(existing) if existing else None, existing.slot if existing else None, slot_id)
        if refusal == BookingRefusal.same:
            assert existing is not None
            booking_id, created = existing.id, False
        elif refusal == BookingRefusal.already_booked:
            assert existing is not None
            raise AlreadyBooked(
                "You already have a booking in this program; move it to change the slot, or cancel it first.",
                booking_id=existing.id,
            )
        else:
            result = await rsvp(slot.event, member_id, 0, viewer, through=THROUGH)
            now = _now()
            if existing is None:
                rows = await HealthBooking.insert(
                    HealthBooking(program=program_id, member=member_id, booking_key=key, slot=slot_id,
                                  rsvp=result.rsvp.id, moves=0, created_at=now, updated_at=now)
                ).returning(HealthBooking.id)
                booking_id = rows[0]["id"]
            else:
                booking_id = existing.id
                await HealthBooking.update(
                    {HealthBooking.slot: slot_id, HealthBooking.rsvp: result.rsvp.id, HealthBooking.updated_at: now}
                ).where(HealthBooking.id == booking_id)
            created = True
    return await _out(booking_id, viewer), created


async def _visible(booking_id: int, viewer: Principal) -> BookingOwnerRow:
    """The booking if the viewer may see it: its member, or a coordinator; anyone else gets 404."""
    missing = "Booking {booking_id} does not exist."
    row = await HealthBooking.select(HealthBooking.id, HealthBooking.member).where(HealthBooking.id == booking_id).first()
    if row is None:
        raise NotFound(missing, text_values={"booking_id": booking_id})
    owner = row_as(BookingOwnerRow, row)
    owned_or_404(owner.member, viewer, missing, booking_id=booking_id)
    return owner


async def move_booking(booking_id: int, slot_id: int, viewer: Principal) -> BookingOut:
    """Move to another slot of the program with a free seat, up to the cut-off before the
    current appointment (coordinators may move later). All or nothing."""
    await _visible(booking_id, viewer)
    async with write_transaction():
        await lock_objects((HealthBooking, booking_id))
        booking = await _booking(HealthBooking.id == booking_id)
        assert booking is not None
        target_event = (await load_slot(slot_id)).event  # a slot's event never changes
        # The booking's current slot is only known under the booking's lock (a concurrent move
        # changes it), so both slots' events are a second call: events rank after bookings.
        await lock_objects((Event, [booking.event_id, target_event]))
        target = await load_slot(slot_id)  # its capacity as it stands under the lock
        free = target.capacity - await seats_taken(target.event)
        refusal = move_refusal(
            _status(booking), booking.starts_at, booking.program,
            target.program, target.id == booking.slot, free, _now(), viewer.is_coordinator,
        )
        if refusal is not None:
            raise MoveRefused(*refusal)
        await cancel_rsvp(booking.rsvp, viewer, through=THROUGH)
        result = await rsvp(target.event, booking.member, 0, viewer, through=THROUGH)
        if result.rsvp.status != RsvpStatus.confirmed:  # counted free above, under the lock: cannot happen
            raise MoveRefused("slot-full", "That slot is full; choose another one.")
        await HealthBooking.update(
            {
                HealthBooking.slot: target.id, HealthBooking.rsvp: result.rsvp.id,
                HealthBooking.moves: HealthBooking.moves + 1, HealthBooking.updated_at: _now(),
            }
        ).where(HealthBooking.id == booking_id)
    return await _out(booking_id, viewer)


async def cancel_booking(booking_id: int, viewer: Principal) -> BookingOut:
    """Give the slot back (its waitlist moves up, the reminders stop). Idempotent."""
    await _visible(booking_id, viewer)
    async with write_transaction():
        await lock_objects((HealthBooking, booking_id))  # cancel_rsvp then locks its event
        booking = await _booking(HealthBooking.id == booking_id)
        assert booking is not None
        if _status(booking) in STATUS_LIVE:
            await cancel_rsvp(booking.rsvp, viewer, through=THROUGH)
            await HealthBooking.update({HealthBooking.updated_at: _now()}).where(HealthBooking.id == booking_id)
    return await _out(booking_id, viewer)


async def _calls_by_booking(program_ids: list[int], member_ids: list[int]) -> dict[tuple[int, int], list[CallOut]]:
    """The concierge calls about the members' check-ups of the programs, whichever slot they
    were for (a move keeps the history), by (program, member), in due order: two reads."""
    slots = ClinicSlot.select(ClinicSlot.event).where(ClinicSlot.program.is_in(program_ids))
    rows = rows_as(CallRow, await CallTask.select(
        CallTask.id, CallTask.member, CallTask.event, CallTask.due_at, CallTask.status, CallTask.attempts,
        CallTask.outcome, CallTask.note,
    ).where(CallTask.member.is_in(member_ids) & CallTask.event.is_in(slots)).order_by(CallTask.due_at).order_by(CallTask.id))
    events = sorted({r.event for r in rows})
    program_of = {
        r.event: r.program
        for r in rows_as(
            SlotOfEventRow, await ClinicSlot.select(ClinicSlot.event, ClinicSlot.program).where(ClinicSlot.event.is_in(events or [0]))
        )
    }
    found: dict[tuple[int, int], list[CallOut]] = defaultdict(list)
    for r in rows:
        found[(program_of[r.event], r.member)].append(
            CallOut(id=r.id, due_at=r.due_at, status=r.status, attempts=r.attempts, outcome=r.outcome, note=r.note)
        )
    return found


async def _steps_by_rsvp(rsvp_ids: list[int]) -> dict[int, list[StepRow]]:
    """Each RSVP's concierge steps (its current slot's), in the order they go: one read."""
    S = ScheduledReminder
    rows = rows_as(StepRow, await S.select(
        S.rsvp, S.step, S.channel, S.due_at, S.status, S.status_reason, S.step.subject.as_alias("subject")
    ).where(S.rsvp.is_in(rsvp_ids) & S.step.is_not_null()).order_by(S.due_at).order_by(S.id))
    found: dict[int, list[StepRow]] = defaultdict(list)
    for r in rows:
        found[r.rsvp].append(r)
    return found


def _concierge_steps(rows: list[StepRow], clinic_zone: str) -> list[ConciergeStepOut]:
    """The steps with their times on the clinic's clock (where the appointment is)."""
    zone = ZoneInfo(clinic_zone)
    return [
        ConciergeStepOut(
            step_id=r.step, channel=r.channel, subject=r.subject, due_at=r.due_at,
            due_local=r.due_at.astimezone(zone).isoformat(), status=r.status, status_reason=r.status_reason,
        )
        for r in rows
    ]


async def _check_ins_by_rsvp(rsvp_ids: list[int]) -> dict[int, datetime]:
    """When each RSVP's standing check-in was admitted: one read."""
    rows = rows_as(CheckInRow, await CheckIn.select(CheckIn.rsvp, CheckIn.checked_in_at).where(
        CheckIn.rsvp.is_in(rsvp_ids) & CheckIn.reverted_at.is_null()
    ).order_by(CheckIn.id))
    found: dict[int, datetime] = {}
    for r in rows:
        found.setdefault(r.rsvp, r.checked_in_at)
    return found


async def _out(booking_id: int, viewer: Principal) -> BookingOut:
    """The booking as `viewer` reads it (callers have checked that they may)."""
    row = await _booking(HealthBooking.id == booking_id)
    if row is None:
        raise NotFound("Booking {booking_id} does not exist.", text_values={"booking_id": booking_id})
    return (await _shapes([row]))[0]


async def _shapes(rows: list[BookingRow]) -> list[BookingOut]:
    """The bookings with their slots, waitlist places, check-ins, calls and concierge steps: a
    fixed few reads for the whole list (one per kind, IN the list's ids), however long it is."""
    if not rows:
        return []
    statuses = [_status(r) for r in rows]
    rsvp_ids = sorted({r.rsvp for r in rows})
    positions = await waitlist_positions(
        sorted({r.rsvp for r, status in zip(rows, statuses, strict=True) if status == BookingStatus.waitlisted})
    )
    check_ins = await _check_ins_by_rsvp(rsvp_ids)
    slots = {s.id: s for s in await slot_outs(ClinicSlot.id.is_in(sorted({r.slot for r in rows})))}
    calls = await _calls_by_booking(sorted({r.program for r in rows}), sorted({r.member for r in rows}))
    steps = await _steps_by_rsvp(rsvp_ids)
    return [
        _shape(r, status, slots[r.slot], positions.get(r.rsvp), check_ins.get(r.rsvp),
               calls.get((r.program, r.member), []), _concierge_steps(steps.get(r.rsvp, []), slots[r.slot].time_zone))
        for r, status in zip(rows, statuses, strict=True)
    ]


def _shape(
    row: BookingRow, status: BookingStatus, slot: SlotOut, position: int | None, checked_in_at: datetime | None,
    calls: list[CallOut], steps: list[ConciergeStepOut],
) -> BookingOut:
    return BookingOut(
        id=row.id, program_id=row.program, program_name=row.program_name, member_id=row.member,
        member_name=row.member_name, status=status, waitlist_position=position if status == BookingStatus.waitlisted else None,
        rsvp_id=row.rsvp, ticket_url=link(checkin_urls.TICKET, rsvp_id=row.rsvp) if status == BookingStatus.confirmed else None,
        slot=slot, moves=row.moves, attended=checked_in_at is not None, checked_in_at=checked_in_at,
        calls=calls, concierge_steps=steps, created_at=row.created_at, updated_at=row.updated_at,
    )


async def _shape_all(where: Combinable) -> list[BookingOut]:
    return await _shapes(rows_as(BookingRow, await HealthBooking.select(*_FIELDS).where(where).order_by(HealthBooking.id)))


async def my_bookings(viewer: Principal) -> list[BookingOut]:
    return await _shape_all(HealthBooking.member == viewer.member_id)


async def member_bookings(member_id: int, viewer: Principal) -> list[BookingOut]:
    """A coordinator reads a member's bookings and call notes: audited. Anyone else gets 404."""
    require_coordinator_or_404(viewer, "Member {member_id} does not exist.", member_id=member_id)
    if not await Member.exists().where(Member.id == member_id):
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    bookings = await _shape_all(HealthBooking.member == member_id)
    await record_reads(viewer, [member_id], "bookings")
    return bookings


async def get_booking(booking_id: int, viewer: Principal) -> BookingOut:
    """One booking: its member's, or any for a coordinator (audited)."""
    row = await _visible(booking_id, viewer)
    booking = await _out(booking_id, viewer)
    await record_reads(viewer, [row.member], "booking", booking_id)
    return booking


async def slot_bookings(slot_id: int, viewer: Principal) -> list[BookingOut]:
    """Who is booked for one slot (the clinic's day list), confirmed and waitlisted: for
    coordinators only (anyone else gets 404), audited, one row per member listed. The generic
    attendee lists refuse clinic slots for this reason."""
    require_coordinator_or_404(viewer, "Slot {slot_id} does not exist.", slot_id=slot_id)
    slot = await load_slot(slot_id)
    bookings = await _shape_all(HealthBooking.rsvp.event == slot.event)
    live = [b for b in bookings if b.status in STATUS_LIVE]
    await record_reads(viewer, [b.member_id for b in live], "slot bookings", slot_id)
    return live
