"""Request and response shapes of the reminders API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.bounds import Id
from club.schemas import Strict
from events.reminders.tables import Anchor, CallOutcome, CallStatus, Channel, DeliveryStatus, QuietPolicy, ScheduleStatus
from events.tables import EventKind

__all__ = [
    "CallOutcomeIn",
    "CallTaskOut",
    "KindDefaultsIn",
    "KindDefaultsOut",
    "OutboxMessageOut",
    "ScheduledReminderOut",
    "SequenceIn",
    "SequenceOut",
    "StepIn",
    "StepOut",
    "StepTextIn",
    "StepTextOut",
]

Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5)]
# A year either way is more than any reminder needs; it keeps arithmetic far from overflow.
Days = Annotated[int, Meta(ge=-366, le=366)]
Minutes = Annotated[int, Meta(ge=-7 * 24 * 60, le=7 * 24 * 60)]
Template = Annotated[str, Meta(min_length=1, max_length=2000)]
Subject = Annotated[str, Meta(max_length=200)]
SequenceName = Annotated[str, Meta(min_length=1, max_length=200)]
Preparation = Annotated[str, Meta(max_length=2000)]
Note = Annotated[str, Meta(max_length=2000)]
RetryMinutes = Annotated[int, Meta(ge=5, le=7 * 24 * 60)]


class StepTextIn(Strict, kw_only=True):
    """A step's text in one language."""

    subject: Subject = ""
    template: Template


# A language as a BCP 47 tag ("zh-Hans", "zh-TW", "en"), checked against the club's languages.
LanguageTag = Annotated[str, Meta(min_length=2, max_length=35)]


class StepIn(Strict, kw_only=True):
    anchor: Anchor = Anchor.event_start
    offset_days: Days = 0
    offset_minutes: Minutes = 0
    # "18:00": on the offset day at that clock time in the member's zone (for anchor
    # "itinerary_item": in that item's own zone, once per item of the trip).
    at_local_time: Clock | None = None
    channel: Channel
    # The club default language's text; may be left out when `texts` gives it.
    subject: Subject = ""
    template: Template | None = None
    # The text per language ({"zh-Hans": {...}, "en": {...}}); a member whose language is missing
    # reads the club default's.
    texts: Annotated[dict[LanguageTag, StepTextIn], Meta(max_length=10)] = {}
    send_to_late_joiners: bool = True
    quiet_hours: QuietPolicy = QuietPolicy.hold


class SequenceIn(Strict, kw_only=True):
    name: SequenceName
    preparation: Preparation = ""
    steps: Annotated[list[StepIn], Meta(min_length=1, max_length=20)]


class StepTextOut(Struct, kw_only=True):
    subject: str
    template: str


class StepOut(Struct, kw_only=True):
    id: int
    position: int
    anchor: Anchor
    offset_days: int
    offset_minutes: int
    at_local_time: str | None
    channel: Channel
    subject: str
    template: str
    texts: dict[str, StepTextOut]  # by BCP 47 tag
    send_to_late_joiners: bool
    quiet_hours: QuietPolicy


class SequenceOut(Struct, kw_only=True):
    id: int
    name: str
    preparation: str
    steps: list[StepOut]
    event_ids: list[int]
    default_for_kinds: list[EventKind]
    created_at: datetime


class KindDefaultsIn(Strict):
    sequence_ids: Annotated[list[Id], Meta(max_length=20)]


class KindDefaultsOut(Struct, kw_only=True):
    kind: EventKind
    sequence_ids: list[int]


class ScheduledReminderOut(Struct, kw_only=True):
    id: int
    rsvp_id: int | None
    member_id: int
    step_id: int | None
    item_id: int | None
    outbox_message_id: int | None
    channel: Channel
    due_at: datetime
    event_version: int
    status: ScheduleStatus
    status_reason: str
    delivery_status: DeliveryStatus | None
    attempts: int
    last_error: str | None


class OutboxMessageOut(Struct, kw_only=True):
    id: int
    member_id: int
    intended_channel: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


class CallTaskOut(Struct, kw_only=True):
    id: int
    member_id: int
    member_name: str
    phone: str | None
    event_id: int
    event_title: str
    script: str
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class CallOutcomeIn(Strict, kw_only=True):
    outcome: CallOutcome
    note: Note = ""
    # After "no answer": call again this many minutes later.
    retry_in_minutes: RetryMinutes = 120
