"""Request and response shapes of the door API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from checkin.rules import ScanResult
from checkin.sync_rules import MAX_BATCH, SyncOutcome
from club.bounds import Id, Instant
from club.schemas import Strict

__all__ = [
    "CheckInFigures",
    "CheckInReverted",
    "DoorAdmission",
    "DoorEventOut",
    "DoorListOut",
    "DoorListPoint",
    "DoorMeetingPoint",
    "DoorPublicKey",
    "DoorRefusal",
    "DoorTicket",
    "OfflineBatchIn",
    "OfflineBatchOut",
    "OfflineScanIn",
    "OfflineScanOut",
    "RevertIn",
    "ScanAnswer",
    "ScanIn",
    "ScannedMember",
    "TicketOut",
]


Token = Annotated[str, Meta(min_length=1, max_length=512)]
# Made by the scanner, once per physical scan, and sent again on every retry of it.
Nonce = Annotated[str, Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Gate = Annotated[str, Meta(max_length=60)]


class ScanIn(Strict):
    token: Token
    nonce: Nonce
    gate: Gate | None = None
    # A trip's meeting point (an itinerary item that is a checkpoint): admission per leg.
    item: Id | None = None


class ScannedMember(Struct, kw_only=True):
    name: str
    tier: str | None
    description: str


class ScanAnswer(Struct, kw_only=True, omit_defaults=False):
    result: ScanResult
    detail: str
    member: ScannedMember | None = None
    checked_in_at: datetime | None = None
    gate: str | None = None
    points_awarded: int = 0
    new_tier: str | None = None
    # Running count for the door; left out of answers to codes that are not tickets at all.
    checked_in: int | None = None
    confirmed: int | None = None


class RevertIn(Strict):
    reason: Annotated[str, Meta(min_length=3, max_length=500)]


class CheckInReverted(Struct, kw_only=True):
    id: int
    reverted: bool
    points_reversed: int


class TicketOut(Struct, kw_only=True):
    rsvp_id: int
    event_id: int
    version: int
    token: str
    svg_url: str
    png_url: str


class DoorMeetingPoint(Struct, kw_only=True):
    """A trip's leg where tickets are scanned: where and when the group gathers."""

    id: int
    title: str
    place: str
    meeting_point: str
    time_zone: str
    starts_at: datetime
    starts_local: str  # on the leg's own clock, with its offset


class DoorEventOut(Struct, kw_only=True):
    """What the door shows of an event, and all that door staff may read of it: no capacity,
    rules, description or guest list."""

    id: int
    kind: str
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    starts_local: str  # on the venue's clock, with its offset
    ends_local: str
    status: str
    meeting_points: list[DoorMeetingPoint]


class CheckInFigures(Struct, kw_only=True):
    event_id: int
    title: str
    confirmed: int
    checked_in: int
    no_shows: int
    ended: bool


class DoorPublicKey(Struct, kw_only=True):
    """The key a ticket's signature is checked with: raw 32 bytes, base64url without padding
    (WebCrypto's importKey("raw", …, "Ed25519") takes them as they are)."""

    algorithm: str
    raw: str
    fingerprint: str


class DoorListPoint(DoorMeetingPoint, kw_only=True):
    """A trip's meeting point as the door list gives it: scans open at `opens_at` and stop when
    the group leaves (`starts_at`)."""

    opens_at: datetime


class DoorTicket(Struct, kw_only=True):
    """A ticket that admits: a confirmed RSVP of an active member, at its current version, with
    what the door shows to greet the right person."""

    rsvp_id: int
    version: int
    name: str
    tier: str | None
    guests: int


class DoorRefusal(Struct, kw_only=True):
    """A ticket that must not admit, at its current version; `reason` is the door's answer."""

    rsvp_id: int
    version: int
    reason: ScanResult


class DoorAdmission(Struct, kw_only=True):
    rsvp_id: int
    item: int | None
    checked_in_at: datetime
    gate: str


class DoorListOut(Struct, kw_only=True):
    """All a gate needs to decide a scan without the network, and no more: names and tiers of
    the tickets that admit, never a phone, an e-mail or anything medical.

    A ticket whose version is below its RSVP's `version` here was reissued (answer invalid); an
    RSVP in neither `tickets` nor `refused` was made after the list (do not admit offline)."""

    event_id: int
    kind: str
    title: str
    venue: str
    venue_time_zone: str
    status: str
    starts_at: datetime
    ends_at: datetime
    opens_at: datetime  # check-in opens: before it, not_open
    closes_at: datetime  # check-in closes: after it, closed
    meeting_points: list[DoorListPoint]
    public_key: DoorPublicKey
    generated_at: datetime
    tickets: list[DoorTicket]
    refused: list[DoorRefusal]
    admitted: list[DoorAdmission]
    checked_in: int
    confirmed: int


class OfflineScanIn(Strict):
    """One scan a gate decided without the network, as its queue kept it."""

    token: Token
    nonce: Nonce
    scanned_at: Instant  # the device's clock when it scanned
    result: ScanResult  # what the gate answered then
    gate: Gate | None = None
    item: Id | None = None


class OfflineBatchIn(Strict):
    scans: Annotated[list[OfflineScanIn], Meta(min_length=1, max_length=MAX_BATCH)]


class OfflineScanOut(Struct, kw_only=True, omit_defaults=False):
    nonce: str
    outcome: SyncOutcome
    result: ScanResult  # the server's reading of the ticket at the scan's time
    detail: str
    check_in_id: int | None = None
    points_awarded: int = 0


class OfflineBatchOut(Struct, kw_only=True):
    results: list[OfflineScanOut]  # in the order the scans were sent
    checked_in: int
    confirmed: int
