"""The notifications outbox: rows written in the transaction of the change, delivered later."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from club import clock
from club.rows import Row, row_as
from events.rows import EventRow
from events.tables import OutboxMessage

__all__ = ["KINDS", "event_payload", "notify"]

KINDS = frozenset({
    "confirmed", "waitlisted", "promoted", "event_moved", "event_cancelled",
    # Show invitations (events.shows): offered at once, offered later from the queue, the
    # offer's reply-by passed, the club withdrew it.
    "show_invited", "show_offered", "show_offer_expired", "show_invitation_withdrawn",
})


class EventPayloadFacts(Row, frozen=True):
    """The columns of an event its messages carry."""

    id: int
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    version: int


def event_payload(event: EventRow | Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """What a message needs to be written without reading the event again."""
    # events.shows still passes `load_event`'s plain row.
    e = event if isinstance(event, EventRow) else row_as(EventPayloadFacts, event)
    return {
        "event_id": e.id,
        "title": e.title,
        "venue": e.venue,
        "venue_time_zone": e.venue_time_zone,
        "starts_at": e.starts_at.isoformat(),
        "ends_at": e.ends_at.isoformat(),
        "version": e.version,
        **extra,
    }


async def notify(kind: str, event_id: int, recipients: Iterable[tuple[int, int | None]], payload: dict[str, Any]) -> int:
    """Queue one message of `kind` per (member_id, rsvp_id); call inside the write transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    now = clock.now()
    rows = [
        OutboxMessage(member=member_id, event=event_id, rsvp=rsvp_id, kind=kind, payload=payload, created_at=now)
        for member_id, rsvp_id in recipients
    ]
    if rows:
        await OutboxMessage.insert(*rows)
    return len(rows)
