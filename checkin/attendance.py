"""Attendance after the doors close: no-shows recorded per member, and the live figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checkin.rows import ConfirmedRsvpRow, FiguresEventRow
from checkin.rules import CHECKIN_CLOSES_AFTER
from checkin.scanning import admitted_counts
from checkin.schemas import CheckInFigures
from checkin.tables import CheckIn, NoShow
from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.rows import row_as, rows_as
from events.tables import Event, EventStatus, Rsvp, RsvpStatus

__all__ = ["checked_in_at", "figures", "record_no_shows"]


def ended_events_query(now: datetime) -> Any:
    """Published events whose door has closed."""
    return Event.select(Event.id).where(
        (Event.status == EventStatus.published.value) & (Event.ends_at < now - CHECKIN_CLOSES_AFTER)
    )


async def record_no_shows(now: datetime | None = None) -> int:
    """Record every confirmed member of a finished event who was never checked in.

    Safe to run again and again (the job does, every few minutes): each no-show is keyed by
    event and member. Returns how many were newly recorded.
    """
    now = now or clock.now()
    closed: list[int] = [r["id"] for r in await ended_events_query(now)]
    recorded = 0
    for event_id in closed:
        async with write_transaction():
            confirmed = rows_as(ConfirmedRsvpRow, await Rsvp.select(Rsvp.id, Rsvp.member).where(
                (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
            ))
            came = {
                r["rsvp"] for r in await CheckIn.select(CheckIn.rsvp).where(
                    (CheckIn.event == event_id) & CheckIn.reverted_at.is_null()
                )
            }
            missing = [r for r in confirmed if r.id not in came]
            if not missing:
                continue
            rows = await NoShow.insert(
                *[
                    NoShow(event=event_id, member=r.member, rsvp=r.id,
                           no_show_key=f"{event_id}:{r.member}", recorded_at=now)
                    for r in missing
                ]
            ).on_conflict(target=NoShow.no_show_key, action="DO NOTHING").returning(NoShow.id)
            recorded += len(rows)
    return recorded


async def figures(event_id: int) -> CheckInFigures:
    found = await Event.select(Event.title, Event.status, Event.ends_at).where(Event.id == event_id).first()
    event = row_as(FiguresEventRow, found) if found is not None else None
    if event is None or event.status is EventStatus.draft:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    checked_in, confirmed = await admitted_counts(event_id)
    return CheckInFigures(
        event_id=event_id,
        title=event.title,
        confirmed=confirmed,
        checked_in=checked_in,
        no_shows=await NoShow.count().where(NoShow.event == event_id),
        ended=event.ends_at < clock.now(),
    )


async def checked_in_at(event_id: int) -> dict[int, datetime]:
    """When each RSVP of the event was admitted (its first standing check-in; reverted ones
    do not count): the attendee list's check-in column (events.checked_in's hook)."""
    rows = await CheckIn.select(CheckIn.rsvp, CheckIn.checked_in_at).where(
        (CheckIn.event == event_id) & CheckIn.reverted_at.is_null()
    ).order_by(CheckIn.checked_in_at)
    first: dict[int, datetime] = {}
    for row in rows:
        first.setdefault(row["rsvp"], row["checked_in_at"])
    return first
