"""The notifications outbox: rows written in the transaction of the change, delivered later."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from club import clock
from events.rows import EventRow
from events.tables import OutboxMessage

__all__ = ["NoticeKind", "event_payload", "notify"]

class NoticeKind(StrEnum):
    """What an outbox message tells a member; each has its subject and body (events.reminders.rules)."""

    confirmed = "confirmed"
    waitlisted = "waitlisted"
    promoted = "promoted"
    event_moved = "event_moved"
    event_cancelled = "event_cancelled"
    # Show invitations (events.shows): offered at once, offered later from the queue, the
    # offer's reply-by passed, the club withdrew it.
    show_invited = "show_invited"
    show_offered = "show_offered"
    show_offer_expired = "show_offer_expired"
    show_invitation_withdrawn = "show_invitation_withdrawn"


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


async def notify(kind: NoticeKind, event_id: int, recipients: Iterable[tuple[int, int | None]], payload: dict[str, Any]) -> int:
    """Queue one message of `kind` per (member_id, rsvp_id); call inside the write transaction."""
    kind = NoticeKind(kind)  # refuses a kind nobody writes
    now = clock.now()
    rows = [
        OutboxMessage(member=member_id, event=event_id, rsvp=rsvp_id, kind=kind.value, payload=payload, created_at=now)
        for member_id, rsvp_id in recipients
    ]
    if rows:
        await OutboxMessage.insert(*rows)
    return len(rows)
