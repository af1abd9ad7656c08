"""Who holds a seat at an event under way: the review must not downgrade them mid-event.

Seats are the events layer's, above this one; so this module declares the question as a
hook and the wiring (club.server.wiring) sets events' answer when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

__all__ = ["SeatHolders", "members_holding_a_seat", "provide_seat_holders"]

SeatHolders = Callable[[datetime], Awaitable[set[int]]]

_provider: SeatHolders | None = None


def provide_seat_holders(provider: SeatHolders) -> None:
    """Set who answers `members_holding_a_seat` (events.seats.members_holding_a_seat)."""
    global _provider
    _provider = provider


async def members_holding_a_seat(now: datetime) -> set[int]:
    """Member ids with a confirmed seat at a published event running at `now` (start <= now <= end)."""
    if _provider is None:
        # Never "nobody": a review without the answer would downgrade members mid-event.
        raise RuntimeError("no seat holders provider: the wiring (club.server.wiring.install) has not run")
    return await _provider(now)
