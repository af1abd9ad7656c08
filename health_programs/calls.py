"""The concierge's health call list: the call tasks of clinic slots, for coordinators only, audited.

The tasks themselves are the reminders' (`events.reminders` turns each call step into a
CallTask); this list is where health calls are worked, since the generic call list leaves
them out: their notes are read here, where every read leaves an audit row.
"""

from __future__ import annotations

from piccolo.query import Select

from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.errors import NotFound
from club.rows import rows_as
from events.reminders.calls import record_outcome
from events.reminders.tables import CallOutcome, CallStatus, CallTask
from health_programs.audit import record_reads
from health_programs.rows import BookingKeyRow, HealthCallRow, SlotOfEventRow
from health_programs.schemas import HealthCallOut
from health_programs.tables import ClinicSlot, HealthBooking

__all__ = ["health_call_list", "record_health_call"]

_FIELDS = (
    *CallTask.all_columns(),
    CallTask.member.name.as_alias("member_name"),
    CallTask.member.phone.as_alias("phone"),
)


def _slot_events() -> Select:
    return ClinicSlot.select(ClinicSlot.event)


async def _shape(rows: list[HealthCallRow]) -> list[HealthCallOut]:
    events = sorted({r.event for r in rows})
    slots = rows_as(SlotOfEventRow, await ClinicSlot.select(
        ClinicSlot.event, ClinicSlot.program, ClinicSlot.clinic.name.as_alias("clinic_name")
    ).where(ClinicSlot.event.is_in(events or [0])))
    by_event = {s.event: s for s in slots}
    bookings = rows_as(BookingKeyRow, await HealthBooking.select(HealthBooking.id, HealthBooking.program, HealthBooking.member).where(
        HealthBooking.member.is_in(sorted({r.member for r in rows}) or [0])
    ))
    booking_of = {(b.program, b.member): b.id for b in bookings}
    return [
        HealthCallOut(
            id=r.id, member_id=r.member, member_name=r.member_name, phone=r.phone,
            booking_id=booking_of.get((by_event[r.event].program, r.member)), event_id=r.event,
            clinic_name=by_event[r.event].clinic_name, script=r.script, due_at=r.due_at, status=r.status,
            attempts=r.attempts, outcome=r.outcome, note=r.note,
        )
        for r in rows
    ]


async def health_call_list(viewer: Principal, include_done: bool, limit: int, offset: int) -> list[HealthCallOut]:
    """Open calls soonest first (with `include_done`, all); records who read whose calls.
    For coordinators only: anyone else gets 404."""
    require_coordinator_or_404(viewer, "There is no health call list for you.")
    query = CallTask.select(*_FIELDS).where(CallTask.event.is_in(_slot_events()))
    if not include_done:
        query = query.where(CallTask.status == CallStatus.open.value)
    rows = rows_as(HealthCallRow, await query.order_by(CallTask.due_at).order_by(CallTask.id).limit(limit).offset(offset))
    calls = await _shape(rows)
    await record_reads(viewer, [c.member_id for c in calls], "call-list")
    return calls


async def record_health_call(task_id: int, outcome: CallOutcome, note: str, retry_in_minutes: int, viewer: Principal) -> HealthCallOut:
    """How a concierge call went; the note is kept for the member and coordinators, never logged.
    For coordinators only (the answer names the member): anyone else gets 404."""
    missing = "Health call {task_id} does not exist."
    require_coordinator_or_404(viewer, missing, task_id=task_id)
    if not await CallTask.exists().where((CallTask.id == task_id) & CallTask.event.is_in(_slot_events())):
        raise NotFound(missing, text_values={"task_id": task_id})
    await record_outcome(task_id, outcome, note, retry_in_minutes)
    rows = rows_as(HealthCallRow, await CallTask.select(*_FIELDS).where(CallTask.id == task_id))
    return (await _shape(rows))[0]
