"""Tables of the door: ticket versions, check-ins, remembered scans, no-shows, and the conflicts
that gates deciding offline leave for the coordinators."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete

from club.table import Table
from club.tables import Member, User
from events.tables import Event, Rsvp

__all__ = ["CheckIn", "DoorConflict", "NoShow", "ScanRecord", "Ticket"]


class Ticket(Table, tablename="ticket"):
    """The current version of an RSVP's ticket; reissuing bumps it and every older code dies."""

    rsvp = ForeignKey(Rsvp, unique=True)
    version = Integer(default=1)
    issued_at = Timestamptz()


class CheckIn(Table, tablename="check_in"):
    """A member admitted at the door, and the points that earned them.

    `admission_key` is the RSVP id while the check-in stands ("<rsvp>:i<item>" at a trip's
    meeting point), so a ticket is admitted once (per leg) however many gates scan it at the
    same moment; a revert renames the key, freeing it.
    """

    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp, index=True)
    member = ForeignKey(Member, index=True)
    admission_key = Varchar(length=60, unique=True)
    # The trip's itinerary item (travel's `trip_item` id) this admission was at; no foreign key,
    # since travel's tables depend on this app.
    itinerary_item = Integer(null=True, default=None)
    gate = Varchar(length=60, default="")
    scanned_by = ForeignKey(User, null=True, default=None)
    checked_in_at = Timestamptz()
    # Points this admission earned; the ledger entry is keyed "attendance:checkin-<id>".
    points = Integer(default=0)
    # Decided by a gate without the network and sent later (checkin.offline_sync): its time and
    # gate are the device's.
    decided_offline = Boolean(default=False)
    reverted_at = Timestamptz(null=True, default=None)
    reverted_by = ForeignKey(User, null=True, default=None)
    revert_reason = Text(default="")


class DoorCount(Table, tablename="door_count"):
    """An event's members in at the door (RSVPs with a standing check-in), kept by triggers on
    check_in (migration checkin_2026_12_07t10_01…) in the transaction of each change, so a scan
    reads a number instead of counting a gala's check-ins; never written by the service. The
    confirmed beside it are events.tables.EventTally's."""

    event = ForeignKey(Event, on_delete=OnDelete.cascade)
    # Each event's count is spread over 16 rows (by RSVP id; the migration's SHARDS): a row is locked
    # from a change until its commit, and one row per event would make every scan at a gala
    # wait for the one before it to reach the disk. Unique with the event (index in the migration).
    shard = Integer(default=0)
    checked_in = Integer(default=0)


class ScanRecord(Table, tablename="scan_record"):
    """The answer given to one scan request, kept so a retried request (same nonce from the
    same scanner) gets the same answer instead of "already checked in"."""

    nonce_key = Varchar(length=120, unique=True)
    event = ForeignKey(Event, index=True)
    result = Varchar(length=24)
    answer = JSON()
    created_at = Timestamptz()


class NoShow(Table, tablename="no_show"):
    """A confirmed member who never came, recorded once the event's doors closed."""

    event = ForeignKey(Event, index=True)
    member = ForeignKey(Member, index=True)
    rsvp = ForeignKey(Rsvp)
    no_show_key = Varchar(length=40, unique=True)
    recorded_at = Timestamptz()


class DoorConflict(Table, tablename="door_conflict"):
    """A scan a gate admitted that does not stand as the ticket's admission, kept for the
    coordinators' list (checkin.offline_sync): a duplicate of an earlier admission, with its own
    gate and time, or a ticket let in offline after it was revoked or outside the door's hours.

    `kind` is a checkin.sync_rules.ConflictKind, `result` the server's reading of the scan (a
    checkin.rules.ScanResult). A duplicate names the admission it duplicates."""

    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp)
    member = ForeignKey(Member)
    kind = Varchar(length=24)
    result = Varchar(length=24)
    check_in = ForeignKey(CheckIn, null=True, default=None)
    itinerary_item = Integer(null=True, default=None)
    gate = Varchar(length=60, default="")
    scanned_at = Timestamptz()
    scanned_by = ForeignKey(User, null=True, default=None)
    decided_offline = Boolean(default=True)
    recorded_at = Timestamptz()
