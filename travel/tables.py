"""Tables of travel: a trip's itinerary, its travelers and their documents, its rooms."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)

from club.table import Table
from club.tables import Member
from events.tables import Event, Rsvp

__all__ = [
    "ItineraryItem",
    "Room",
    "RoomKind",
    "RoomOccupant",
    "TravelDocument",
    "Traveler",
    "TravelerRole",
]


class TravelerRole(str, Enum):
    member = "member"
    companion = "companion"


class RoomKind(str, Enum):
    single = "single"
    twin = "twin"


class ItineraryItem(Table, tablename="trip_item"):
    """One dated leg or item of a trip, on its own place's clock.

    `version` goes up each time the item moves (times, place, zone, meeting point): it is the
    SEQUENCE of the item's calendar entry and re-times the item's per-leg reminders.
    """

    event = ForeignKey(Event, index=True)
    position = Integer()
    title = Varchar(length=200)
    place = Varchar(length=200)
    time_zone = Varchar(length=64)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    meeting_point = Text(default="")
    # A meeting point where the door staff scan tickets (the group leaves at `starts_at`).
    is_checkpoint = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Traveler(Table, tablename="trip_traveler"):
    """Someone travelling on an RSVP: the member, or a named companion (one of its guests).

    `traveler_key` ("<rsvp>:member") keeps one member traveler per RSVP; companions have none
    and are bounded by the RSVP's guests under the RSVP's row lock.
    """

    event = ForeignKey(Event, index=True)
    rsvp = ForeignKey(Rsvp, index=True)
    member = ForeignKey(Member, index=True)
    role = Varchar(length=12)
    traveler_key = Varchar(length=40, null=True, default=None, unique=True)
    full_name = Varchar(length=200)
    dietary_notes = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class TravelDocument(Table, tablename="trip_travel_document"):
    """A traveler's passport: one per traveler. The number is shown masked except in the manifest.

    The number is stored sealed (club.sealing, purpose PASSPORT_NUMBER), never in plain text;
    nothing looks a passport up by its number, so no searchable digest is kept.
    """

    traveler = ForeignKey(Traveler, unique=True)
    passport_number_sealed = Text(default="")
    nationality = Varchar(length=3)
    expiry_date = Date()
    updated_at = Timestamptz()


class Room(Table, tablename="trip_room"):
    """A room of a trip; `room_key` ("<trip>:<label>") keeps labels unique within the trip."""

    event = ForeignKey(Event, index=True)
    label = Varchar(length=60)
    kind = Varchar(length=8)
    room_key = Varchar(length=100, unique=True)
    created_at = Timestamptz()


class RoomOccupant(Table, tablename="trip_room_occupant"):
    """A traveler in a room; `occupant_key` ("<trip>:<traveler>") puts nobody in two rooms."""

    room = ForeignKey(Room, index=True)
    traveler = ForeignKey(Traveler, index=True)
    occupant_key = Varchar(length=40, unique=True)
    created_at = Timestamptz()
