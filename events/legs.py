"""The legs of an event (a trip's itinerary items), as a hook: travel, above, provides them.

Reminders (per-leg steps) and the door (meeting points, scans at a checkpoint) need a trip's
items, but trips live in `travel`, which builds on these layers. So the question is declared
here and the wiring (club.server.wiring) sets travel's answers when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LegSource", "checkpoint", "item_anchors", "provide_legs", "trip_items"]

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class LegSource:
    """What a domain with itineraries answers (travel.wiring.LEGS)."""

    # Each event's items (id, event, title, place, meeting_point, time_zone, starts_at, venue).
    item_anchors: Callable[[list[int]], Awaitable[dict[int, list[Row]]]]
    # The item if it is a meeting point of this trip where tickets are scanned, else None.
    checkpoint: Callable[[int, int], Awaitable[Row | None]]
    # Every item of one trip, in time order.
    trip_items: Callable[[int], Awaitable[list[Row]]]


_source: LegSource | None = None


def provide_legs(source: LegSource) -> None:
    global _source
    _source = source


def _legs() -> LegSource:
    if _source is None:
        raise RuntimeError("no itinerary provider: the wiring (club.server.wiring.install) has not run")
    return _source


async def item_anchors(event_ids: list[int]) -> dict[int, list[Row]]:
    return await _legs().item_anchors(event_ids)


async def checkpoint(event_id: int, item_id: int) -> Row | None:
    return await _legs().checkpoint(event_id, item_id)


async def trip_items(event_id: int) -> list[Row]:
    return await _legs().trip_items(event_id)
