"""The coordinators' call list: call tasks with their script and due time, and their outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from piccolo.columns import Column

from club import clock
from club.db import write_transaction
from club.errors import Conflict, NotFound
from club.locking import lock_objects
from club.rows import Row, row_as, rows_as
from events.catalog import PRIVATE_BOOKING_DOMAINS
from events.reminders.schemas import CallTaskOut, OutboxMessageOut
from events.reminders.tables import CallOutcome, CallStatus, CallTask, ReminderMessage

__all__ = ["call_list", "outbox_messages", "record_outcome"]

_FIELDS = (
    *CallTask.all_columns(),
    CallTask.member.name.as_alias("member_name"),
    CallTask.member.phone.as_alias("phone"),
    CallTask.event.title.as_alias("event_title"),
)


class _CallRow(Row, frozen=True):
    """A call task with who to call and what about."""

    id: int
    member: int
    member_name: str
    phone: str | None
    event: int
    event_title: str
    script: str
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class _MessageRow(Row, frozen=True):
    id: int
    member: int
    intended_channel: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


def _out(r: _CallRow) -> CallTaskOut:
    return CallTaskOut(
        id=r.id, member_id=r.member, member_name=r.member_name, phone=r.phone, event_id=r.event,
        event_title=r.event_title, script=r.script, due_at=r.due_at, status=r.status,
        attempts=r.attempts, outcome=r.outcome, note=r.note,
    )


async def call_list(include_done: bool, limit: int, offset: int) -> list[CallTaskOut]:
    """Open calls soonest first (what a coordinator works through); with `include_done`, all."""
    query = CallTask.select(*_FIELDS).order_by(CallTask.due_at).order_by(CallTask.id)
    query = query.where(
        CallTask.event.booked_through.is_null() | CallTask.event.booked_through.not_in(sorted(PRIVATE_BOOKING_DOMAINS))
    )
    if not include_done:
        query = query.where(CallTask.status == CallStatus.open.value)
    return [_out(r) for r in rows_as(_CallRow, await query.limit(limit).offset(offset))]


async def record_outcome(task_id: int, outcome: CallOutcome, note: str, retry_in_minutes: int) -> CallTaskOut:
    """Reached or voicemail closes the task; no answer puts it back on the list for later."""
    now = clock.now()
    async with write_transaction():
        await lock_objects((CallTask, task_id))
        row = await CallTask.select(CallTask.status).where(CallTask.id == task_id).first()
        if row is None:
            raise NotFound("Call task {task_id} does not exist.", text_values={"task_id": task_id})
        if CallStatus(row["status"]) != CallStatus.open:
            raise Conflict("This call has already been recorded as done.")
        values: dict[Column | str, Any] = {CallTask.outcome: CallOutcome(outcome).value, CallTask.note: note, CallTask.attempts: CallTask.attempts + 1, CallTask.updated_at: now}
        if outcome == CallOutcome.no_answer:
            values[CallTask.due_at] = now + timedelta(minutes=retry_in_minutes)
        else:
            values[CallTask.status] = CallStatus.done.value
        await CallTask.update(values).where(CallTask.id == task_id)
    rows = await CallTask.select(*_FIELDS).where(CallTask.id == task_id)
    return _out(row_as(_CallRow, rows[0]))


async def outbox_messages(limit: int, offset: int) -> list[OutboxMessageOut]:
    """Messages kept by the embedded channel (no SMTP or SMS gateway configured), newest first."""
    rows = await ReminderMessage.select().order_by(ReminderMessage.id, ascending=False).limit(limit).offset(offset)
    return [
        OutboxMessageOut(
            id=r.id, member_id=r.member, intended_channel=r.intended_channel, recipient=r.recipient,
            subject=r.subject, body=r.body, created_at=r.created_at,
        )
        for r in rows_as(_MessageRow, rows)
    ]
