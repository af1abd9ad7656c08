"""What the gates left for the coordinators: duplicates of an admission and tickets let in offline
after they were revoked or outside the door's hours (checkin.offline_sync records them), each
beside the admission it conflicts with, for the API and the console's attendee list."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from checkin.rules import ScanResult
from checkin.sync_rules import ConflictKind
from checkin.tables import DoorConflict
from club import clock
from club.rows import Row, rows_as

__all__ = ["DoorConflictOut", "door_conflicts"]


class DoorConflictOut(Struct, kw_only=True):
    """One conflict; for a duplicate, `admitted_at` and `admitted_gate` are the admission that stands."""

    id: int
    kind: ConflictKind
    result: ScanResult  # the server's reading of the ticket at the scan's time
    rsvp_id: int
    member_id: int
    member_name: str
    item: int | None
    gate: str
    scanned_at: datetime
    scanned_by: str | None  # the door staff's name
    decided_offline: bool
    check_in_id: int | None
    admitted_at: datetime | None
    admitted_gate: str | None


class _ConflictRow(Row, frozen=True):
    id: int
    kind: ConflictKind
    result: ScanResult
    rsvp: int
    member: int
    member_name: str
    itinerary_item: int | None
    gate: str
    scanned_at: datetime
    scanned_by_name: str | None
    decided_offline: bool
    check_in: int | None
    admitted_at: datetime | None
    admitted_gate: str | None


async def door_conflicts(event_id: int) -> list[DoorConflictOut]:
    """The event's conflicts, in the order the scans were made."""
    rows = rows_as(_ConflictRow, await DoorConflict.select(
        DoorConflict.id, DoorConflict.kind, DoorConflict.result, DoorConflict.rsvp, DoorConflict.member,
        DoorConflict.member.name.as_alias("member_name"), DoorConflict.itinerary_item, DoorConflict.gate,
        DoorConflict.scanned_at, DoorConflict.scanned_by.name.as_alias("scanned_by_name"), DoorConflict.decided_offline,
        DoorConflict.check_in, DoorConflict.check_in.checked_in_at.as_alias("admitted_at"),
        DoorConflict.check_in.gate.as_alias("admitted_gate"),
    ).where(DoorConflict.event == event_id).order_by(DoorConflict.scanned_at).order_by(DoorConflict.id))
    return [
        DoorConflictOut(
            id=r.id, kind=r.kind, result=r.result, rsvp_id=r.rsvp, member_id=r.member, member_name=r.member_name,
            item=r.itinerary_item, gate=r.gate, scanned_at=clock.aware(r.scanned_at),
            scanned_by=r.scanned_by_name, decided_offline=r.decided_offline, check_in_id=r.check_in,
            admitted_at=clock.aware(r.admitted_at) if r.admitted_at else None, admitted_gate=r.admitted_gate,
        )
        for r in rows
    ]
