"""HTTP controllers of reminders: coordinators only; thin, they call one service each."""

from __future__ import annotations

from typing import Annotated

from arq.connections import ArqRedis
from litestar import Controller, Request, delete, get, post, put

from club.auth import coordinator_only, principal_of
from club.examples import example_body
from club.paging import Limit, Offset
from club.settings import Settings
from events.reminders import urls
from events.reminders.calls import call_list, outbox_messages, record_outcome
from events.reminders.scheduling import event_schedule
from events.reminders.schemas import (
    CallOutcomeIn,
    CallTaskOut,
    KindDefaultsIn,
    KindDefaultsOut,
    OutboxMessageOut,
    ScheduledReminderOut,
    SequenceIn,
    SequenceOut,
)
from events.reminders.sequences import (
    attach_sequence,
    create_sequence,
    delete_sequence,
    detach_sequence,
    event_sequences,
    get_sequence,
    kind_defaults,
    list_sequences,
    set_kind_defaults,
)
from events.tables import EventKind

__all__ = ["CallTaskController", "ReminderSequenceController"]


class ReminderSequenceController(Controller):
    tags = ["reminders"]
    guards = [coordinator_only]

    @post(urls.SEQUENCES, operation_id="createReminderSequence", summary="Create a reminder sequence")
    async def create(self, data: Annotated[SequenceIn, example_body("An e-mail the week before, an SMS the evening before", {
        "name": "Salon: the week before",
        "steps": [
            {"anchor": "event_start", "offset_days": -7, "channel": "email", "subject": "{event_title}",
             "template": "尊敬的{member_name}，{event_title}将于{local_time}在{venue}举行。"},
            {"anchor": "event_start", "offset_days": -1, "at_local_time": "18:00", "channel": "sms",
             "template": "{event_title}: {local_time}, {venue}."},
        ],
    })]) -> SequenceOut:
        return await create_sequence(data)

    @get(urls.SEQUENCES, operation_id="listReminderSequences", summary="Reminder sequences")
    async def list_all(self, limit: Limit = 50, offset: Offset = 0) -> list[SequenceOut]:
        return await list_sequences(limit, offset)

    @get(urls.SEQUENCE, operation_id="getReminderSequence", summary="One reminder sequence")
    async def get_one(self, sequence_id: int) -> SequenceOut:
        return await get_sequence(sequence_id)

    @delete(urls.SEQUENCE, operation_id="deleteReminderSequence", summary="Delete a sequence never used")
    async def remove(self, sequence_id: int) -> None:
        await delete_sequence(sequence_id)

    @get(urls.EVENT_SEQUENCES, operation_id="listEventReminderSequences", summary="Sequences attached to an event")
    async def of_event(self, event_id: int) -> list[SequenceOut]:
        return await event_sequences(event_id)

    @put(urls.EVENT_SEQUENCE, operation_id="attachReminderSequence", summary="Attach a sequence to an event")
    async def attach(self, event_id: int, sequence_id: int, queue: ArqRedis, settings: Settings) -> list[SequenceOut]:
        return await attach_sequence(event_id, sequence_id, queue, settings.reminder_horizon_s)

    @delete(urls.EVENT_SEQUENCE, operation_id="detachReminderSequence", summary="Detach a sequence from an event", status_code=200)
    async def detach(self, event_id: int, sequence_id: int, queue: ArqRedis, settings: Settings) -> list[SequenceOut]:
        return await detach_sequence(event_id, sequence_id, queue, settings.reminder_horizon_s)

    @get(urls.EVENT_REMINDERS, operation_id="listEventReminders", summary="An event's reminder schedule and deliveries")
    async def schedule(self, request: Request, event_id: int) -> list[ScheduledReminderOut]:
        return await event_schedule(event_id, principal_of(request))

    @get(urls.KIND_DEFAULTS, operation_id="listReminderDefaults", summary="Default sequences per event kind")
    async def defaults(self) -> list[KindDefaultsOut]:
        return await kind_defaults()

    @put(urls.KIND_DEFAULT, operation_id="setReminderDefaults", summary="Set the default sequences of an event kind")
    async def set_defaults(self, kind: EventKind, data: KindDefaultsIn, queue: ArqRedis, settings: Settings) -> KindDefaultsOut:
        return await set_kind_defaults(kind, data.sequence_ids, queue, settings.reminder_horizon_s)

    @get(urls.OUTBOX, operation_id="listReminderOutbox", summary="Messages kept by the embedded channel")
    async def outbox(self, limit: Limit = 50, offset: Offset = 0) -> list[OutboxMessageOut]:
        return await outbox_messages(limit, offset)


class CallTaskController(Controller):
    tags = ["reminders"]
    guards = [coordinator_only]

    @get(urls.CALL_TASKS, operation_id="listCallTasks", summary="The call list: open calls, soonest first")
    async def list_all(self, include_done: bool = False, limit: Limit = 100, offset: Offset = 0) -> list[CallTaskOut]:
        return await call_list(include_done, limit, offset)

    @post(urls.CALL_TASK_OUTCOME, operation_id="recordCallOutcome", summary="Record how a call went", status_code=200)
    async def outcome(self, task_id: int, data: CallOutcomeIn) -> CallTaskOut:
        return await record_outcome(task_id, data.outcome, data.note, data.retry_in_minutes)
