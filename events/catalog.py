"""Events themselves: coordinators create, edit, publish and cancel them; members find them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from enum import Enum
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import InvalidInput, NotFound, SaidList, said_text
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.schemas import to_dict
from club.statements import fetch
from club.tables import Member, Role, Tier
from events.errors import BookedElsewhere, EventCancelled
from events.outbox import NoticeKind, event_payload, notify
from events.reminders.scheduling import follow_event
from events.rows import EventRow
from events.rules import invite_key, schedule_texts
from events.schemas import EventCreate, EventOut, EventUpdate, InvitationOut
from events.seats import SEATS_TAKEN_SQL, seats_taken
from events.tables import Event, EventStatus, Invitation, Rsvp, RsvpStatus
from events.waitlist import fill_from_waitlist

__all__ = [
    "CANCEL_HOOKS",
    "EVENT_FIELDS",
    "PRIVATE_BOOKING_DOMAINS",
    "CancelHook",
    "cancel_event",
    "create_event",
    "event_out",
    "get_event",
    "invite_members",
    "list_events",
    "list_invitations",
    "listed_events",
    "load_event",
    "load_listable_event",
    "publish_event",
    "register_cancel_hook",
    "register_private_booking_domain",
    "update_event",
]

EVENT_FIELDS = (
    *Event.all_columns(exclude=[Event.created_by]),
    Event.min_tier.name.as_alias("min_tier_name"),
    Event.min_tier.rank.as_alias("min_tier_rank"),
)
# Changing any of these moves the event: invites are re-sent with a higher SEQUENCE.
_MOVING_FIELDS = ("starts_at", "ends_at", "venue", "venue_time_zone")
# What a member's calendar shows of the event: any change raises the version, the invites'
# SEQUENCE (events.calendar), so calendars update their entry; only a move is announced.
_SEEN_FIELDS = (*_MOVING_FIELDS, "title")


def _now() -> datetime:
    return clock.now()


async def load_event(event_id: int, viewer: Principal | None = None) -> EventRow:
    """The event; drafts exist only for coordinators (everyone else gets 404)."""
    row = await Event.select(*EVENT_FIELDS).where(Event.id == event_id).first()
    if row is None or (
        viewer is not None and not viewer.is_coordinator and row["status"] == EventStatus.draft.value
    ):
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    return row_as(EventRow, row)


# Events booked through these domains hold health data: who is booked for them is read only
# through that domain's audited routes, never through the generic lists and exports. The
# domains are above this layer: each registers itself through the wiring (club.server.wiring).
PRIVATE_BOOKING_DOMAINS: set[str] = set()


def register_private_booking_domain(name: str) -> None:
    """Keep the attendees of events `booked_through` `name` out of the generic lists."""
    PRIVATE_BOOKING_DOMAINS.add(name)


# Called with the event's id inside cancel_event's transaction, under the event's lock, once (when
# the event turns cancelled): what hangs off an event in a domain that books it its own way (a
# show's invitations) ends with it, in the same commit. The wiring (club.server.wiring) fills it.
CancelHook = Callable[[int], Awaitable[None]]
CANCEL_HOOKS: list[CancelHook] = []


def register_cancel_hook(hook: CancelHook) -> None:
    """Call `hook(event_id)` in every cancellation's transaction (registering twice calls it once)."""
    if hook not in CANCEL_HOOKS:
        CANCEL_HOOKS.append(hook)


async def load_listable_event(event_id: int, viewer: Principal | None = None) -> EventRow:
    """The event, for a route that lists who comes; refused when its bookings are private."""
    event = await load_event(event_id, viewer)
    if event.booked_through in PRIVATE_BOOKING_DOMAINS:
        raise BookedElsewhere(
            "Who is booked for event {event_id} is read through {booked_through}'s audited routes.", text_values={"event_id": event_id},
            booked_through=event.booked_through,
        )
    return event


# Every list of events shapes the same few instants again on each request (a season's events in a
# venue's zone, two each): remembered, a page of them costs a dictionary lookup instead of a time
# zone conversion and a format each (a tenth of GET /api/events' CPU in its profile).
@lru_cache(maxsize=8192)
def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def event_out(row: EventRow, taken: int) -> EventOut:
    return EventOut(
        id=row.id,
        kind=row.kind,
        title=row.title,
        description=row.description,
        venue=row.venue,
        venue_time_zone=row.venue_time_zone,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        starts_local=_local(row.starts_at, row.venue_time_zone),
        ends_local=_local(row.ends_at, row.venue_time_zone),
        capacity=row.capacity,
        seats_taken=taken,
        # Capacity may have been lowered below the seats held: nobody is removed, none are left.
        seats_left=max(0, row.capacity - taken),
        guests_allowed=row.max_guests > 0,
        max_guests=row.max_guests,
        rsvp_opens_at=row.rsvp_opens_at,
        rsvp_closes_at=row.rsvp_closes_at,
        status=row.status,
        waitlist_policy=row.waitlist_policy,
        min_tier=row.min_tier_name,
        invitation_only=row.invitation_only,
        min_points=row.min_points,
        max_per_12_months=row.max_per_12_months,
        attendance_points=row.attendance_points,
        version=row.version,
        booked_through=row.booked_through,
    )


async def get_event(event_id: int, viewer: Principal) -> EventOut:
    row = await load_event(event_id, viewer)
    return event_out(row, await seats_taken(event_id))


async def list_events(viewer: Principal, include_past: bool, limit: int, offset: int) -> list[EventOut]:
    """Coordinators see every event; others see published and cancelled ones, and invitation-only
    events only when invited (an invitation is personal, its event is not advertised)."""
    rows = await _listed(viewer, include_past, limit, offset)
    return [event_out(r, r.seats_taken) for r in rows]


async def listed_events(viewer: Principal, include_past: bool, limit: int, offset: int) -> list[EventRow]:
    """The rows `list_events` shows, in one read (the member pages' list shapes them its own way)."""
    return list(await _listed(viewer, include_past, limit, offset))


class ListedEventRow(EventRow, frozen=True):
    seats_taken: int


# The event list is asked on every visit to the events page and the API's list, so its SQL is
# written once per kind of reader (Piccolo would build the joins and filters again each time,
# and the seats taken in a second round trip): the event, its minimum tier, the seats taken (as
# the database keeps them in event_tally, rather than summed over a gala's RSVPs each time).
_EVENT_COLUMNS = ", ".join(f"e.{c._meta.db_column_name}" for c in Event.all_columns(exclude=[Event.created_by]))


@cache
def _list_sql(upcoming: bool, coordinator: bool, member: bool) -> str:
    conditions = ["e.ends_at >= {}"] if upcoming else []
    if not coordinator:
        conditions.append(f"e.status != '{EventStatus.draft.value}'")
    if member:
        # An invitation-only event only to those invited; clinic slots and shows are listed by
        # their own domains, under their own rules.
        conditions.append("(NOT e.invitation_only OR e.id IN (SELECT i.event FROM event_invitation i WHERE i.member = {}))")
        conditions.append("e.booked_through IS NULL")
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    return (
        f"SELECT {_EVENT_COLUMNS}, t.name AS min_tier_name, t.rank AS min_tier_rank, "
        f"{SEATS_TAKEN_SQL} AS seats_taken "
        f"FROM event e LEFT JOIN tier t ON t.id = e.min_tier {where}"
        "ORDER BY e.starts_at, e.id LIMIT {} OFFSET {}"
    )


async def _listed(viewer: Principal, include_past: bool, limit: int, offset: int) -> list[ListedEventRow]:
    member = viewer.role is Role.member
    values: list[Any] = [_now()] if not include_past else []
    if member:
        values.append(viewer.member_id)
    sql = _list_sql(not include_past, viewer.is_coordinator, member)
    return rows_as(ListedEventRow, await fetch(sql, *values, limit, offset))


async def _tier_id(name: str | None) -> int | None:
    if name is None:
        return None
    row = await Tier.select(Tier.id).where(Tier.name == name).first()
    if row is None:
        raise InvalidInput("There is no tier named {name!r}.", text_values={"name": name})
    return row["id"]


def _check(values: Mapping[str, Any]) -> None:
    texts = schedule_texts(
        values["venue_time_zone"],
        values["starts_at"],
        values["ends_at"],
        values["rsvp_opens_at"],
        values["rsvp_closes_at"],
    )
    if texts:
        # `problems` stays the English texts clients read; the detail is in the reader's language.
        raise InvalidInput("{schedule_problems}.", problems=[said_text(Language.en, t) for t in texts],
                           text_values={"schedule_problems": SaidList(texts, sentence=True)})


def _column_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Column name -> value as stored: an Enum (a kind, a policy) as its value."""
    return {k: v.value if isinstance(v, Enum) else v for k, v in fields.items()}


async def create_event(data: EventCreate, created_by: int | None, *, booked_through: str | None = None) -> EventOut:
    """A new event, as a draft: members see it once it is published. `booked_through` names the
    domain that admits to it (`Event.booked_through`)."""
    fields = {**_column_values(msgspec.structs.asdict(data)), "booked_through": booked_through}
    _check(fields)
    async with write_transaction():
        values = {k: v for k, v in fields.items() if k != "min_tier"}
        now = _now()
        rows = await Event.insert(
            Event(
                **values,
                min_tier=await _tier_id(fields.get("min_tier")),
                status=EventStatus.draft.value,
                version=1,
                created_by=created_by,
                created_at=now,
                updated_at=now,
            )
        ).returning(Event.id)
        row = await load_event(rows[0]["id"])
        # The answer is built inside the transaction: if it cannot be, nothing is kept.
        return event_out(row, 0)


async def _live_rsvps(event_id: int) -> list[tuple[int, int]]:
    rows = await Rsvp.select(Rsvp.member, Rsvp.id).where(
        (Rsvp.event == event_id) & Rsvp.status.is_in([RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value])
    ).order_by(Rsvp.id)
    return [(r["member"], r["id"]) for r in rows]


async def update_event(event_id: int, data: EventUpdate) -> EventOut:
    """Edit an event: only the fields `data` sets change. Moving it raises its version and tells
    everyone holding a place; more capacity promotes from the waitlist at once; less capacity
    never removes anyone."""
    changes = _column_values(to_dict(data))
    async with write_transaction():
        await lock_objects((Event, event_id))
        row = await load_event(event_id)
        if row.status == EventStatus.cancelled:
            raise EventCancelled("A cancelled event cannot be edited.")
        _check({**msgspec.structs.asdict(row), **changes})
        values: dict[Any, Any] = {getattr(Event, k): v for k, v in changes.items() if k != "min_tier"}
        if "min_tier" in changes:
            values[Event.min_tier] = await _tier_id(changes["min_tier"])
        moved = any(k in changes and changes[k] != getattr(row, k) for k in _MOVING_FIELDS)
        seen = moved or any(k in changes and changes[k] != getattr(row, k) for k in _SEEN_FIELDS)
        if seen:
            values[Event.version] = row.version + 1
        values[Event.updated_at] = _now()
        await Event.update(values).where(Event.id == event_id)
        before, row = row, await load_event(event_id)
        if moved and row.status == EventStatus.published:
            await notify(NoticeKind.event_moved, event_id, await _live_rsvps(event_id), event_payload(row))
            await follow_event(event_id)  # unsent reminders move with the event
        elif seen and row.status == EventStatus.published:
            await follow_event(event_id)  # a new title: unsent reminders take the new version
        if row.capacity > before.capacity:
            await fill_from_waitlist(row)
        return event_out(row, await seats_taken(event_id))


async def publish_event(event_id: int) -> EventOut:
    async with write_transaction():
        await lock_objects((Event, event_id))
        row = await load_event(event_id)
        if row.status == EventStatus.cancelled:
            raise EventCancelled("A cancelled event cannot be published.")
        if row.status == EventStatus.draft:
            await Event.update(
                {Event.status: EventStatus.published.value, Event.updated_at: _now()}
            ).where(Event.id == event_id)
            row = await load_event(event_id)
        return event_out(row, await seats_taken(event_id))


async def cancel_event(event_id: int) -> EventOut:
    """The club cancels: everyone holding a place hears it; their invites turn into CANCELs.
    RSVPs keep their status, so attendance shows who had a seat; it is idempotent."""
    async with write_transaction():
        await lock_objects((Event, event_id))
        row = await load_event(event_id)
        if row.status != EventStatus.cancelled:
            await Event.update(
                {Event.status: EventStatus.cancelled.value, Event.updated_at: _now()}
            ).where(Event.id == event_id)
            was_published = row.status == EventStatus.published
            row = await load_event(event_id)
            if was_published:
                await notify(NoticeKind.event_cancelled, event_id, await _live_rsvps(event_id), event_payload(row))
            await follow_event(event_id)  # its unsent reminders are cancelled with it
            for hook in CANCEL_HOOKS:
                await hook(event_id)
        return event_out(row, await seats_taken(event_id))


async def invite_members(event_id: int, member_ids: list[int], invited_by: int) -> list[InvitationOut]:
    """Invite named members; inviting someone twice keeps the first invitation."""
    wanted = sorted(set(member_ids))
    async with write_transaction():
        row = await load_event(event_id)
        if row.status == EventStatus.cancelled:
            raise EventCancelled("Nobody can be invited to a cancelled event.")
        found = {m["id"] for m in await Member.select(Member.id).where(Member.id.is_in(wanted))}
        missing = [m for m in wanted if m not in found]
        if missing:
            raise InvalidInput("No such members: {missing}.", missing=missing)
        now = _now()
        await Invitation.insert(
            *[
                Invitation(event=event_id, member=m, invite_key=invite_key(event_id, m), invited_by=invited_by, created_at=now)
                for m in wanted
            ]
        ).on_conflict(target=Invitation.invite_key, action="DO NOTHING")
    return await list_invitations(event_id)


async def list_invitations(event_id: int) -> list[InvitationOut]:
    await load_event(event_id)
    rows = await Invitation.select(
        Invitation.member, Invitation.member.name.as_alias("member_name"), Invitation.created_at
    ).where(Invitation.event == event_id).order_by(Invitation.id)
    return [InvitationOut(member_id=r["member"], member_name=r["member_name"], invited_at=r["created_at"]) for r in rows]
