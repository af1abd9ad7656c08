"""Rows of travel as its services read them: frozen, typed, with Enum kinds, roles and statuses.

Each is filled at its query (`club.rows.row_as` / `rows_as`) with only the columns the code
reads, so a misspelled column is a type error rather than a KeyError three calls later.
"""

from __future__ import annotations

from datetime import date, datetime

from piccolo.columns import Column
from piccolo.table import Table

from club.rows import Row
from events.tables import Event, EventKind, EventStatus, RsvpStatus
from travel.tables import ItineraryItem, RoomKind, Traveler, TravelerRole

__all__ = [
    "ITEM_COLUMNS",
    "TRAVELER_COLUMNS",
    "TRIP_COLUMNS",
    "BedRow",
    "DocumentRow",
    "ExpiryRow",
    "ItemRow",
    "OccupantRow",
    "PartyRow",
    "RoomCandidateRow",
    "RoomRow",
    "RsvpGuestsRow",
    "TravelerOwnerRow",
    "TravelerRow",
    "TripRow",
]


def _columns(table: type[Table], kind: type[Row]) -> tuple[Column, ...]:
    """The columns of `table` a row type reads, by its field names: one list, not a second kept alike."""
    return tuple(getattr(table, name) for name in kind.__struct_fields__)


class TripRow(Row, frozen=True):
    """What travel reads of a trip's event row."""

    id: int
    kind: EventKind
    title: str
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    venue_time_zone: str


TRIP_COLUMNS = _columns(Event, TripRow)


class ItemRow(Row, frozen=True):
    """One itinerary item (every column but its timestamps)."""

    id: int
    event: int
    position: int
    title: str
    place: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    meeting_point: str
    is_checkpoint: bool
    version: int

    @property
    def venue(self) -> str:
        """Where to be: the meeting point when there is one, then the place."""
        return f"{self.meeting_point}, {self.place}" if self.meeting_point else self.place


ITEM_COLUMNS = _columns(ItineraryItem, ItemRow)


class TravelerOwnerRow(Row, frozen=True):
    """Whose traveler record it is: what the access rule and the RSVP lock need."""

    id: int
    event: int
    rsvp: int
    member: int


class TravelerRow(TravelerOwnerRow, frozen=True):
    role: TravelerRole
    full_name: str
    dietary_notes: str


TRAVELER_COLUMNS = _columns(Traveler, TravelerRow)


class DocumentRow(Row, frozen=True):
    traveler: int
    passport_number_sealed: str
    nationality: str
    expiry_date: date


class ExpiryRow(Row, frozen=True):
    """A document's expiry, all the passport rule reads of it."""

    traveler: int
    expiry_date: date


class PartyRow(Row, frozen=True):
    """A confirmed RSVP as the passport rule counts it: its member and how many guests come."""

    id: int
    member: int
    guests: int
    name: str


class RsvpGuestsRow(Row, frozen=True):
    status: RsvpStatus
    guests: int


class RoomRow(Row, frozen=True):
    id: int
    event: int
    label: str
    kind: RoomKind


class OccupantRow(Row, frozen=True):
    room: int
    traveler: int
    full_name: str


class BedRow(Row, frozen=True):
    """A traveler's bed: which room, by id and label."""

    room: int
    traveler: int
    label: str


class RoomCandidateRow(Row, frozen=True):
    """A traveler about to be put in a room, with their RSVP's status."""

    id: int
    event: int
    full_name: str
    rsvp_status: RsvpStatus
