"""The legs of an event (a trip's itinerary items), as a hook: travel, above, provides them.

Reminders (per-leg steps) and the door (meeting points, scans at a checkpoint) need a trip's
items, but trips live in `travel`, which builds on these layers. So the question is declared
here, with the types of its answers (only the fields the layers below read), and the wiring
(club.server.wiring) sets travel's answers when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from club.rows import Row

__all__ = [
    "Checkpoint",
    "ItemAnchor",
    "LegItem",
    "LegSource",
    "checkpoint",
    "item_anchors",
    "provide_legs",
    "trip_items",
]


class LegItem(Row, frozen=True):
    """One item of a trip, as the door lists its meeting points."""

    id: int
    title: str
    place: str
    meeting_point: str
    time_zone: str
    starts_at: datetime
    is_checkpoint: bool


class Checkpoint(Row, frozen=True):
    """A trip's item where tickets are scanned: which one, and when the group meets there."""

    id: int
    starts_at: datetime


class ItemAnchor(Row, frozen=True):
    """What a per-leg reminder step needs of one item: when, on which clock, and where to be
    (`venue`: the meeting point when there is one, then the place)."""

    id: int
    starts_at: datetime
    time_zone: str
    venue: str


@dataclass(frozen=True, slots=True)
class LegSource:
    """What a domain with itineraries answers (travel.wiring.LEGS)."""

    # Each event's items in time order, keyed by event id (events without items are left out).
    item_anchors: Callable[[list[int]], Awaitable[dict[int, list[ItemAnchor]]]]
    # The item if it is a meeting point of this trip where tickets are scanned, else None.
    checkpoint: Callable[[int, int], Awaitable[Checkpoint | None]]
    # Every item of one trip, in time order.
    trip_items: Callable[[int], Awaitable[list[LegItem]]]


_source: LegSource | None = None


def provide_legs(source: LegSource) -> None:
    global _source
    _source = source


def _legs() -> LegSource:
    if _source is None:
        raise RuntimeError("no itinerary provider: the wiring (club.server.wiring.install) has not run")
    return _source


async def item_anchors(event_ids: list[int]) -> dict[int, list[ItemAnchor]]:
    return await _legs().item_anchors(event_ids)


async def checkpoint(event_id: int, item_id: int) -> Checkpoint | None:
    return await _legs().checkpoint(event_id, item_id)


async def trip_items(event_id: int) -> list[LegItem]:
    return await _legs().trip_items(event_id)
