"""Domain errors of travel, each with its own problem type a client can switch on."""

from __future__ import annotations

from club.errors import DomainError

__all__ = ["AlreadyInRoom", "NotATrip", "RoomFull", "TooManyCompanions"]


class NotATrip(DomainError):
    status_code = 409
    slug = "not-a-trip"
    title = "Not a trip"


class TooManyCompanions(DomainError):
    """More companions named than the RSVP's guests."""

    status_code = 409
    slug = "too-many-companions"
    title = "Too many companions"


class RoomFull(DomainError):
    status_code = 409
    slug = "room-full"
    title = "Room full"


class AlreadyInRoom(DomainError):
    """The body names the room the traveler is already in (`room_id`, `room_label`)."""

    status_code = 409
    slug = "already-in-room"
    title = "Already in a room"
