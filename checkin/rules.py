"""The door's decisions as plain functions: what a scan answers, and when check-in is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from events.tables import RsvpStatus

__all__ = [
    "CHECKIN_CLOSES_AFTER",
    "CHECKIN_OPENS_BEFORE",
    "ScanFacts",
    "ScanResult",
    "decide_scan",
]

# Doors open a while before the start (guests come early to salons) and close after the end.
CHECKIN_OPENS_BEFORE = timedelta(hours=3)
CHECKIN_CLOSES_AFTER = timedelta(minutes=30)


class ScanResult(str, Enum):
    admitted = "admitted"
    already_checked_in = "already_checked_in"
    not_confirmed = "not_confirmed"
    cancelled = "cancelled"
    wrong_event = "wrong_event"
    not_open = "not_open"
    closed = "closed"
    invalid = "invalid"
    departed = "departed"  # a trip's leg has left its meeting point: the departure does not wait
    suspended = "suspended"  # the membership is suspended: no entry until the club reactivates it


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """What the server knows when a genuine (signature-checked) ticket is scanned."""

    scanned_at_event_id: int
    ticket_event_id: int
    ticket_version: int
    current_ticket_version: int
    rsvp_status: RsvpStatus
    event_cancelled: bool
    already_checked_in: bool
    now: datetime
    starts_at: datetime
    ends_at: datetime
    # At a trip's meeting point: when the group leaves it. Scans open CHECKIN_OPENS_BEFORE it
    # and stop at it.
    departs_at: datetime | None = None
    member_suspended: bool = False


def decide_scan(facts: ScanFacts) -> tuple[ScanResult, str]:
    """The answer for the door and a short reason. Order matters: the most useful answer to
    the person at the door comes first (a cancelled ticket says so, even before opening)."""
    if facts.ticket_event_id != facts.scanned_at_event_id:
        return ScanResult.wrong_event, "This ticket is for another event."
    if facts.ticket_version != facts.current_ticket_version:
        return ScanResult.invalid, "This ticket was replaced by a newer one."
    if facts.event_cancelled:
        return ScanResult.cancelled, "The event is cancelled."
    if facts.rsvp_status == RsvpStatus.cancelled:
        return ScanResult.cancelled, "The member cancelled this RSVP."
    # Before every answer about the RSVP's state or the hour: whatever else holds, this person
    # does not come in, and telling them to wait or that they are already in would mislead.
    if facts.member_suspended:
        return ScanResult.suspended, "Not admitted while the membership is suspended; the club's host can help."
    if facts.rsvp_status != RsvpStatus.confirmed:
        return ScanResult.not_confirmed, "On the waitlist, not confirmed."
    if facts.already_checked_in:
        return ScanResult.already_checked_in, "Already checked in."
    if facts.departs_at is not None:
        if facts.now < facts.departs_at - CHECKIN_OPENS_BEFORE:
            return ScanResult.not_open, "This meeting point has not opened yet."
        if facts.now >= facts.departs_at:
            return ScanResult.departed, "The group has left this meeting point; the departure does not wait."
    if facts.now < facts.starts_at - CHECKIN_OPENS_BEFORE:
        return ScanResult.not_open, "Check-in has not opened yet."
    if facts.now > facts.ends_at + CHECKIN_CLOSES_AFTER:
        return ScanResult.closed, "Check-in has closed."
    return ScanResult.admitted, "Welcome."
