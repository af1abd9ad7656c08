"""Tables of health programs: programs and their tiers, clinics, slots, bookings, re-invitations, the access audit.

No table here holds a medical result: only bookings, attendance (through check-in) and call
outcomes (through the reminders' call tasks) are kept, by design.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, Tier, User
from events.reminders.tables import ReminderSequence
from events.tables import Event, Rsvp

__all__ = [
    "Clinic",
    "ClinicSlot",
    "HealthAccessAudit",
    "HealthBooking",
    "HealthProgram",
    "HealthReinvitation",
    "ProgramTier",
    "ReinvitationOutcome",
]


class ReinvitationOutcome(str, Enum):
    """What became of a completed check-up's re-invitation."""

    invited = "invited"
    member_inactive = "member_inactive"  # the member is no longer active: nobody to invite
    already_booked = "already_booked"  # the member holds a booking in the next program already


class HealthProgram(Table, tablename="health_program"):
    """One season of free check-ups ("Annual check-up 2027") and how to prepare for them.

    `sequence` is the concierge reminder sequence made with the program and attached to each
    of its slots; its `preparation` text is rendered from the three preparation fields here.
    """

    name = Varchar(length=200)
    year = Integer(index=True)
    season_starts_on = Date()
    season_ends_on = Date()
    fasting_hours = Integer(default=0)
    bring = Text(default="")
    avoid = Text(default="")
    attendance_points = Integer(default=100)
    sequence = ForeignKey(ReminderSequence, null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz()


class ProgramTier(Table, tablename="health_program_tier"):
    """A tier whose members may book the program (`link_key` "<program>:<tier>" is unique)."""

    program = ForeignKey(HealthProgram, index=True)
    tier = ForeignKey(Tier, index=True)
    link_key = Varchar(length=40, unique=True)


class Clinic(Table, tablename="health_clinic"):
    """A partner clinic of a program; its zone is the one appointments are shown in."""

    program = ForeignKey(HealthProgram, index=True)
    name = Varchar(length=200)
    address = Varchar(length=300, default="")
    time_zone = Varchar(length=64)
    created_at = Timestamptz()


class ClinicSlot(Table, tablename="health_clinic_slot"):
    """An appointment slot: an events Event (kind health_checkup, booked through us) at a clinic.

    Seats, the waitlist, tickets, the door scan and reminders are the event's.
    """

    event = ForeignKey(Event, unique=True)
    clinic = ForeignKey(Clinic, index=True)
    program = ForeignKey(HealthProgram, index=True)


class HealthBooking(Table, tablename="health_booking"):
    """A member's one booking in a program (`booking_key` "<program>:<member>" is unique).

    It points at the member's current RSVP (and its slot); confirmed, waitlisted or cancelled
    is read from that RSVP, never copied here. Moving points it at the new slot's RSVP.
    """

    program = ForeignKey(HealthProgram, index=True)
    member = ForeignKey(Member, index=True)
    booking_key = Varchar(length=40, unique=True)
    slot = ForeignKey(ClinicSlot, index=True)
    rsvp = ForeignKey(Rsvp, index=True)
    moves = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class HealthReinvitation(Table, tablename="health_reinvitation"):
    """The invitation to book again, twelve months after a completed check-up.

    `invite_key` is the completed booking's key ("<program>:<member>"), so each check-up
    invites once however often the daily job runs; `sent_at` is set after the hand-off, and a
    hand-off repeated after a crash carries the same delivery key, which the channels dedupe.
    """

    invite_key = Varchar(length=40, unique=True)
    member = ForeignKey(Member, index=True)
    completed_program = ForeignKey(HealthProgram, index=True)
    completed_event = ForeignKey(Event)
    # None: no program the member may book is open yet; the message says so.
    next_program = ForeignKey(HealthProgram, null=True, default=None)
    outcome = Varchar(length=20)  # a ReinvitationOutcome
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class HealthAccessAudit(Table, tablename="health_access_audit"):
    """Who (a coordinator) read which member's health bookings or call notes, and when."""

    reader = ForeignKey(User, index=True)
    member = ForeignKey(Member, index=True)
    what = Varchar(length=40)
    subject_id = Integer(null=True, default=None)
    created_at = Timestamptz(index=True)
