"""Travel's answers to events.legs: a trip's items as the door and the per-leg reminders read them."""

from __future__ import annotations

from collections import defaultdict

from club.rows import row_as, rows_as
from events.legs import Checkpoint, ItemAnchor, LegItem
from travel.rows import ITEM_COLUMNS, ItemRow
from travel.tables import ItineraryItem

__all__ = ["checkpoint", "item_anchors", "leg_items"]

_I = ItineraryItem


async def leg_items(event_id: int) -> list[LegItem]:
    """Every item of one trip, in time order."""
    return rows_as(LegItem, await _I.select(
        _I.id, _I.title, _I.place, _I.meeting_point, _I.time_zone, _I.starts_at, _I.is_checkpoint
    ).where(_I.event == event_id).order_by(_I.starts_at).order_by(_I.id))


async def item_anchors(event_ids: list[int]) -> dict[int, list[ItemAnchor]]:
    """Each event's items in time order, with where to be (see events.reminders.scheduling)."""
    rows = rows_as(ItemRow, await _I.select(*ITEM_COLUMNS).where(
        _I.event.is_in(list(event_ids))
    ).order_by(_I.starts_at).order_by(_I.id))
    by_event: dict[int, list[ItemAnchor]] = defaultdict(list)
    for r in rows:
        by_event[r.event].append(ItemAnchor(id=r.id, starts_at=r.starts_at, time_zone=r.time_zone, venue=r.venue))
    return dict(by_event)


async def checkpoint(event_id: int, item_id: int) -> Checkpoint | None:
    """The item if it is a meeting point of this trip where tickets are scanned, else None."""
    row = await _I.select(_I.id, _I.starts_at).where(
        (_I.id == item_id) & (_I.event == event_id) & _I.is_checkpoint.eq(True)
    ).first()
    return None if row is None else row_as(Checkpoint, row)
