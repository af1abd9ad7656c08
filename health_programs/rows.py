"""The rows health_programs' queries read, as frozen types (club.rows), each with only the fields its code reads.

The queries convert at their boundary (`row_as`/`rows_as`), so a misspelled column fails
the type check, and statuses arrive as their Enums, not bare strings.
"""

from __future__ import annotations

from datetime import date, datetime

from club.rows import Row
from club.tables import MemberStatus
from events.reminders.tables import CallOutcome, CallStatus, Channel, ScheduleStatus
from events.tables import EventStatus, RsvpStatus
from health_programs.tables import ReinvitationOutcome

__all__ = [
    "AuditRow",
    "BookingKeyRow",
    "BookingOwnerRow",
    "BookingRow",
    "BookingStatusRow",
    "CallRow",
    "CheckInRow",
    "ClinicRow",
    "CompletedCheckUpRow",
    "HealthCallRow",
    "MemberTierRow",
    "ProgramNameRow",
    "ProgramRow",
    "ProgramTierRow",
    "ReinvitationRow",
    "SlotOfEventRow",
    "SlotRow",
    "StepRow",
    "TierNameRow",
]


class ProgramRow(Row, frozen=True):
    id: int
    name: str
    year: int
    season_starts_on: date
    season_ends_on: date
    fasting_hours: int
    bring: str
    avoid: str
    attendance_points: int
    sequence: int | None


class ProgramNameRow(Row, frozen=True):
    id: int
    name: str


class ProgramTierRow(Row, frozen=True):
    """A tier a program is open to, with the tier's name and rank."""

    program: int
    tier: int
    name: str
    rank: int


class TierNameRow(Row, frozen=True):
    id: int
    name: str


class MemberTierRow(Row, frozen=True):
    tier: int | None


class ClinicRow(Row, frozen=True):
    id: int
    program: int
    name: str
    address: str
    time_zone: str


class SlotRow(Row, frozen=True):
    """A slot with its clinic and its event's times, seats and status."""

    id: int
    event: int
    program: int
    clinic: int
    clinic_name: str
    address: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    status: EventStatus


class SlotOfEventRow(Row, frozen=True):
    """Which program (and clinic) a slot's event belongs to."""

    event: int
    program: int
    clinic_name: str = ""


class BookingOwnerRow(Row, frozen=True):
    id: int
    member: int


class BookingKeyRow(Row, frozen=True):
    """A booking by what makes it one: its program and its member."""

    id: int
    program: int
    member: int


class BookingRow(Row, frozen=True):
    """A booking with its program's and member's names, its RSVP's status and its slot event's."""

    id: int
    program: int
    program_name: str
    member: int
    member_name: str
    slot: int
    rsvp: int
    moves: int
    created_at: datetime
    updated_at: datetime
    rsvp_status: RsvpStatus
    event_id: int
    event_status: EventStatus
    starts_at: datetime


class BookingStatusRow(Row, frozen=True):
    """What a booking's status is read from: its RSVP's status and its slot event's."""

    rsvp_status: RsvpStatus
    event_status: EventStatus


class CallRow(Row, frozen=True):
    """A concierge call about a booking, as the booking shows it."""

    id: int
    member: int
    event: int
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class HealthCallRow(Row, frozen=True):
    """A call task on the coordinators' health call list, with the member's name and phone."""

    id: int
    member: int
    member_name: str
    phone: str | None
    event: int
    script: str
    due_at: datetime
    status: CallStatus
    attempts: int
    outcome: CallOutcome | None
    note: str


class StepRow(Row, frozen=True):
    """A concierge step scheduled for an RSVP."""

    rsvp: int
    step: int
    channel: Channel
    subject: str
    due_at: datetime
    status: ScheduleStatus
    status_reason: str


class CheckInRow(Row, frozen=True):
    rsvp: int
    checked_in_at: datetime


class CompletedCheckUpRow(Row, frozen=True):
    """A standing check-in at a clinic slot, with its member and the slot's program and clinic."""

    member: int
    event: int
    starts_at: datetime
    member_status: MemberStatus
    member_name: str
    email: str | None
    member_language: str | None
    program: int
    year: int
    clinic_name: str


class ReinvitationRow(Row, frozen=True):
    id: int
    invite_key: str
    next_program: int | None
    outcome: ReinvitationOutcome
    sent_at: datetime | None


class AuditRow(Row, frozen=True):
    id: int
    reader: int
    reader_name: str
    member: int
    what: str
    subject_id: int | None
    created_at: datetime
