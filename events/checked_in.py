"""Who has come through an event's door, as a hook: checkin, above, keeps the record.

The attendee list and its exports show each member's check-in, but check-ins are checkin's
table, built on these layers. So the question is declared here and the wiring
(club.server.wiring) sets checkin's answer when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

__all__ = ["CheckedInSource", "checked_in_at", "provide_checked_in"]

# An event id in; each checked-in RSVP's id and the moment of its (first standing) admission out.
CheckedInSource = Callable[[int], Awaitable[dict[int, datetime]]]

_source: CheckedInSource | None = None


def provide_checked_in(source: CheckedInSource) -> None:
    global _source
    _source = source


async def checked_in_at(event_id: int) -> dict[int, datetime]:
    if _source is None:
        raise RuntimeError("no check-in record: the wiring (club.server.wiring.install) has not run")
    return await _source(event_id)
