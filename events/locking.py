"""The one lock every path that touches an event's seats takes: the event row, first.

RSVP, cancellation, capacity change and event cancellation all call `lock_event()` right after
opening their write transaction and before reading seats or the waitlist, so their decisions
about one event happen one after another. On SQLite the IMMEDIATE transaction already
serializes writers; on PostgreSQL this is `SELECT ... FOR UPDATE` on the event row.
"""

from __future__ import annotations

from club.db import lock_for_update
from events.tables import Event

__all__ = ["LOCKING", "lock_event"]

# Only the control test turns this off, to show the race it prevents really happens.
LOCKING = True


async def lock_event(event_id: int) -> None:
    if LOCKING:
        await lock_for_update(Event, [event_id])
