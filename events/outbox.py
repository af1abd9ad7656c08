"""The notifications outbox: rows written in the transaction of the change, delivered later."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from club import clock
from events.rows import EventRow
from events.tables import OutboxMessage

__all__ = ["KINDS", "event_payload", "notify"]

KINDS = frozenset({
    "confirmed", "waitlisted", "promoted", "event_moved", "event_cancelled",
    # Show invitations (events.shows): offered at once, offered later from the queue, the
    # offer's reply-by passed, the club withdrew it.
    "show_invited", "show_offered", "show_offer_expired", "show_invitation_withdrawn",
})


def event_payload(event: EventRow, **extra: Any) -> dict[str, Any]:
    """What a message needs to be written without reading the event again."""
    return {
        "event_id": event.id,
        "title": event.title,
        "venue": event.venue,
        "venue_time_zone": event.venue_time_zone,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "version": event.version,
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
