"""The door list: what a gate downloads so it can decide scans when the network drops.

The signature proves a ticket is the club's; the list says whether it admits now: each ticket
that admits at its current version with the name and tier the door greets by, each that must
not (cancelled, waitlisted, suspended), and who is in already. It is built from three plain
queries and sent as one body, gzipped when the gate accepts it, with an ETag so the gate's
minute-by-minute refresh costs a 304 while nothing changes.

An event booked through a domain that holds health data (a check-up's clinic slot) lists its
tickets without names or tiers: who is booked for a check-up is read only through that domain's
audited routes, and the door can admit by the ticket alone.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec
from cryptography.hazmat.primitives import serialization

from checkin.door import door_meeting_points
from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE, ScanResult
from checkin.scanning import admitted_counts
from checkin.schemas import DoorAdmission, DoorListOut, DoorListPoint, DoorPublicKey, DoorRefusal, DoorTicket
from checkin.sync_rules import door_list_available
from checkin.tables import CheckIn
from checkin.ticket_tokens import TicketSigner, key_fingerprint
from club import clock
from club.accounts import Principal
from club.errors import Conflict
from club.rows import Row, rows_as
from club.tables import MemberStatus
from events.catalog import PRIVATE_BOOKING_DOMAINS, load_event
from events.tables import EventKind, Rsvp, RsvpStatus

__all__ = ["DoorListUnavailable", "EncodedDoorList", "build_door_list", "encode_door_list"]

# Every RSVP of the event with what the door shows of it; ticket version 1 until one is reissued.
_TICKETS_SQL = (
    "SELECT r.id, r.status, r.guests, m.name, m.status AS member_status, ti.name AS tier, "
    "COALESCE(tk.version, 1) AS version "
    "FROM rsvp r JOIN member m ON m.id = r.member "
    "LEFT JOIN tier ti ON ti.id = m.tier "
    "LEFT JOIN ticket tk ON tk.rsvp = r.id "
    "WHERE r.event = {} ORDER BY r.id"
)
_ADMITTED_SQL = (
    "SELECT c.rsvp, c.itinerary_item, c.checked_in_at, c.gate FROM check_in c "
    "WHERE c.event = {} AND c.reverted_at IS NULL ORDER BY c.id"
)


class DoorListUnavailable(Conflict):
    slug = "door-list-unavailable"
    title = "Door list not available"


class _TicketRow(Row, frozen=True):
    id: int
    status: RsvpStatus
    guests: int
    name: str
    member_status: MemberStatus
    tier: str | None
    version: int


class _AdmittedRow(Row, frozen=True):
    rsvp: int
    itinerary_item: int | None
    checked_in_at: datetime
    gate: str


def _refusal(row: _TicketRow) -> ScanResult | None:
    """The door's answer to a ticket that must not admit (checkin.rules.decide_scan's order)."""
    if row.status is RsvpStatus.cancelled:
        return ScanResult.cancelled
    if row.member_status is MemberStatus.suspended:
        return ScanResult.suspended
    if row.status is not RsvpStatus.confirmed:
        return ScanResult.not_confirmed
    return None


def _public_key(signer: TicketSigner) -> DoorPublicKey:
    raw = signer.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return DoorPublicKey(
        algorithm="Ed25519", raw=base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
        fingerprint=key_fingerprint(signer.public_key),
    )


async def build_door_list(event_id: int, viewer: Principal, signer: TicketSigner, now: datetime) -> DoorListOut:
    """The event's door list at `now`; 404 for a draft (as the door view), and for door staff a
    409 outside the hours the list is for (checkin.sync_rules.door_list_available)."""
    event = await load_event(event_id, viewer)
    starts_at, ends_at = clock.aware(event.starts_at), clock.aware(event.ends_at)
    if not viewer.is_coordinator and not door_list_available(starts_at, ends_at, now):
        raise DoorListUnavailable(
            "The door list of event {event_id} is available from a day before check-in opens until it closes.",
            event_id=event_id,
        )
    anonymous = event.booked_through in PRIVATE_BOOKING_DOMAINS
    tickets: list[DoorTicket] = []
    refused: list[DoorRefusal] = []
    for row in rows_as(_TicketRow, await Rsvp.raw(_TICKETS_SQL, event_id)):
        reason = _refusal(row)
        if reason is not None:
            refused.append(DoorRefusal(rsvp_id=row.id, version=row.version, reason=reason))
        elif anonymous:
            tickets.append(DoorTicket(rsvp_id=row.id, version=row.version, name="", tier=None, guests=row.guests))
        else:
            tickets.append(DoorTicket(rsvp_id=row.id, version=row.version, name=row.name, tier=row.tier, guests=row.guests))
    admitted = [
        DoorAdmission(rsvp_id=r.rsvp, item=r.itinerary_item, checked_in_at=clock.aware(r.checked_in_at), gate=r.gate)
        for r in rows_as(_AdmittedRow, await CheckIn.raw(_ADMITTED_SQL, event_id))
    ]
    checked_in, confirmed = await admitted_counts(event_id)
    points = await door_meeting_points(event_id) if event.kind is EventKind.trip else []
    return DoorListOut(
        event_id=event.id, kind=event.kind.value, title=event.title, venue=event.venue,
        venue_time_zone=event.venue_time_zone, status=event.status.value, starts_at=starts_at, ends_at=ends_at,
        opens_at=starts_at - CHECKIN_OPENS_BEFORE, closes_at=ends_at + CHECKIN_CLOSES_AFTER,
        meeting_points=[
            DoorListPoint(**msgspec.structs.asdict(p), opens_at=p.starts_at - CHECKIN_OPENS_BEFORE) for p in points
        ],
        public_key=_public_key(signer), generated_at=now,
        tickets=tickets, refused=refused, admitted=admitted, checked_in=checked_in, confirmed=confirmed,
    )


@dataclass(frozen=True, slots=True)
class EncodedDoorList:
    """The list as sent: its JSON, gzipped once, and an ETag that changes only with its content
    (the moment it was built left out, so an unchanged list answers 304)."""

    body: bytes
    gzipped: bytes
    etag: str


_UNCHANGING = datetime(2000, 1, 1, tzinfo=UTC)


def encode_door_list(door_list: DoorListOut) -> EncodedDoorList:
    body = msgspec.json.encode(door_list)
    content = msgspec.json.encode(msgspec.structs.replace(door_list, generated_at=_UNCHANGING))
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    return EncodedDoorList(body=body, gzipped=gzip.compress(body, compresslevel=6, mtime=0), etag=etag)
