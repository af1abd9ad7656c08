"""Who holds a seat at an event under way: the review must not downgrade them mid-event."""

from __future__ import annotations

from datetime import datetime

__all__ = ["members_holding_a_seat"]


async def members_holding_a_seat(now: datetime) -> set[int]:
    """Member ids with a confirmed seat at an event running at `now`.

    The club core has no events yet; the events package answers this once it exists.
    """
    return set()
