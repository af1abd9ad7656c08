"""Request and response shapes of the health programs API (msgspec; never a table row).

There is no field for a medical result anywhere, in or out: the service keeps bookings,
attendance and call outcomes only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from club.bounds import Day, Id, Instant
from club.schemas import Strict, TierName, TimeZoneName
from events.reminders.tables import CallOutcome, CallStatus, Channel, ScheduleStatus
from events.tables import EventStatus
from health_programs.rules import BookingStatus

__all__ = [
    "AccessAuditOut",
    "BookIn",
    "BookingOut",
    "CallOut",
    "ClinicIn",
    "ClinicOut",
    "HealthCallOut",
    "MoveIn",
    "PreparationIn",
    "PreparationOut",
    "ProgramIn",
    "ProgramOut",
    "SlotIn",
    "SlotOut",
]

Name = Annotated[str, Meta(min_length=1, max_length=200)]
Address = Annotated[str, Meta(max_length=300)]
# Within the days a season may hold (club.bounds).
Year = Annotated[int, Meta(ge=2000, le=2099)]
FastingHours = Annotated[int, Meta(ge=0, le=48)]
PrepText = Annotated[str, Meta(max_length=1000)]
Capacity = Annotated[int, Meta(ge=1, le=1000)]
AttendancePoints = Annotated[int, Meta(ge=0, le=100_000)]


class ProgramIn(Strict, kw_only=True):
    name: Name
    year: Year
    season_starts_on: Day
    season_ends_on: Day
    fasting_hours: FastingHours = 0
    bring: PrepText = ""
    avoid: PrepText = ""
    # Tier names; empty: every member may book.
    tiers: Annotated[list[TierName], Meta(max_length=20)] = []
    attendance_points: AttendancePoints = 100


class PreparationIn(Strict):
    """A change to how members prepare; unsent reminders carry it (they are rendered at send time)."""

    fasting_hours: FastingHours | UnsetType = UNSET
    bring: PrepText | UnsetType = UNSET
    avoid: PrepText | UnsetType = UNSET


class ClinicIn(Strict, kw_only=True):
    name: Name
    address: Address = ""
    time_zone: TimeZoneName


class SlotIn(Strict, kw_only=True):
    starts_at: Instant
    ends_at: Instant
    capacity: Capacity


class BookIn(Strict, kw_only=True):
    slot_id: Id


class MoveIn(Strict, kw_only=True):
    slot_id: Id


class PreparationOut(Struct, kw_only=True):
    fasting_hours: int
    bring: str
    avoid: str
    # As read on the day-before call.
    text: str


class ClinicOut(Struct, kw_only=True):
    id: int
    name: str
    address: str
    time_zone: str


class ProgramOut(Struct, kw_only=True):
    id: int
    name: str
    year: int
    season_starts_on: date
    season_ends_on: date
    preparation: PreparationOut
    tiers: list[str]
    attendance_points: int
    clinics: list[ClinicOut]
    reminder_sequence_id: int | None


class SlotOut(Struct, kw_only=True):
    id: int
    event_id: int
    program_id: int
    clinic_id: int
    clinic_name: str
    address: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    # On the clinic's clock, as the member will read the clinic's sign.
    starts_local: str
    capacity: int
    seats_left: int
    status: EventStatus


class CallOut(Struct, kw_only=True):
    """A concierge call about the booking, as the member and coordinators see it."""

    id: int
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class ConciergeStepOut(Struct, kw_only=True):
    """A step of the concierge sequence for this booking: a call, an SMS or an e-mail, with when
    it goes (UTC, and on the clinic's clock) and whether it is still to come."""

    step_id: int
    channel: Channel
    subject: str
    due_at: datetime
    due_local: str
    # scheduled (still to come), sent, failed, cancelled, skipped (with the reason).
    status: ScheduleStatus
    status_reason: str


class BookingOut(Struct, kw_only=True):
    id: int
    program_id: int
    program_name: str
    member_id: int
    member_name: str
    # From the current RSVP: confirmed, waitlisted or cancelled; slot_cancelled when the club cancelled the slot.
    status: BookingStatus
    waitlist_position: int | None
    rsvp_id: int
    ticket_url: str | None
    slot: SlotOut
    moves: int
    attended: bool
    checked_in_at: datetime | None
    calls: list[CallOut]
    # The concierge sequence as it stands for the current slot: what has gone and what is to come.
    concierge_steps: list[ConciergeStepOut]
    created_at: datetime
    updated_at: datetime


class HealthCallOut(Struct, kw_only=True):
    """A concierge call on the coordinators' health call list."""

    id: int
    member_id: int
    member_name: str
    phone: str | None
    booking_id: int | None
    event_id: int
    clinic_name: str
    script: str
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class AccessAuditOut(Struct, kw_only=True):
    id: int
    reader_user_id: int
    reader_name: str
    member_id: int
    what: str
    subject_id: int | None
    read_at: datetime
