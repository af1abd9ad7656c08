"""Hand-built rows for the measures' tests: events, RSVPs, admissions and no-shows written as
they stand in the tables, at the instants a test names, so each expected figure can be counted
by hand from the test itself."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from itertools import count

from checkin.tables import CheckIn, NoShow
from club.tables import Member, MemberStatus, PointsEntry, PointsReason, Tier
from events.tables import Event, EventKind, EventStatus, Rsvp, RsvpStatus

__all__ = ["admit", "at", "event", "member", "miss", "points", "rsvp", "tier_id"]

_keys = count(1)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 12) -> datetime:
    """An instant of 2026 in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def tier_id(name: str) -> int:
    row = await Tier.select(Tier.id).where(Tier.name == name).first()
    assert row is not None
    return int(row["id"])


async def member(name: str = "M", tier: str | None = "Silver", status: MemberStatus = MemberStatus.active,
                 referred_by: int | None = None, joined_on: date = date(2024, 1, 1)) -> int:
    rows = await Member.insert(Member(
        name=name, email=f"{uuid.uuid4().hex[:10]}@members.test", joined_on=joined_on, status=status.value,
        tier=await tier_id(tier) if tier else None, referred_by=referred_by,
    )).returning(Member.id)
    return int(rows[0]["id"])


async def event(starts_at: datetime, capacity: int = 10, kind: EventKind = EventKind.salon,
                status: EventStatus = EventStatus.published, title: str = "Salon") -> int:
    rows = await Event.insert(Event(
        kind=kind.value, title=title, venue="Maison", venue_time_zone="Europe/Paris", starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), capacity=capacity, status=status.value,
        created_at=starts_at - timedelta(days=30), updated_at=starts_at - timedelta(days=30),
    )).returning(Event.id)
    return int(rows[0]["id"])


async def rsvp(event_id: int, member_id: int, *, created: datetime, confirmed: datetime | None = None,
               waitlisted: datetime | None = None, promoted: datetime | None = None,
               cancelled: datetime | None = None, cancelled_by: str = "member", seats: int = 1) -> int:
    """An RSVP as the RSVP service leaves it: confirmed at `confirmed` (or waiting from
    `waitlisted`, promoted at `promoted`), cancelled at `cancelled` by the member or the club."""
    if cancelled is not None:
        status = RsvpStatus.cancelled
    elif confirmed is not None or promoted is not None:
        status = RsvpStatus.confirmed
    else:
        status = RsvpStatus.waitlisted
    rows = await Rsvp.insert(Rsvp(
        event=event_id, member=member_id, rsvp_key=f"{event_id}:{member_id}", status=status.value,
        seats=seats, guests=seats - 1, created_at=created, confirmed_at=confirmed or promoted,
        waitlisted_at=waitlisted, promoted_at=promoted, cancelled_at=cancelled,
        cancelled_by=cancelled_by if cancelled else None,
    )).returning(Rsvp.id)
    return int(rows[0]["id"])


async def admit(event_id: int, rsvp_id: int, member_id: int, when: datetime, *, reverted: bool = False,
                item: int | None = None) -> None:
    """An admission at the door (at a trip's meeting point `item`); `reverted`: undone since."""
    key = f"{rsvp_id}:i{item}" if item else str(rsvp_id)
    await CheckIn.insert(CheckIn(
        event=event_id, rsvp=rsvp_id, member=member_id, itinerary_item=item, checked_in_at=when,
        admission_key=f"{key}:reverted-{next(_keys)}" if reverted else key,
        reverted_at=when + timedelta(minutes=5) if reverted else None,
    ))


async def miss(event_id: int, rsvp_id: int, member_id: int, when: datetime) -> None:
    """A no-show as the job records it once the doors closed."""
    await NoShow.insert(NoShow(event=event_id, member=member_id, rsvp=rsvp_id,
                               no_show_key=f"{event_id}:{member_id}", recorded_at=when))


async def points(member_id: int, delta: int, reason: PointsReason, when: datetime) -> None:
    source = f"test-{next(_keys)}"
    await PointsEntry.insert(PointsEntry(member=member_id, delta=delta, reason=reason.value, source=source,
                                         award_key=f"{reason.value}:{source}", created_at=when))
