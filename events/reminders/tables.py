"""Tables of reminder sequences: the steps, where they apply, the schedule, deliveries, call tasks."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member
from events.tables import Event, OutboxMessage, Rsvp

__all__ = [
    "Anchor",
    "CallOutcome",
    "CallStatus",
    "CallTask",
    "Channel",
    "DeliveryStatus",
    "EventReminderSequence",
    "KindDefaultSequence",
    "MessagePreference",
    "QuietPolicy",
    "ReminderDelivery",
    "ReminderMessage",
    "ReminderSequence",
    "ReminderStep",
    "ScheduleStatus",
    "ScheduledReminder",
]


class Anchor(str, Enum):
    event_start = "event_start"
    event_end = "event_end"
    # A check-up's appointment and a trip's departure are the event's start until the
    # health and travel domains give them times of their own.
    appointment = "appointment"
    departure = "departure"
    # Once per item of a trip's itinerary, on that item's own clock (travel.itinerary).
    itinerary_item = "itinerary_item"


class Channel(str, Enum):
    email = "email"
    sms = "sms"
    call = "call"


class QuietPolicy(str, Enum):
    hold = "hold"  # due at night: send in the morning (unless the moment has passed by then)
    drop = "drop"  # due at night: do not send at all
    send = "send"  # send at its time even at night: the member expects it (a fasting reminder)


class ScheduleStatus(str, Enum):
    scheduled = "scheduled"
    sent = "sent"
    failed = "failed"
    cancelled = "cancelled"
    skipped = "skipped"  # a late joiner's past step, or dropped for quiet hours


class DeliveryStatus(str, Enum):
    pending = "pending"
    sending = "sending"
    retry = "retry"
    sent = "sent"
    failed = "failed"


class CallOutcome(str, Enum):
    reached = "reached"
    voicemail = "voicemail"
    no_answer = "no_answer"


class CallStatus(str, Enum):
    """A call task's status: open until an outcome other than no_answer closes it."""

    open = "open"
    done = "done"


class ReminderSequence(Table, tablename="reminder_sequence"):
    """A named list of steps a coordinator built; `preparation` fills the {preparation} placeholder."""

    name = Varchar(length=200)
    preparation = Text(default="")
    created_at = Timestamptz()


class ReminderStep(Table, tablename="reminder_step"):
    """One message of a sequence: when (anchor + days in the member's calendar + minutes, or
    at a local clock time), how (channel), what (template), and the late-joiner and night rules."""

    sequence = ForeignKey(ReminderSequence, index=True)
    position = Integer()
    anchor = Varchar(length=20)
    offset_days = Integer(default=0)
    offset_minutes = Integer(default=0)
    # "HH:MM" in the member's zone, e.g. the day before at 18:00; null: anchor + offset exactly.
    at_local_time = Varchar(length=5, null=True, default=None)
    channel = Varchar(length=8)
    subject = Varchar(length=200, default="")
    template = Text()
    # The coordinator's text per language, {"zh_Hans": {"subject": ..., "template": ...}, ...};
    # subject/template above are the club default language's (and any language missing here).
    texts = JSON(default="{}")
    send_to_late_joiners = Boolean(default=True)
    quiet_hours = Varchar(length=8, default=QuietPolicy.hold.value)


class EventReminderSequence(Table, tablename="event_reminder_sequence"):
    """A sequence attached to one event (`link_key` "<event>:<sequence>" is unique)."""

    event = ForeignKey(Event, index=True)
    sequence = ForeignKey(ReminderSequence, index=True)
    link_key = Varchar(length=40, unique=True)
    created_at = Timestamptz()


class KindDefaultSequence(Table, tablename="reminder_kind_default"):
    """A sequence every event of a kind gets unless sequences are attached to it directly."""

    event_kind = Varchar(length=20, index=True)
    sequence = ForeignKey(ReminderSequence, index=True)
    link_key = Varchar(length=60, unique=True)
    created_at = Timestamptz()


class ScheduledReminder(Table, tablename="scheduled_reminder"):
    """The schedule, and the truth arq jobs are checked against: one row per (RSVP, step), per
    (RSVP, step, itinerary item) for per-leg steps, or per outbox message (`schedule_key` is unique).

    `generation` goes up on every re-timing; the arq job id names it with the event version, so
    a job of an old timing finds a newer generation and does nothing. `needs_dispatch` asks the
    dispatcher to abort the old job and enqueue the new one.
    """

    schedule_key = Varchar(length=60, unique=True)
    rsvp = ForeignKey(Rsvp, null=True, default=None, index=True)
    event = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    step = ForeignKey(ReminderStep, null=True, default=None, index=True)
    outbox = ForeignKey(OutboxMessage, null=True, default=None, index=True)
    # The itinerary item a per-leg step is about (travel's `trip_item` id). No foreign key:
    # travel's tables depend on this app, not the other way round.
    item = Integer(null=True, default=None, index=True)
    channel = Varchar(length=8)
    due_at = Timestamptz(index=True)
    event_version = Integer()
    generation = Integer(default=0)
    # No index of its own: the partial indexes on scheduled rows (migration 2026-12-05) serve
    # every status filter, and a plain one only tempted the planner into sorting the sweep.
    status = Varchar(length=12)
    status_reason = Varchar(length=200, default="")
    needs_dispatch = Boolean(default=True, index=True)
    job_id = Varchar(length=80, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ReminderDelivery(Table, tablename="reminder_delivery"):
    """One hand-off to a channel, written before the send: `delivery_key` ("<rsvp>:<step>:v<version>",
    "<rsvp>:<step>:i<item>:v<version>" for a per-leg step, or "outbox:<id>") is unique, so no job, retry or duplicate can send the same thing twice."""

    delivery_key = Varchar(length=60, unique=True)
    scheduled = ForeignKey(ScheduledReminder, index=True)
    rsvp = ForeignKey(Rsvp, null=True, default=None)
    step = ForeignKey(ReminderStep, null=True, default=None)
    event_version = Integer()
    channel = Varchar(length=8)
    status = Varchar(length=10, index=True)
    attempts = Integer(default=0)
    # While a worker sends, nobody else may; a worker killed mid-send loses it when this passes.
    lease_until = Timestamptz(null=True, default=None)
    next_attempt_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=300, default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    # How many SMS the text took (GSM-7 160/153, UCS-2 70/67 characters: a Chinese text of 71 is
    # two); null for e-mail, calls, and SMS sent as a gateway's template.
    sms_segments = Integer(null=True, default=None)


class ReminderMessage(Table, tablename="reminder_message"):
    """The embedded channel: messages kept for coordinators to read when no SMTP or SMS gateway
    is configured. Unique on the delivery key, so a re-sent hand-off lands once."""

    delivery_key = Varchar(length=60, unique=True)
    member = ForeignKey(Member, index=True)
    intended_channel = Varchar(length=8)
    recipient = Varchar(length=254, default="")
    subject = Varchar(length=200, default="")
    body = Text()
    created_at = Timestamptz()


class CallTask(Table, tablename="call_task"):
    """A call a coordinator should make, with the script to read; "no answer" puts it back later."""

    delivery_key = Varchar(length=60, unique=True)
    member = ForeignKey(Member, index=True)
    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp, null=True, default=None)
    script = Text()
    due_at = Timestamptz(index=True)
    status = Varchar(length=10, index=True, default=CallStatus.open.value)
    attempts = Integer(default=0)
    outcome = Varchar(length=12, null=True, default=None)
    note = Text(default="")
    completed_by = Varchar(length=200, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class MessagePreference(Table, tablename="message_preference"):
    """The channels one member accepts for one kind of message (events.reminders.preferences);
    no row: every channel. `preference_key` "<member>:<kind>" is unique. Must-reach kinds are
    sent whatever this says."""

    member = ForeignKey(Member, index=True)
    kind = Varchar(length=20)
    preference_key = Varchar(length=40, unique=True)
    # Channel values, comma-separated ("email,sms"); empty: none.
    channels = Varchar(length=40, default="")
    updated_at = Timestamptz()
