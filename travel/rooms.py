"""Rooms of a trip: coordinators create them and put travelers in, decided under the room's
lock so two coordinators cannot overfill it, and a unique key so nobody sleeps in two rooms.

Who sleeps where is the coordinators' business: every service here answers anyone else 404, as
for a room or trip that does not exist."""

from __future__ import annotations

from datetime import datetime

from club import clock
from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.locking import lock_objects
from club.rows import row_as, rows_as
from events.tables import RsvpStatus
from travel.errors import AlreadyInRoom, RoomFull
from travel.itinerary import load_trip
from travel.rows import BedRow, OccupantRow, RoomCandidateRow, RoomRow
from travel.rules import ROOM_SIZES, room_refusal_text
from travel.schemas import OccupantOut, RoomOut
from travel.tables import Room, RoomKind, RoomOccupant, Traveler

__all__ = ["assign_room", "create_room", "list_rooms", "room_out", "unassign_room"]


def _now() -> datetime:
    return clock.now()


# A traveler whose RSVP was cancelled no longer takes a bed (their row stays, as history).
_SLEEPING = RoomOccupant.traveler.rsvp.status != RsvpStatus.cancelled.value  # type: ignore[union-attr]  # Piccolo types a two-step join loosely


_ROOM_COLUMNS = (Room.id, Room.event, Room.label, Room.kind)


async def _outs(rooms: list[RoomRow]) -> list[RoomOut]:
    ids = [r.id for r in rooms] or [0]
    occupants = rows_as(OccupantRow, await RoomOccupant.select(
        RoomOccupant.room, RoomOccupant.traveler, RoomOccupant.traveler.full_name.as_alias("full_name")
    ).where(RoomOccupant.room.is_in(ids) & _SLEEPING).order_by(RoomOccupant.id))
    return [
        RoomOut(
            id=r.id, event_id=r.event, label=r.label, kind=r.kind, beds=ROOM_SIZES[r.kind],
            occupants=[OccupantOut(traveler_id=o.traveler, full_name=o.full_name) for o in occupants if o.room == r.id],
        )
        for r in rooms
    ]


async def room_out(room_id: int, viewer: Principal) -> RoomOut:
    require_coordinator_or_404(viewer, "Room {room_id} does not exist.", room_id=room_id)
    return (await _outs([await _room(room_id)]))[0]


async def _room(room_id: int) -> RoomRow:
    row = await Room.select(*_ROOM_COLUMNS).where(Room.id == room_id).first()
    if row is None:
        raise NotFound("Room {room_id} does not exist.", text_values={"room_id": room_id})
    return row_as(RoomRow, row)


async def list_rooms(event_id: int, viewer: Principal) -> list[RoomOut]:
    """The rooming list: every room of the trip and who sleeps in it (coordinators only)."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    await load_trip(event_id)
    return await _outs(rows_as(RoomRow, await Room.select(*_ROOM_COLUMNS).where(Room.event == event_id).order_by(
        Room.label
    ).order_by(Room.id)))


async def create_room(event_id: int, label: str, kind: RoomKind, viewer: Principal) -> RoomOut:
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    await load_trip(event_id)
    key = f"{event_id}:{label.strip().casefold()}"
    async with write_transaction():
        if await Room.exists().where(Room.room_key == key):
            raise Conflict("This trip already has a room labelled {label!r}.", text_values={"label": label})
        rows = await Room.insert(
            Room(event=event_id, label=label.strip(), kind=RoomKind(kind).value, room_key=key, created_at=_now())
        ).returning(Room.id)
    return await room_out(rows[0]["id"], viewer)


async def assign_room(room_id: int, traveler_id: int, viewer: Principal) -> RoomOut:
    """Put a traveler of the room's trip into it: 409 when the room is full or the traveler
    already has a room (naming it), whoever asked first wins."""
    require_coordinator_or_404(viewer, "Room {room_id} does not exist.", room_id=room_id)
    room = await _room(room_id)
    async with write_transaction():
        # The room row serializes its beds; the occupant key (unique per trip and traveler)
        # keeps two rooms assigned at once from both taking the same traveler.
        await lock_objects((Room, room_id))
        found = await Traveler.select(
            Traveler.id, Traveler.event, Traveler.full_name, Traveler.rsvp.status.as_alias("rsvp_status")
        ).where(Traveler.id == traveler_id).first()
        traveler = None if found is None else row_as(RoomCandidateRow, found)
        if traveler is None or traveler.event != room.event:
            raise InvalidInput("Traveler {traveler_id} is not on this trip.", text_values={"traveler_id": traveler_id})
        if traveler.rsvp_status == RsvpStatus.cancelled:
            raise Conflict("{name}'s RSVP is cancelled.", text_values={"name": traveler.full_name})
        key = f"{room.event}:{traveler_id}"
        bed = await RoomOccupant.select(
            RoomOccupant.room, RoomOccupant.traveler, RoomOccupant.room.label.as_alias("label")
        ).where(RoomOccupant.occupant_key == key).first()
        if bed is not None:
            current = row_as(BedRow, bed)
            if current.room == room_id:
                return await room_out(room_id, viewer)  # already there: asking twice changes nothing
            raise AlreadyInRoom(
                "{name} is already in room {room_label}.", text_values={"name": traveler.full_name},
                room_id=current.room, room_label=current.label,
            )
        occupants = await RoomOccupant.count().where((RoomOccupant.room == room_id) & _SLEEPING)
        refusal = room_refusal_text(room.kind, occupants)
        if refusal:
            raise RoomFull("Room {room_label}: {refusal}.", room_id=room_id, room_label=room.label,
                           text_values={"refusal": refusal})
        inserted = await RoomOccupant.insert(
            RoomOccupant(room=room_id, traveler=traveler_id, occupant_key=key, created_at=_now())
        ).on_conflict(target=RoomOccupant.occupant_key, action="DO NOTHING").returning(RoomOccupant.id)
        if not inserted:  # another room took the traveler while we decided
            other = await RoomOccupant.select(RoomOccupant.room.label.as_alias("label")).where(
                RoomOccupant.occupant_key == key
            ).first()
            label = other["label"] if other else "another room"
            raise AlreadyInRoom("{name} is already in room {room_label}.", room_label=label, text_values={"name": traveler.full_name})
    return await room_out(room_id, viewer)


async def unassign_room(room_id: int, traveler_id: int, viewer: Principal) -> RoomOut:
    require_coordinator_or_404(viewer, "Room {room_id} does not exist.", room_id=room_id)
    await _room(room_id)
    async with write_transaction():
        await lock_objects((Room, room_id))
        await RoomOccupant.delete().where((RoomOccupant.room == room_id) & (RoomOccupant.traveler == traveler_id))
    return await room_out(room_id, viewer)
