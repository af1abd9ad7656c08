"""A member's no-shows since an instant, as a hook: checkin, above, keeps the door's record.

The gate is the RSVP's (events); no-shows are checkin's table, built on this layer. So the
question is declared here and the wiring (club.server.wiring) sets checkin's answer
(checkin.no_shows.no_shows_since) when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

__all__ = ["NoShowSource", "no_shows_since", "provide_no_shows"]

# A member id and an instant in; their standing no-shows recorded since then out.
NoShowSource = Callable[[int, datetime], Awaitable[int]]

_source: NoShowSource | None = None


def provide_no_shows(source: NoShowSource) -> None:
    global _source
    _source = source


async def no_shows_since(member_id: int, since: datetime) -> int:
    if _source is None:
        raise RuntimeError("no no-show record: the wiring (club.server.wiring.install) has not run")
    return await _source(member_id, since)
