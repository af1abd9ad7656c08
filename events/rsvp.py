"""RSVPs: a member asks for a seat, gets one or a place on the waitlist, and may cancel.

Every decision runs in one write transaction that first locks the event (`club.locking.lock_objects`), then
re-reads the event, re-checks eligibility, counts the seats and writes: so concurrent RSVPs
for one event are decided one after another and the room is never overbooked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from club import clock
from club.access import owned_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.errors import InvalidInput, NotFound, SaidList, said_text
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import row_as, rows_as
from events import urls
from events.catalog import load_event
from events.eligibility import event_facts, member_facts
from events.errors import BookedElsewhere, EventCancelled, EventPast, NotEligible, RsvpClosed, RsvpNotOpen
from events.outbox import NoticeKind, event_payload, notify
from events.reminders.scheduling import follow_rsvps
from events.rows import EventRow, RsvpOwnerRow, RsvpPlaceRow, RsvpRow
from events.rules import (
    MemberFacts,
    Waiting,
    ineligibility_reasons,
    ineligibility_texts,
    order_waitlist,
    position_reason,
    position_reason_text,
    rsvp_refusal,
)
from events.schemas import RsvpOut
from events.seats import seats_taken
from events.tables import Event, EventStatus, Rsvp, RsvpStatus
from events.waitlist import ahead_of, fill_from_waitlist

__all__ = [
    "RsvpResult",
    "cancel_rsvp",
    "get_rsvp",
    "my_rsvps",
    "rsvp",
    "rsvp_out",
    "visible_rsvp",
    "waitlist_positions",
]


@dataclass(frozen=True, slots=True)
class RsvpResult:
    rsvp: RsvpOut
    created: bool  # False: the member already had this RSVP; nothing changed


def _now() -> datetime:
    return clock.now()


def _refuse_if_closed(event: EventRow, now: datetime) -> None:
    refusal = rsvp_refusal(event.status, event.starts_at, event.rsvp_opens_at, event.rsvp_closes_at, now)
    if refusal is None:
        return
    if refusal == "cancelled":
        raise EventCancelled("This event has been cancelled.")
    if refusal == "draft":
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event.id})
    if refusal == "past":
        raise EventPast("This event has already started; it takes no more RSVPs.")
    if refusal == "not_open":
        assert event.rsvp_opens_at is not None
        raise RsvpNotOpen("RSVPs for this event are not open yet.", opens_at=event.rsvp_opens_at.isoformat())
    assert event.rsvp_closes_at is not None
    raise RsvpClosed("RSVPs for this event are closed.", closed_at=event.rsvp_closes_at.isoformat())


def _refuse_if_booked_elsewhere(event: EventRow, through: str | None) -> None:
    if event.booked_through != through:
        raise BookedElsewhere(
            "Event {event_id} is booked through {booked_through}, not by RSVP.", text_values={"event_id": event.id},
            booked_through=event.booked_through,
        )


async def rsvp(
    event_id: int, member_id: int, guests: int, viewer: Principal, *, through: str | None = None,
    language: Language = Language.en,
) -> RsvpResult:
    """Ask for a seat for the member and `guests`; confirmed if they fit, else waitlisted.

    Idempotent: a member with a live RSVP gets it back unchanged. After a cancellation, asking
    again reopens the same RSVP (same id, same calendar UID) at the back of the line.
    `through` names the domain calling for an event it books itself (`Event.booked_through`).
    """
    async with write_transaction():
        await lock_objects((Event, event_id))
        rsvp_id, created = await _decide(event_id, member_id, guests, viewer, through)
    # Shaped after commit (the waitlist position is a count): outside the lock, it costs nobody a wait.
    return RsvpResult(await _out_by_id(rsvp_id, language), created=created)


async def _decide(
    event_id: int, member_id: int, guests: int, viewer: Principal, through: str | None
) -> tuple[int, bool]:
    """The RSVP decision, under the event lock: (RSVP id, whether anything was written)."""
    key = f"{event_id}:{member_id}"
    event = await load_event(event_id, viewer)
    _refuse_if_booked_elsewhere(event, through)
    existing = await Rsvp.select(Rsvp.id, Rsvp.status).where(Rsvp.rsvp_key == key).first()
    if existing is not None and existing["status"] != RsvpStatus.cancelled.value:
        return existing["id"], False
    now = _now()
    _refuse_if_closed(event, now)
    if guests > event.max_guests:
        allowed = "no guests" if event.max_guests == 0 else f"at most {event.max_guests} guests"
        raise InvalidInput("This event allows {allowed} per member.", max_guests=event.max_guests, text_values={"allowed": allowed})
    facts = await member_facts(member_id, event)
    reasons = ineligibility_reasons(event_facts(event), facts)
    if reasons:
        raise NotEligible("You are not eligible for this event: {reasons_text}.", reasons=reasons,
                          text_values={"reasons_text": SaidList(ineligibility_texts(event_facts(event), facts))})
    seats = 1 + guests
    confirmed = seats <= event.capacity - await seats_taken(event_id)
    values = _placement(event, facts, confirmed, now)
    values.update({Rsvp.guests: guests, Rsvp.seats: seats, Rsvp.created_at: now})
    if existing is None:
        rows = await Rsvp.insert(
            Rsvp(event=event_id, member=member_id, rsvp_key=key, **{c._meta.name: v for c, v in values.items()})
        ).returning(Rsvp.id)
        rsvp_id = rows[0]["id"]
    else:
        rsvp_id = existing["id"]
        await Rsvp.update(values).where(Rsvp.id == rsvp_id)
    # The message of a new RSVP is named by where it stands.
    kind = NoticeKind.confirmed if confirmed else NoticeKind.waitlisted
    await notify(kind, event_id, [(member_id, rsvp_id)], event_payload(event, rsvp_id=rsvp_id))
    await follow_rsvps([rsvp_id])  # its reminders commit with the seat
    return rsvp_id, True


def _placement(event: EventRow, member: MemberFacts, confirmed: bool, now: datetime) -> dict[Any, Any]:
    """Columns that say where a new RSVP stands: its seat, or its place and why."""
    base: dict[Any, Any] = {Rsvp.promoted_at: None, Rsvp.cancelled_at: None, Rsvp.cancelled_by: None}
    if confirmed:
        return {
            **base,
            Rsvp.status: RsvpStatus.confirmed.value,
            Rsvp.confirmed_at: now,
            Rsvp.waitlisted_at: None,
            Rsvp.tier_rank_at_join: None,
            Rsvp.tier_name_at_join: None,
            Rsvp.position_reason: "",
        }
    rank, name = member.tier_rank, member.tier_name
    return {
        **base,
        Rsvp.status: RsvpStatus.waitlisted.value,
        Rsvp.confirmed_at: None,
        Rsvp.waitlisted_at: now,
        Rsvp.tier_rank_at_join: rank,
        Rsvp.tier_name_at_join: name,
        Rsvp.position_reason: position_reason(event.waitlist_policy, name, rank, now),
    }


async def cancel_rsvp(
    rsvp_id: int, viewer: Principal, *, through: str | None = None, language: Language = Language.en
) -> RsvpOut:
    """Give the seat (or the waitlist place) back; freed seats go to the waitlist at once.

    Idempotent: cancelling a cancelled RSVP returns it unchanged. `through`: as for `rsvp`.
    """
    owner = await visible_rsvp(rsvp_id, viewer)
    async with write_transaction():
        await lock_objects((Event, owner.event))
        row = await Rsvp.select(Rsvp.status).where(Rsvp.id == rsvp_id).first()
        if row is None:
            raise NotFound("RSVP {rsvp_id} does not exist.", text_values={"rsvp_id": rsvp_id})
        event = await load_event(owner.event)
        _refuse_if_booked_elsewhere(event, through)
        if row["status"] != RsvpStatus.cancelled.value:
            now = _now()
            if event.status != EventStatus.cancelled and now >= event.starts_at:
                raise EventPast("This event has already started; the RSVP can no longer be cancelled.")
            await Rsvp.update(
                {
                    Rsvp.status: RsvpStatus.cancelled.value,
                    Rsvp.cancelled_at: now,
                    Rsvp.cancelled_by: "member" if viewer.member_id is not None else "club",
                }
            ).where(Rsvp.id == rsvp_id)
            await follow_rsvps([rsvp_id])  # its unsent reminders go with the seat
            if row["status"] == RsvpStatus.confirmed.value:
                await fill_from_waitlist(event)
    return await _out_by_id(rsvp_id, language)


async def visible_rsvp(rsvp_id: int, viewer: Principal) -> RsvpOwnerRow:
    """The RSVP if the viewer may see it: its member, or a coordinator. Anyone else gets 404,
    so RSVP ids reveal nothing about other members."""
    missing = "RSVP {rsvp_id} does not exist."
    row = await Rsvp.select(Rsvp.id, Rsvp.event, Rsvp.member).where(Rsvp.id == rsvp_id).first()
    if row is None:
        raise NotFound(missing, text_values={"rsvp_id": rsvp_id})
    owned_or_404(row["member"], viewer, missing, rsvp_id=rsvp_id)
    return row_as(RsvpOwnerRow, row)


async def get_rsvp(rsvp_id: int, viewer: Principal, language: Language = Language.en) -> RsvpOut:
    await visible_rsvp(rsvp_id, viewer)
    return await _out_by_id(rsvp_id, language)


async def my_rsvps(member_id: int, language: Language = Language.en) -> list[RsvpOut]:
    rows = rows_as(RsvpRow, await Rsvp.select(*_FIELDS).where(Rsvp.member == member_id).order_by(Rsvp.id))
    positions = await _positions(rows)
    return [await rsvp_out(r, positions.get(r.id), language) for r in rows]


async def waitlist_positions(rsvp_ids: list[int]) -> dict[int, int]:
    """Waitlist positions of the waitlisted RSVPs among `rsvp_ids`, as `get_rsvp` gives them,
    in two reads however many there are (for lists built on RSVPs, such as health bookings)."""
    if not rsvp_ids:
        return {}
    rows = await Rsvp.select(Rsvp.id, Rsvp.event, Rsvp.status, Rsvp.event.waitlist_policy.as_alias("policy")).where(
        Rsvp.id.is_in(sorted(set(rsvp_ids)))
    )
    return await _positions(rows_as(RsvpPlaceRow, rows))


async def _positions(rows: Sequence[RsvpPlaceRow]) -> dict[int, int]:
    """Waitlist positions of the waitlisted among `rows`: one read of their events' waitlists,
    ordered by `order_waitlist` (the order promotion follows), instead of a COUNT per row."""
    policies = {r.event: r.policy for r in rows if r.status == RsvpStatus.waitlisted}
    if not policies:
        return {}
    waiting = await Rsvp.select(Rsvp.id, Rsvp.event, Rsvp.seats, Rsvp.waitlisted_at, Rsvp.tier_rank_at_join).where(
        Rsvp.event.is_in(list(policies)) & (Rsvp.status == RsvpStatus.waitlisted.value)
    )
    by_event: dict[int, list[Waiting]] = defaultdict(list)
    for w in waiting:
        by_event[w["event"]].append(Waiting(w["id"], w["seats"], w["waitlisted_at"], w["tier_rank_at_join"]))
    return {
        party.rsvp_id: place
        for event, policy in policies.items()
        for place, party in enumerate(order_waitlist(policy, by_event[event]), start=1)
    }


_FIELDS = (
    *Rsvp.all_columns(),
    Rsvp.event.waitlist_policy.as_alias("policy"),
)


async def _out_by_id(rsvp_id: int, language: Language = Language.en) -> RsvpOut:
    row = await Rsvp.select(*_FIELDS).where(Rsvp.id == rsvp_id).first()
    if row is None:
        raise NotFound("RSVP {rsvp_id} does not exist.", text_values={"rsvp_id": rsvp_id})
    return await rsvp_out(row_as(RsvpRow, row), language=language)


async def _position(row: RsvpRow) -> int:
    """1 + how many waiting parties stand ahead, by the event's policy (one COUNT, in the order
    `order_waitlist` sorts by: both come from `events.rules.WAITLIST_ORDER`)."""
    assert row.waitlisted_at is not None
    party = Waiting(row.id, row.seats, row.waitlisted_at, row.tier_rank_at_join)
    count = await Rsvp.count().where(
        (Rsvp.event == row.event) & (Rsvp.status == RsvpStatus.waitlisted.value) & ahead_of(row.policy, party)
    )
    return count + 1


async def rsvp_out(row: RsvpRow, position: int | None = None, language: Language = Language.en) -> RsvpOut:
    """The RSVP as its member reads it (why they stand where they do in `language`); a list
    passes each waitlisted row's `position`."""
    waitlisted = row.status == RsvpStatus.waitlisted
    if waitlisted and position is None:
        position = await _position(row)
    return RsvpOut(
        id=row.id,
        event_id=row.event,
        member_id=row.member,
        status=row.status,
        guests=row.guests,
        seats=row.seats,
        position=position if waitlisted else None,
        position_reason=(
            said_text(language, position_reason_text(row.policy, row.tier_name_at_join, row.tier_rank_at_join, row.waitlisted_at))
            if row.waitlisted_at is not None and waitlisted
            else None
        ),
        created_at=row.created_at,
        confirmed_at=row.confirmed_at,
        promoted=row.promoted_at is not None,
        cancelled_at=row.cancelled_at,
        invite_url=urls.link(urls.RSVP_INVITE, rsvp_id=row.id),
    )
