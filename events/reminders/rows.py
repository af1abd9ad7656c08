"""The rows reminders read, as frozen types filled at the query (club.rows), so a misspelled
column is a type error where it is read, not a KeyError three calls later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from club.rows import Row
from events.reminders.tables import Anchor, Channel, DeliveryStatus, QuietPolicy, ScheduleStatus
from events.tables import EventKind, EventStatus, RsvpStatus

__all__ = [
    "DeliverySummary",
    "DispatchRow",
    "EventTiming",
    "OutboxRow",
    "RsvpTiming",
    "ScheduleTiming",
    "ScheduledRow",
    "SendRow",
    "SequenceRow",
    "StepRow",
]


class StepRow(Row, frozen=True):
    """One step of a sequence (`reminder_step`)."""

    id: int
    sequence: int
    position: int
    anchor: Anchor
    offset_days: int
    offset_minutes: int
    at_local_time: str | None
    channel: Channel
    subject: str
    template: str
    texts: Any  # JSON, as OutboxRow.payload: {language: {"subject", "template"}}
    send_to_late_joiners: bool
    quiet_hours: QuietPolicy


class SequenceRow(Row, frozen=True):
    id: int
    name: str
    preparation: str
    created_at: datetime


class EventTiming(Row, frozen=True):
    """What planning needs of an event: when and where it happens, and which version that is."""

    id: int
    kind: EventKind
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    version: int
    venue_time_zone: str


class RsvpTiming(Row, frozen=True):
    """An RSVP with its member's zone (`tz`), whose night the steps respect."""

    id: int
    event: int
    member: int
    status: RsvpStatus
    tz: str


class RsvpWithEvent(RsvpTiming, frozen=True):
    """An RSVP with its event's timing beside it (one query for a batch of RSVPs)."""

    event_kind: EventKind
    event_status: EventStatus
    event_starts_at: datetime
    event_ends_at: datetime
    event_version: int
    event_venue_time_zone: str

    def event_timing(self) -> EventTiming:
        return EventTiming(
            id=self.event, kind=self.event_kind, status=self.event_status, starts_at=self.event_starts_at,
            ends_at=self.event_ends_at, version=self.event_version, venue_time_zone=self.event_venue_time_zone,
        )


class ScheduleTiming(Row, frozen=True):
    """A schedule row as a re-timing compares it."""

    id: int
    schedule_key: str
    status: ScheduleStatus
    due_at: datetime
    event_version: int


class OutboxRow(Row, frozen=True):
    """An undelivered RSVP-change message of the events outbox."""

    id: int
    member: int
    event: int
    rsvp: int | None
    payload: Any  # JSON: a dict on PostgreSQL, text on SQLite (see scheduling.outbox_payload)
    created_at: datetime


class DispatchRow(Row, frozen=True):
    """A schedule row as the dispatcher reads it: its timing and the job it has."""

    id: int
    status: ScheduleStatus
    due_at: datetime
    event_version: int
    generation: int
    job_id: str | None


class ScheduledRow(Row, frozen=True):
    """A schedule row as coordinators read it."""

    id: int
    rsvp: int | None
    member: int
    step: int | None
    item: int | None
    outbox: int | None
    channel: Channel
    due_at: datetime
    event_version: int
    status: ScheduleStatus
    status_reason: str


class DeliverySummary(Row, frozen=True):
    scheduled: int
    status: DeliveryStatus
    attempts: int
    last_error: str


class SendRow(Row, frozen=True):
    """Everything one send needs: the schedule row joined to its RSVP, event, member, step and
    outbox message. A per-leg step's `anchor_at`, `item_zone` and `venue` are its item's."""

    id: int
    rsvp: int | None
    event: int
    member: int
    step: int | None
    outbox: int | None
    item: int | None
    channel: Channel
    due_at: datetime
    event_version: int
    generation: int
    status: ScheduleStatus
    rsvp_status: RsvpStatus | None
    event_status: EventStatus
    current_version: int
    starts_at: datetime
    ends_at: datetime
    title: str
    venue: str
    venue_time_zone: str
    member_name: str
    email: str | None
    phone: str | None
    tz: str
    language: str | None
    anchor: Anchor | None
    subject: str | None
    template: str | None
    step_texts: Any  # JSON, as OutboxRow.payload: {language: {"subject", "template"}}
    quiet_policy: QuietPolicy | None
    preparation: str | None
    notice_kind: str | None
    notice_payload: Any  # JSON, as OutboxRow.payload
    anchor_at: datetime | None = None
    item_zone: str | None = None
