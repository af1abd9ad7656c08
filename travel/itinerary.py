"""A trip's itinerary: dated items on their own clocks, kept in order; moving one re-times its
reminders and raises its calendar SEQUENCE."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import InvalidInput, NotFound
from club.locking import lock_objects
from events.catalog import load_event
from events.errors import EventCancelled
from events.reminders.scheduling import follow_event
from events.tables import Event, EventKind, EventStatus
from travel.errors import NotATrip
from travel.schemas import ItemOut
from travel.tables import ItineraryItem

__all__ = [
    "add_item",
    "checkpoint",
    "delete_item",
    "item_anchors",
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


async def load_trip(event_id: int, viewer: Principal | None = None) -> dict[str, Any]:
    """The trip's event row (404 as `load_event`; 409 for an event that is not a trip)."""
    event = await load_event(event_id, viewer)
    if event["kind"] != EventKind.trip.value:
        raise NotATrip(f"Event {event_id} is a {event['kind']}, not a trip.")
    return event


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def item_out(row: dict[str, Any]) -> ItemOut:
    return ItemOut(
        id=row["id"], event_id=row["event"], position=row["position"], title=row["title"], place=row["place"],
        time_zone=row["time_zone"], starts_at=row["starts_at"], ends_at=row["ends_at"],
        starts_local=_local(row["starts_at"], row["time_zone"]), ends_local=_local(row["ends_at"], row["time_zone"]),
        meeting_point=row["meeting_point"], is_checkpoint=row["is_checkpoint"], version=row["version"],
    )


async def trip_items(event_id: int) -> list[dict[str, Any]]:
    return await ItineraryItem.select().where(ItineraryItem.event == event_id).order_by(
        ItineraryItem.starts_at
    ).order_by(ItineraryItem.id)


async def list_items(event_id: int, viewer: Principal) -> list[ItemOut]:
    await load_trip(event_id, viewer)
    return [item_out(r) for r in await trip_items(event_id)]


def _check(values: dict[str, Any], trip: dict[str, Any]) -> None:
    problems = []
    try:
        ZoneInfo(values["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{values['time_zone']!r} is not an IANA time zone")
    if values["ends_at"] <= values["starts_at"]:
        problems.append("an item must end after it starts")
    if not trip["starts_at"] <= values["starts_at"] <= trip["ends_at"]:
        problems.append("an item must start between the trip's departure and its return")
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".", problems=problems)


async def _renumber(event_id: int) -> None:
    """Positions follow the clock: the itinerary reads in the order it happens."""
    for position, row in enumerate(await trip_items(event_id), start=1):
        if row["position"] != position:
            await ItineraryItem.update({ItineraryItem.position: position}).where(ItineraryItem.id == row["id"])


async def _editable_trip(event_id: int) -> dict[str, Any]:
    await lock_objects((Event, event_id))  # item changes re-plan reminders, as RSVPs on this trip do
    trip = await load_trip(event_id)
    if trip["status"] == EventStatus.cancelled.value:
        raise EventCancelled("A cancelled trip cannot be edited.")
    return trip


async def _follow(trip: dict[str, Any]) -> None:
    if trip["status"] == EventStatus.published.value:
        await follow_event(trip["id"])  # per-leg reminders move with their item


async def add_item(event_id: int, fields: dict[str, Any]) -> ItemOut:
    async with write_transaction():
        trip = await _editable_trip(event_id)
        _check(fields, trip)
        now = _now()
        rows = await ItineraryItem.insert(
            ItineraryItem(event=event_id, position=0, version=1, created_at=now, updated_at=now, **fields)
        ).returning(ItineraryItem.id)
        await _renumber(event_id)
        await _follow(trip)
        return item_out(await _item(rows[0]["id"]))


async def _item(item_id: int) -> dict[str, Any]:
    row = await ItineraryItem.select().where(ItineraryItem.id == item_id).first()
    if row is None:
        raise NotFound(f"Itinerary item {item_id} does not exist.")
    return row


async def update_item(item_id: int, changes: dict[str, Any]) -> ItemOut:
    """Edit an item; a move raises its version (its calendar SEQUENCE) and re-times its steps."""
    event_id = (await _item(item_id))["event"]
    async with write_transaction():
        trip = await _editable_trip(event_id)
        row = await _item(item_id)
        _check({**row, **changes}, trip)
        values: dict[Any, Any] = {getattr(ItineraryItem, k): v for k, v in changes.items()}
        if any(k in changes and changes[k] != row[k] for k in _MOVING_FIELDS):
            values[ItineraryItem.version] = row["version"] + 1
        values[ItineraryItem.updated_at] = _now()
        await ItineraryItem.update(values).where(ItineraryItem.id == item_id)
        await _renumber(event_id)
        await _follow(trip)
        return item_out(await _item(item_id))


async def delete_item(item_id: int) -> None:
    event_id = (await _item(item_id))["event"]
    async with write_transaction():
        trip = await _editable_trip(event_id)
        await ItineraryItem.delete().where(ItineraryItem.id == item_id)
        await _renumber(event_id)
        await _follow(trip)  # its unsent per-leg reminders are cancelled


async def item_anchors(event_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """What per-leg reminder steps need of each item (see events.reminders.scheduling)."""
    rows = await ItineraryItem.select(
        ItineraryItem.id, ItineraryItem.event, ItineraryItem.title, ItineraryItem.place,
        ItineraryItem.meeting_point, ItineraryItem.time_zone, ItineraryItem.starts_at,
    ).where(ItineraryItem.event.is_in(list(event_ids))).order_by(ItineraryItem.starts_at).order_by(ItineraryItem.id)
    by_event: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        # {venue} of a per-leg message: where to be, the meeting point when there is one.
        venue = f"{r['meeting_point']}, {r['place']}" if r["meeting_point"] else r["place"]
        by_event[r["event"]].append({**r, "venue": venue})
    return dict(by_event)


async def checkpoint(event_id: int, item_id: int) -> dict[str, Any] | None:
    """The item if it is a meeting point of this trip where tickets are scanned, else None."""
    row = await ItineraryItem.select(
        ItineraryItem.id, ItineraryItem.title, ItineraryItem.starts_at, ItineraryItem.is_checkpoint
    ).where((ItineraryItem.id == item_id) & (ItineraryItem.event == event_id)).first()
    return row if row is not None and row["is_checkpoint"] else None
