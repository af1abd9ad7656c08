"""The notifications outbox: rows written in the transaction of the change, delivered later."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from piccolo.utils.encoding import dump_json

from club import clock
from club.statements import fetch
from events.rows import EventRow

__all__ = ["NoticeKind", "event_payload", "notice_insert", "notify", "notify_each"]

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


# One multi-row INSERT per batch, as SQL written once per batch size (Piccolo built the insert
# anew for every RSVP); `_CHUNK` rows of six parameters stay far below either backend's limit.
_CHUNK = 500
_INSERT_HEAD = "INSERT INTO events_outbox (member, event, rsvp, kind, payload, created_at) VALUES "
_ROW = "({}, {}, {}, {}, {}, {})"


@cache
def _insert_sql(rows: int) -> str:
    return _INSERT_HEAD + ", ".join([_ROW] * rows)


def notice_insert(kind: NoticeKind, event_id: int, member_id: int, rsvp_id: int | None, payload: dict[str, Any]) -> tuple[str, list[Any]]:
    """The statement (a template, as `fetch` takes it) and values `notify` runs for one message,
    for a caller that runs it itself (events.rsvp's waitlist places in one hop, on SQLite)."""
    return _insert_sql(1), _row_values(NoticeKind(kind), event_id, member_id, rsvp_id, payload, clock.now())


def _row_values(kind: NoticeKind, event_id: int, member_id: int, rsvp_id: int | None, payload: dict[str, Any], now: datetime) -> list[Any]:
    """One message's values, in `_ROW`'s order."""
    return [member_id, event_id, rsvp_id, kind.value, dump_json(payload), now]


async def notify(kind: NoticeKind, event_id: int, recipients: Iterable[tuple[int, int | None]], payload: dict[str, Any]) -> int:
    """Queue one message of `kind` per (member_id, rsvp_id); call inside the write transaction."""
    return await notify_each(kind, event_id, [(member_id, rsvp_id, payload) for member_id, rsvp_id in recipients])


async def notify_each(kind: NoticeKind, event_id: int, messages: Sequence[tuple[int, int | None, dict[str, Any]]]) -> int:
    """Queue one message of `kind` per (member_id, rsvp_id, payload), each with its own payload,
    in one statement per `_CHUNK` messages; call inside the write transaction."""
    kind = NoticeKind(kind)  # refuses a kind nobody writes
    now = clock.now()
    for i in range(0, len(messages), _CHUNK):
        chunk = messages[i : i + _CHUNK]
        values: list[Any] = []
        for member_id, rsvp_id, payload in chunk:
            values += _row_values(kind, event_id, member_id, rsvp_id, payload, now)
        await fetch(_insert_sql(len(chunk)), *values)
    return len(messages)
