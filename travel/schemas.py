"""Request and response shapes of the travel API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from club.bounds import Day, Id, Instant
from club.schemas import Name, Strict, TimeZoneName
from travel.rules import PassportReason
from travel.tables import RoomKind, TravelerRole

__all__ = [
    "DocumentIn",
    "DocumentOut",
    "ItemIn",
    "ItemOut",
    "ItemUpdate",
    "OccupantIn",
    "OccupantOut",
    "PassportCheckOut",
    "PassportProblemOut",
    "RoomIn",
    "RoomOut",
    "TravelerIn",
    "TravelerOut",
    "TravelerUpdate",
]

Title = Annotated[str, Meta(min_length=1, max_length=200)]
Place = Annotated[str, Meta(min_length=1, max_length=200)]
MeetingPoint = Annotated[str, Meta(max_length=2000)]
Dietary = Annotated[str, Meta(max_length=1000)]
PassportNumber = Annotated[str, Meta(min_length=5, max_length=20, pattern=r"^[A-Za-z0-9]+$")]
# ISO 3166-1 alpha-3, as printed in a passport's machine-readable zone.
Nationality = Annotated[str, Meta(pattern=r"^[A-Z]{3}$", min_length=3, max_length=3)]
RoomLabel = Annotated[str, Meta(min_length=1, max_length=60)]


class ItemIn(Strict, kw_only=True):
    title: Title
    place: Place
    time_zone: TimeZoneName
    starts_at: Instant
    ends_at: Instant
    meeting_point: MeetingPoint = ""
    is_checkpoint: bool = False


class ItemUpdate(Strict):
    title: Title | UnsetType = UNSET
    place: Place | UnsetType = UNSET
    time_zone: TimeZoneName | UnsetType = UNSET
    starts_at: Instant | UnsetType = UNSET
    ends_at: Instant | UnsetType = UNSET
    meeting_point: MeetingPoint | UnsetType = UNSET
    is_checkpoint: bool | UnsetType = UNSET


class ItemOut(Struct, kw_only=True):
    id: int
    event_id: int
    position: int
    title: str
    place: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    starts_local: str
    ends_local: str
    meeting_point: str
    is_checkpoint: bool
    version: int


class TravelerIn(Strict, kw_only=True):
    role: TravelerRole
    # The member's own name when left out for role "member"; required for a companion.
    full_name: Name | None = None
    dietary_notes: Dietary = ""


class TravelerUpdate(Strict):
    full_name: Name | UnsetType = UNSET
    dietary_notes: Dietary | UnsetType = UNSET


class DocumentIn(Strict, kw_only=True):
    passport_number: PassportNumber
    nationality: Nationality
    expiry_date: Day


class DocumentOut(Struct, kw_only=True):
    # Masked ("•••••1234") in every answer: only the coordinators' manifest shows it whole.
    passport_number: str
    masked: bool
    nationality: str
    expiry_date: date


class TravelerOut(Struct, kw_only=True):
    id: int
    event_id: int
    rsvp_id: int
    member_id: int
    role: TravelerRole
    full_name: str
    dietary_notes: str
    document: DocumentOut | None
    room: str | None


class RoomIn(Strict, kw_only=True):
    label: RoomLabel
    kind: RoomKind


class OccupantIn(Strict, kw_only=True):
    traveler_id: Id


class OccupantOut(Struct, kw_only=True):
    traveler_id: int
    full_name: str


class RoomOut(Struct, kw_only=True):
    id: int
    event_id: int
    label: str
    kind: RoomKind
    beds: int
    occupants: list[OccupantOut]


class PassportProblemOut(Struct, kw_only=True):
    traveler_id: int | None
    rsvp_id: int
    member_id: int
    name: str
    role: TravelerRole
    reason: PassportReason
    detail: str
    expiry_date: date | None


class PassportCheckOut(Struct, kw_only=True):
    event_id: int
    returns_on: date
    required_until: date
    travelers_checked: int
    problems: list[PassportProblemOut]
