"""What the server makes of scans a gate decided offline, as plain functions.

A gate without the network decides on the device (the door list and the ticket's signature)
and sends its scans later (checkin.offline_sync). By then the server may know better: another
gate admitted the same ticket, the ticket was reissued or cancelled, the member suspended. The
person was let in or turned away already; the server's part is to keep one admission per
ticket and to leave every disagreement where the coordinators see it, never to hide one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE, ScanResult

__all__ = [
    "DOOR_LIST_AHEAD",
    "MAX_BATCH",
    "ConflictKind",
    "SyncOutcome",
    "door_list_available",
    "offline_admission",
    "scan_time",
    "takes_the_admission",
]

# A door list is downloaded before doors open: from a day before check-in opens, door staff may
# fetch it; after check-in closes there is nothing left to scan, so no list (coordinators always).
DOOR_LIST_AHEAD = timedelta(hours=24)
# Scans in one batch: a longer queue goes in several. This many fit the app's 64 KiB body limit
# (club.server.app.MAX_BODY_BYTES) with room to spare (a scan is about 250 bytes of JSON).
MAX_BATCH = 200

# The door's hours by the server's reading: an admission outside them is reported, not counted.
_OUTSIDE_HOURS = frozenset({ScanResult.not_open, ScanResult.closed, ScanResult.departed})


class SyncOutcome(StrEnum):
    """What became of one scan a gate sent from its queue."""

    admitted = "admitted"  # this scan is the ticket's admission (the earliest one)
    duplicate = "duplicate"  # the ticket was admitted earlier: recorded with this gate and time
    admitted_while_revoked = "admitted_while_revoked"  # let in, though reissued, cancelled, suspended or not confirmed
    admitted_outside_hours = "admitted_outside_hours"  # let in before check-in opened or after it closed
    refused = "refused"  # the gate turned the person away: recorded, nothing else
    invalid = "invalid"  # not a genuine ticket of this club


class ConflictKind(StrEnum):
    """A scan a gate admitted that does not stand as the ticket's admission (checkin.tables.DoorConflict)."""

    duplicate = "duplicate"
    admitted_while_revoked = "admitted_while_revoked"
    admitted_outside_hours = "admitted_outside_hours"


def offline_admission(reading: ScanResult) -> SyncOutcome:
    """What an admission a gate made offline is, given the server's own reading of the ticket at
    the scan's time (with whether it is already in set aside: that is for takes_the_admission)."""
    if reading is ScanResult.admitted:
        return SyncOutcome.admitted
    if reading is ScanResult.already_checked_in:
        return SyncOutcome.duplicate
    if reading in _OUTSIDE_HOURS:
        return SyncOutcome.admitted_outside_hours
    # Reissued, cancelled (the ticket or the event), not confirmed, suspended, another event's.
    return SyncOutcome.admitted_while_revoked


def takes_the_admission(scanned_at: datetime, standing_at: datetime) -> bool:
    """Whether a scan admitted at `scanned_at` replaces the standing admission made at
    `standing_at`: the earliest is the admission; a tie keeps the one the server already has."""
    return scanned_at < standing_at


def scan_time(claimed: datetime, now: datetime) -> datetime:
    """When a queued scan happened: the device's clock, except that a clock running ahead of the
    server's cannot put a scan in the future."""
    return min(claimed, now)


def door_list_available(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Whether door staff may download the event's door list at `now`: from DOOR_LIST_AHEAD
    before check-in opens until check-in closes."""
    return starts_at - CHECKIN_OPENS_BEFORE - DOOR_LIST_AHEAD <= now <= ends_at + CHECKIN_CLOSES_AFTER
