"""A trip's itinerary: dated items on their own clocks, kept in order; moving one re-times its
reminders and raises its calendar SEQUENCE."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import InvalidInput, NotFound, Said, SaidList, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.schemas import to_dict
from events.catalog import load_event
from events.errors import EventCancelled
from events.reminders.scheduling import follow_event
from events.tables import Event, EventKind, EventStatus
from travel.errors import NotATrip
from travel.rows import ITEM_COLUMNS, ItemRow, TripRow
from travel.schemas import ItemIn, ItemOut, ItemUpdate
from travel.tables import ItineraryItem

__all__ = [
    "add_item",
    "delete_item",
    "item_out",
    "list_items",
    "load_trip",
    "trip_items",
    "update_item",
]

# Changing any of these moves the item: its calendar entry and per-leg reminders follow.
_MOVING_FIELDS = ("starts_at", "ends_at", "place", "time_zone", "meeting_point")


def _now() -> datetime:
    return clock.now()


async def load_trip(event_id: int, viewer: Principal | None = None) -> TripRow:
    """The trip's event row (404 as `load_event`; 409 for an event that is not a trip)."""
    event = await load_event(event_id, viewer)
    trip = TripRow(
        id=event.id, kind=event.kind, title=event.title, status=event.status, starts_at=event.starts_at,
        ends_at=event.ends_at, venue_time_zone=event.venue_time_zone,
    )
    if trip.kind != EventKind.trip:
        raise NotATrip("Event {event_id} is a {kind}, not a trip.", text_values={"event_id": event_id, "kind": trip.kind.value})
    return trip


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def item_out(row: ItemRow) -> ItemOut:
    return ItemOut(
        id=row.id, event_id=row.event, position=row.position, title=row.title, place=row.place,
        time_zone=row.time_zone, starts_at=row.starts_at, ends_at=row.ends_at,
        starts_local=_local(row.starts_at, row.time_zone), ends_local=_local(row.ends_at, row.time_zone),
        meeting_point=row.meeting_point, is_checkpoint=row.is_checkpoint, version=row.version,
    )


async def trip_items(event_id: int) -> list[ItemRow]:
    """Every item of one trip, in time order."""
    return rows_as(ItemRow, await ItineraryItem.select(*ITEM_COLUMNS).where(ItineraryItem.event == event_id).order_by(
        ItineraryItem.starts_at
    ).order_by(ItineraryItem.id))


async def list_items(event_id: int, viewer: Principal) -> list[ItemOut]:
    await load_trip(event_id, viewer)
    return [item_out(r) for r in await trip_items(event_id)]


def _check(time_zone: str, starts_at: datetime, ends_at: datetime, trip: TripRow) -> None:
    texts: list[Said] = []
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        texts.append(Said(N_("{time_zone} is not an IANA time zone"), {"time_zone": repr(time_zone)}))
    if ends_at <= starts_at:
        texts.append(Said(N_("an item must end after it starts")))
    if not trip.starts_at <= starts_at <= trip.ends_at:
        texts.append(Said(N_("an item must start between the trip's departure and its return")))
    if texts:
        # `problems` stays the English texts clients read; the detail is in the reader's language.
        raise InvalidInput("{item_problems}.", problems=[said_text(Language.en, t) for t in texts],
                           text_values={"item_problems": SaidList(texts, sentence=True)})


async def _renumber(event_id: int) -> None:
    """Positions follow the clock: the itinerary reads in the order it happens."""
    for position, row in enumerate(await trip_items(event_id), start=1):
        if row.position != position:
            await ItineraryItem.update({ItineraryItem.position: position}).where(ItineraryItem.id == row.id)


async def _editable_trip(event_id: int) -> TripRow:
    await lock_objects((Event, event_id))  # item changes re-plan reminders, as RSVPs on this trip do
    trip = await load_trip(event_id)
    if trip.status == EventStatus.cancelled:
        raise EventCancelled("A cancelled trip cannot be edited.")
    return trip


async def _follow(trip: TripRow) -> None:
    if trip.status == EventStatus.published:
        await follow_event(trip.id)  # per-leg reminders move with their item


async def add_item(event_id: int, item: ItemIn) -> ItemOut:
    async with write_transaction():
        trip = await _editable_trip(event_id)
        _check(item.time_zone, item.starts_at, item.ends_at, trip)
        now = _now()
        rows = await ItineraryItem.insert(
            ItineraryItem(
                event=event_id, position=0, version=1, created_at=now, updated_at=now,
                title=item.title, place=item.place, time_zone=item.time_zone, starts_at=item.starts_at,
                ends_at=item.ends_at, meeting_point=item.meeting_point, is_checkpoint=item.is_checkpoint,
            )
        ).returning(ItineraryItem.id)
        await _renumber(event_id)
        await _follow(trip)
        return item_out(await _item(rows[0]["id"]))


async def _item(item_id: int) -> ItemRow:
    row = await ItineraryItem.select(*ITEM_COLUMNS).where(ItineraryItem.id == item_id).first()
    if row is None:
        raise NotFound("Itinerary item {item_id} does not exist.", text_values={"item_id": item_id})
    return row_as(ItemRow, row)


async def update_item(item_id: int, update: ItemUpdate) -> ItemOut:
    """Edit an item (the fields the PATCH set); a move raises its version (its calendar
    SEQUENCE) and re-times its steps."""
    event_id = (await _item(item_id)).event
    changes = to_dict(update)
    async with write_transaction():
        trip = await _editable_trip(event_id)
        row = await _item(item_id)
        after = msgspec.structs.replace(row, **changes)  # ItemUpdate's fields are ItemRow's
        _check(after.time_zone, after.starts_at, after.ends_at, trip)
        values: dict[Any, Any] = {getattr(ItineraryItem, k): v for k, v in changes.items()}
        if any(getattr(after, k) != getattr(row, k) for k in _MOVING_FIELDS):
            values[ItineraryItem.version] = row.version + 1
        values[ItineraryItem.updated_at] = _now()
        await ItineraryItem.update(values).where(ItineraryItem.id == item_id)
        await _renumber(event_id)
        await _follow(trip)
        return item_out(await _item(item_id))


async def delete_item(item_id: int) -> None:
    event_id = (await _item(item_id)).event
    async with write_transaction():
        trip = await _editable_trip(event_id)
        await ItineraryItem.delete().where(ItineraryItem.id == item_id)
        await _renumber(event_id)
        await _follow(trip)  # its unsent per-leg reminders are cancelled
