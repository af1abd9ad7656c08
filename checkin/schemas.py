"""Request and response shapes of the door API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from checkin.rules import ScanResult
from club.bounds import Id
from club.schemas import Strict

__all__ = [
    "CheckInFigures",
    "CheckInReverted",
    "DoorEventOut",
    "DoorMeetingPoint",
    "RevertIn",
    "ScanAnswer",
    "ScanIn",
    "ScannedMember",
    "TicketOut",
]


class ScanIn(Strict):
    token: Annotated[str, Meta(min_length=1, max_length=512)]
    # Made by the scanner, once per physical scan, and sent again on every retry of it.
    nonce: Annotated[str, Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
    gate: Annotated[str, Meta(max_length=60)] | None = None
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
