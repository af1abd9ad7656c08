"""Shows themselves: a coordinator creates a show (an event booked through "shows") with its seat
categories, and resizes or adds categories; the show's capacity is always their sum.

Capacity equal to the categories' seats, and offers never holding more than a category's seats,
is what makes an acceptance's RSVP always confirmed, never waitlisted (`accept` checks anyway).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from piccolo.query.functions.aggregate import Sum

from club import clock
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.locking import lock_objects
from club.rows import rows_as
from events.catalog import EVENT_FIELDS, create_event, load_event, update_event
from events.errors import EventCancelled
from events.rows import EventRow
from events.schemas import EventCreate, EventUpdate
from events.shows.errors import CategoryTooSmall
from events.shows.offers import category_seats, expire_overdue, fill_category
from events.shows.rows import CategoryRow, SeatHoldingRow
from events.shows.rules import local_iso, seats_held
from events.shows.schemas import CategoryOut, ShowCreate, ShowOut
from events.shows.tables import InvitationStatus, SeatCategory, ShowInvitation
from events.tables import Event, EventKind, EventStatus, WaitlistPolicy

__all__ = ["SHOWS_APP", "add_category", "create_show", "get_show", "list_shows", "load_show", "resize_category"]

# The value of `Event.booked_through` for shows: the generic RSVP routes refuse such events.
SHOWS_APP = "shows"


def _now() -> datetime:
    return clock.now()


async def load_show(show_id: int) -> EventRow:
    """The show's event row; any other event is not a show (404)."""
    row = await load_event(show_id)
    if row.booked_through != SHOWS_APP:
        raise NotFound("Show {show_id} does not exist.", text_values={"show_id": show_id})
    return row


def _category_key(show_id: int, name: str) -> str:
    return f"{show_id}:{name.strip().casefold()}"


async def create_show(data: ShowCreate, created_by: int | None) -> ShowOut:
    """A new show, as a draft with its categories; publish it (`POST /api/events/{id}/publish`)
    before inviting. It is invitation-only, seats at most one guest per member (a plus-one, where
    the invitation allows it) and is booked through this package only."""
    keys = [c.name.strip().casefold() for c in data.categories]
    if len(set(keys)) != len(keys):
        raise InvalidInput("Two seat categories of a show cannot share a name.")
    fields = EventCreate(
        kind=EventKind.fashion_week,
        title=data.title,
        description=data.description,
        venue=data.venue,
        venue_time_zone=data.venue_time_zone,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=sum(c.seats for c in data.categories),
        max_guests=1,
        rsvp_opens_at=None,
        rsvp_closes_at=None,
        waitlist_policy=WaitlistPolicy.tier_priority,
        min_tier=data.min_tier,
        invitation_only=True,
        min_points=None,
        max_per_12_months=None,
        attendance_points=data.attendance_points,
    )
    now = _now()
    async with write_transaction():
        event = await create_event(fields, created_by, booked_through=SHOWS_APP)
        await SeatCategory.insert(
            *[
                SeatCategory(show=event.id, name=c.name.strip(), category_key=_category_key(event.id, c.name), seats=c.seats, created_at=now)
                for c in data.categories
            ]
        )
    return await get_show(event.id)


async def _sync_capacity(show_id: int) -> None:
    row = await SeatCategory.select(Sum(SeatCategory.seats, alias="seats")).where(SeatCategory.show == show_id).first()
    await update_event(show_id, EventUpdate(capacity=int(row["seats"] or 0) if row else 0))


async def _open_show(show_id: int) -> EventRow:
    show = await load_show(show_id)
    if show.status == EventStatus.cancelled:
        raise EventCancelled("This show has been cancelled.")
    return show


async def add_category(show_id: int, name: str, seats: int) -> ShowOut:
    async with write_transaction():
        await lock_objects((Event, show_id))
        await _open_show(show_id)
        key = _category_key(show_id, name)
        if await SeatCategory.exists().where(SeatCategory.category_key == key):
            raise Conflict("This show already has a category named {name!r}.", text_values={"name": name.strip()})
        await SeatCategory.insert(
            SeatCategory(show=show_id, name=name.strip(), category_key=key, seats=seats, created_at=_now())
        )
        await _sync_capacity(show_id)
    return await get_show(show_id)


async def resize_category(show_id: int, category_id: int, seats: int) -> ShowOut:
    """Change a category's seats. More seats are offered to its queue at once; fewer are refused
    below the seats already accepted or on offer (nobody loses a seat they were given)."""
    now = _now()
    async with write_transaction():
        await lock_objects((Event, show_id))
        await _open_show(show_id)
        if not await SeatCategory.exists().where((SeatCategory.id == category_id) & (SeatCategory.show == show_id)):
            raise NotFound("Show {show_id} has no seat category {category_id}.", text_values={"show_id": show_id, "category_id": category_id})
        held, _ = await category_seats(category_id)
        if seats < held:
            raise CategoryTooSmall(
                "{held} seats of this category are accepted or on offer; it cannot shrink below that.", held=held
            )
        await SeatCategory.update({SeatCategory.seats: seats}).where(SeatCategory.id == category_id)
        await _sync_capacity(show_id)
        await fill_category(await load_event(show_id), category_id, now)
    return await get_show(show_id)


async def get_show(show_id: int) -> ShowOut:
    await expire_overdue(show_ids=[show_id])
    return (await _show_outs([await load_show(show_id)]))[0]


async def _show_outs(shows: list[EventRow]) -> list[ShowOut]:
    """The shows with each category's seats taken, on offer and free: two reads for the whole
    list (the categories, the invitations holding or awaiting seats), however many shows."""
    if not shows:
        return []
    ids = [s.id for s in shows]
    categories = rows_as(CategoryRow, await SeatCategory.select(
        SeatCategory.id, SeatCategory.show, SeatCategory.name, SeatCategory.seats
    ).where(SeatCategory.show.is_in(ids)).order_by(SeatCategory.id))
    rows = rows_as(SeatHoldingRow, await ShowInvitation.select(
        ShowInvitation.category, ShowInvitation.status, ShowInvitation.plus_one_allowed, ShowInvitation.plus_one
    ).where(ShowInvitation.show.is_in(ids) & ShowInvitation.status.is_in(
        [InvitationStatus.offered.value, InvitationStatus.accepted.value, InvitationStatus.queued.value]
    )))
    # Category ids are unique across shows, so one set of counters serves the whole list.
    taken: Counter[int] = Counter()
    on_offer: Counter[int] = Counter()
    queued: Counter[int] = Counter()
    for r in rows:
        held = seats_held(r.status, r.plus_one_allowed, r.plus_one)
        if r.status == InvitationStatus.accepted:
            taken[r.category] += held
        elif r.status == InvitationStatus.offered:
            on_offer[r.category] += held
        else:
            queued[r.category] += 1
    by_show: dict[int, list[CategoryRow]] = defaultdict(list)
    for c in categories:
        by_show[c.show].append(c)
    return [_show_out(show, by_show[show.id], taken, on_offer, queued) for show in shows]


def _show_out(
    show: EventRow, categories: list[CategoryRow], taken: Counter[int], on_offer: Counter[int], queued: Counter[int]
) -> ShowOut:
    return ShowOut(
        id=show.id,
        title=show.title,
        venue=show.venue,
        venue_time_zone=show.venue_time_zone,
        starts_at=show.starts_at,
        ends_at=show.ends_at,
        starts_local=local_iso(show.starts_at, show.venue_time_zone) or "",
        status=show.status,
        min_tier=show.min_tier_name,
        capacity=show.capacity,
        categories=[
            CategoryOut(
                id=c.id,
                name=c.name,
                seats=c.seats,
                seats_taken=taken[c.id],
                seats_on_offer=on_offer[c.id],
                seats_free=max(0, c.seats - taken[c.id] - on_offer[c.id]),
                queued=queued[c.id],
            )
            for c in categories
        ],
    )


async def list_shows(include_past: bool) -> list[ShowOut]:
    """Every show, soonest first (coordinators): a fixed few reads, however many shows."""
    query = Event.select(*EVENT_FIELDS).where(Event.booked_through == SHOWS_APP).order_by(Event.starts_at).order_by(Event.id)
    if not include_past:
        query = query.where(Event.ends_at >= _now())
    shows = rows_as(EventRow, await query)
    # Overdue offers expire first, as get_show does (expiry touches invitations, not the event rows).
    await expire_overdue(show_ids=[s.id for s in shows])
    return await _show_outs(shows)
