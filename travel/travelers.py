"""Travelers of a trip and their travel documents: members manage their own RSVP's, coordinators
any. Passport numbers are stored sealed and masked in every answer; only the coordinators'
manifest (travel.manifest) reads them whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from club import clock
from club.access import owned_or_404, require_coordinator_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.schemas import to_dict
from club.sealing import PASSPORT_NUMBER, reseal_column, sealer
from club.tables import Member
from events.rsvp import visible_rsvp
from events.tables import Rsvp, RsvpStatus
from travel.errors import TooManyCompanions
from travel.itinerary import load_trip
from travel.rows import TRAVELER_COLUMNS, BedRow, DocumentRow, RsvpGuestsRow, TravelerOwnerRow, TravelerRow
from travel.rules import mask_passport
from travel.schemas import DocumentIn, DocumentOut, TravelerIn, TravelerOut, TravelerUpdate
from travel.tables import RoomOccupant, TravelDocument, Traveler, TravelerRole

__all__ = [
    "add_traveler",
    "delete_traveler",
    "get_document",
    "put_document",
    "reseal_passports",
    "rsvp_travelers",
    "traveler_outs",
    "trip_travelers",
    "update_traveler",
    "visible_traveler",
]

_LIVE = (RsvpStatus.confirmed, RsvpStatus.waitlisted)
_DOCUMENT_COLUMNS = (
    TravelDocument.traveler, TravelDocument.passport_number_sealed, TravelDocument.nationality,
    TravelDocument.expiry_date,
)


def _now() -> datetime:
    return clock.now()


def document_out(row: DocumentRow, full: bool) -> DocumentOut:
    number = sealer(PASSPORT_NUMBER).open(row.passport_number_sealed)
    return DocumentOut(
        passport_number=number if full else mask_passport(number), masked=not full,
        nationality=row.nationality, expiry_date=row.expiry_date,
    )


async def traveler_outs(where: Any, full: bool) -> list[TravelerOut]:
    """Travelers matching `where`, in RSVP order (member first), with document and room."""
    rows = rows_as(
        TravelerRow, await Traveler.select(*TRAVELER_COLUMNS).where(where).order_by(Traveler.rsvp).order_by(Traveler.id)
    )
    ids = [r.id for r in rows] or [0]
    documents = {
        d.traveler: d
        for d in rows_as(DocumentRow, await TravelDocument.select(*_DOCUMENT_COLUMNS).where(TravelDocument.traveler.is_in(ids)))
    }
    rooms = {
        b.traveler: b.label
        for b in rows_as(BedRow, await RoomOccupant.select(
            RoomOccupant.room, RoomOccupant.traveler, RoomOccupant.room.label.as_alias("label")
        ).where(RoomOccupant.traveler.is_in(ids)))
    }
    rows.sort(key=lambda r: (r.rsvp, r.role != TravelerRole.member, r.id))
    return [
        TravelerOut(
            id=r.id, event_id=r.event, rsvp_id=r.rsvp, member_id=r.member, role=r.role,
            full_name=r.full_name, dietary_notes=r.dietary_notes,
            document=document_out(documents[r.id], full) if r.id in documents else None,
            room=rooms.get(r.id),
        )
        for r in rows
    ]


async def _trip_rsvp(rsvp_id: int, viewer: Principal) -> tuple[int, int]:
    """(event, member) of the RSVP if the viewer may see it (its member, or a coordinator)
    and it is for a trip."""
    owner = await visible_rsvp(rsvp_id, viewer)
    await load_trip(owner.event)
    return owner.event, owner.member


async def rsvp_travelers(rsvp_id: int, viewer: Principal) -> list[TravelerOut]:
    await _trip_rsvp(rsvp_id, viewer)
    return await traveler_outs(Traveler.rsvp == rsvp_id, full=False)


async def trip_travelers(event_id: int, viewer: Principal, *, full: bool = False) -> list[TravelerOut]:
    """Every traveler of the trip's live RSVPs, for coordinators (anyone else: 404); `full`
    numbers only for the manifest, which exists to book flights and hotels."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    await load_trip(event_id)
    live = Rsvp.select(Rsvp.id).where((Rsvp.event == event_id) & Rsvp.status.is_in([s.value for s in _LIVE]))
    return await traveler_outs((Traveler.event == event_id) & Traveler.rsvp.is_in(live), full=full)


async def add_traveler(rsvp_id: int, traveler: TravelerIn, viewer: Principal) -> TravelerOut:
    """Name the member (once) or a companion (no more than the RSVP's guests) as a traveler."""
    event_id, member_id = await _trip_rsvp(rsvp_id, viewer)
    async with write_transaction():
        # The RSVP row serializes additions, so two at once cannot both take the last guest place.
        await lock_objects((Rsvp, rsvp_id))
        found = await Rsvp.select(Rsvp.status, Rsvp.guests).where(Rsvp.id == rsvp_id).first()
        assert found is not None
        rsvp = row_as(RsvpGuestsRow, found)
        if rsvp.status not in _LIVE:
            raise Conflict("This RSVP is cancelled; it has no travelers.")
        role = traveler.role
        name = traveler.full_name
        key = None
        if role == TravelerRole.member:
            key = f"{rsvp_id}:member"
            if await Traveler.exists().where(Traveler.traveler_key == key):
                raise Conflict("The member is already a traveler on this RSVP.")
            if name is None:
                member = await Member.select(Member.name).where(Member.id == member_id).first()
                name = member["name"] if member else ""
        else:
            if name is None:
                raise InvalidInput("A companion needs a full name, as in their passport.")
            named = await Traveler.count().where(
                (Traveler.rsvp == rsvp_id) & (Traveler.role == TravelerRole.companion.value)
            )
            if named >= rsvp.guests:
                allowed = "no companions" if rsvp.guests == 0 else f"{rsvp.guests} companion(s)"
                raise TooManyCompanions(
                    "This RSVP brings {allowed}; all are named already.", guests=rsvp.guests, text_values={"allowed": allowed}
                )
        now = _now()
        rows = await Traveler.insert(
            Traveler(
                event=event_id, rsvp=rsvp_id, member=member_id, role=role.value, traveler_key=key,
                full_name=name, dietary_notes=traveler.dietary_notes, created_at=now, updated_at=now,
            )
        ).returning(Traveler.id)
    return (await traveler_outs(Traveler.id == rows[0]["id"], full=False))[0]


async def visible_traveler(traveler_id: int, viewer: Principal) -> TravelerOwnerRow:
    """The traveler if the viewer may see it: their member, or a coordinator; else 404."""
    row = await Traveler.select(Traveler.id, Traveler.event, Traveler.rsvp, Traveler.member).where(
        Traveler.id == traveler_id
    ).first()
    missing = "Traveler {traveler_id} does not exist."
    if row is None:
        raise NotFound(missing, text_values={"traveler_id": traveler_id})
    owner = row_as(TravelerOwnerRow, row)
    owned_or_404(owner.member, viewer, missing, traveler_id=traveler_id)
    return owner


async def update_traveler(traveler_id: int, update: TravelerUpdate, viewer: Principal) -> TravelerOut:
    """Apply the fields the PATCH set (name, dietary notes)."""
    await visible_traveler(traveler_id, viewer)
    async with write_transaction():
        values: dict[Any, Any] = {getattr(Traveler, k): v for k, v in to_dict(update).items()}
        await Traveler.update({**values, Traveler.updated_at: _now()}).where(Traveler.id == traveler_id)
    return (await traveler_outs(Traveler.id == traveler_id, full=False))[0]


async def delete_traveler(traveler_id: int, viewer: Principal) -> None:
    """Remove a traveler, with their document and their bed."""
    row = await visible_traveler(traveler_id, viewer)
    async with write_transaction():
        await lock_objects((Rsvp, row.rsvp))
        await RoomOccupant.delete().where(RoomOccupant.traveler == traveler_id)
        await TravelDocument.delete().where(TravelDocument.traveler == traveler_id)
        await Traveler.delete().where(Traveler.id == traveler_id)


async def put_document(traveler_id: int, document: DocumentIn, viewer: Principal) -> DocumentOut:
    """Record or replace the traveler's passport (one per traveler)."""
    await visible_traveler(traveler_id, viewer)
    sealed = sealer(PASSPORT_NUMBER).seal(document.passport_number.upper())
    async with write_transaction():
        await lock_objects((Traveler, traveler_id))
        now = _now()
        existing = await TravelDocument.select(TravelDocument.id).where(TravelDocument.traveler == traveler_id).first()
        if existing is None:
            await TravelDocument.insert(
                TravelDocument(
                    traveler=traveler_id, passport_number_sealed=sealed, nationality=document.nationality,
                    expiry_date=document.expiry_date, updated_at=now,
                )
            )
        else:
            await TravelDocument.update(
                {
                    TravelDocument.passport_number_sealed: sealed, TravelDocument.nationality: document.nationality,
                    TravelDocument.expiry_date: document.expiry_date, TravelDocument.updated_at: now,
                }
            ).where(TravelDocument.id == existing["id"])
    return await get_document(traveler_id, viewer)


async def get_document(traveler_id: int, viewer: Principal) -> DocumentOut:
    await visible_traveler(traveler_id, viewer)
    row = await TravelDocument.select(*_DOCUMENT_COLUMNS).where(TravelDocument.traveler == traveler_id).first()
    if row is None:
        raise NotFound("This traveler has no travel document on file.")
    return document_out(row_as(DocumentRow, row), full=False)


async def reseal_passports() -> int:
    """Passport numbers still sealed under a previous secret, sealed again under the current
    one (`club reseal`); returns how many."""
    return await reseal_column(TravelDocument, TravelDocument.passport_number_sealed, PASSPORT_NUMBER)
