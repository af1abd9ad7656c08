"""RSVPs: a member asks for a seat, gets one or a place on the waitlist, and may cancel.

Every decision runs in one write transaction that locks the event (`club.locking.lock_objects`)
and then counts the seats and writes: so concurrent RSVPs for one event are decided one after
another and the room is never overbooked. What does not need the lock (the event's rules, the
member, their eligibility) is read and checked before it; under it, the event and the member's
answer are read again with the seats, and if anything checked changed meanwhile the whole
decision runs again under the lock. On SQLite a place on the waitlist of an event already full
is written and counted in one hop to the writer's thread (`_wait_in_one_hop`), one transaction
too: the database's write lock is the event's lock there.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from typing import Any

from piccolo.utils.encoding import dump_json

from club import clock
from club.access import owned_or_404
from club.accounts import Principal
from club.db import current_engine, is_sqlite, write_in_one_hop, write_transaction
from club.errors import InvalidInput, NotFound, SaidList, said_text
from club.i18n.languages import Language
from club.locking import lock_objects, row_lock_cte, statement_locking
from club.rows import row_as, rows_as
from club.statements import compiled, fetch
from club.tables import MemberStatus
from events import urls
from events.catalog import load_event
from events.eligibility import event_facts, member_facts
from events.errors import BookedElsewhere, EventCancelled, EventPast, NotEligible, RsvpClosed, RsvpNotOpen
from events.no_show_gate.counts import no_shows_since
from events.no_show_gate.rules import gate_text, gated, rule_applies, window_start
from events.no_show_gate.tables import CLUB_SCOPE
from events.outbox import NoticeKind, event_payload, notice_insert, notify
from events.reminders.new_seat import REMINDERS_CTE, STEPS_STAMP_SQL, SeatSteps, reminder_values, steps_before_the_lock
from events.reminders.scheduling import follow_rsvps
from events.rows import EventRow, MemberStandingRow, RsvpOwnerRow, RsvpPlaceRow, RsvpRow
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
from events.seats import SEATS_TAKEN_SQL, seats_taken
from events.tables import Event, EventStatus, Rsvp, RsvpStatus
from events.waitlist import ahead_of_sql, fill_from_waitlist

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
class Gate:
    """The club's no-show rule closed the seat: the no-shows counted and the rule's window."""

    no_shows: int
    months: int


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

    Everything the seat does not depend on is read and checked before the event lock (the
    event, the member, their answer so far, the eligibility facts): under it, one statement
    reads the event again with its seats taken and the member's answer, and only when nothing
    of it changed meanwhile is the seat decided on what was checked; otherwise the whole
    decision runs again under the lock, as it always did (`_decide`).
    """
    key = f"{event_id}:{member_id}"
    claim = not is_sqlite()
    before = await _facts(_BEFORE_PG_SQL if claim else _BEFORE_SQL, key, member_id, event_id)
    event = _event_of(before, viewer)
    _refuse_if_booked_elsewhere(event, through)
    if before.rsvp_id is not None and before.rsvp_status != RsvpStatus.cancelled:
        return RsvpResult(await _out_by_id(before.rsvp_id, language), created=False)
    _check_request(event, guests, _now())
    if before.member_status is None:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    standing = MemberStandingRow(
        status=before.member_status, tier_rank=before.member_tier_rank, tier_name=before.member_tier_name
    )
    facts = await member_facts(member_id, event, standing)
    _refuse_if_ineligible(event, facts)
    full = 1 + guests > event.capacity - before.taken
    if (not claim and full and before.rsvp_id is None and not (through is None and _gate_counts(before))
            and current_engine().current_transaction.get() is None):
        # SQLite, an event full as read: the place on its waitlist in one hop (`_wait_in_one_hop`).
        waiting = await write_in_one_hop(partial(_wait_in_one_hop, event, member_id, key, guests, facts, before))
        if waiting is not None:
            return RsvpResult(await rsvp_out(waiting[0], waiting[1], language), created=True)
    placed: RsvpRow | None = None
    position: int | None = None  # of a place on the waitlist, when the statement that took it counted it
    # A full event (as read before the lock) only takes places on its waitlist: those are taken
    # under a shared lock of the event, so a storm's waitlisted answers no longer wait for each
    # other, while a seat (and anything that frees or moves one: a cancellation, an edit) still
    # takes the event's ordinary lock, one at a time. Should a seat have come free meanwhile, the
    # shared attempt writes nothing and the answer is decided again under the ordinary lock.
    # (Not within a caller's transaction: one that ends is what lets the ordinary lock be asked.)
    shared = claim and before.rsvp_id is None and full and current_engine().current_transaction.get() is None
    steps: SeatSteps | None = None  # a seat's reminder steps, read before the lock when a seat may be claimed
    while True:
        if claim and before.rsvp_id is None and not shared and steps is None:
            steps = await steps_before_the_lock(event_id, event.kind.value)
        try:
            async with write_transaction():
                # The club's no-show rule, read with the event: off (or not about this member's tier),
                # it costs nothing; on, one count of their no-shows, in this transaction. Events a
                # domain books itself (check-ups, shows) keep their own rules.
                gate = await _gate(before, member_id) if through is None else None
                # A seat that may be claimed with its reminders planned is locked by `_claim`, in
                # the statement that claims it where it can: one round trip inside the lock fewer.
                claim_locks = claim and before.rsvp_id is None and not shared and steps is not None
                if not claim_locks:
                    await lock_objects((Event, event_id), shared=shared)
                if claim and before.rsvp_id is None:
                    claimed = await _claim(
                        event, member_id, key, guests, facts, before, gate, steps, waitlist_only=shared, takes_lock=claim_locks,
                    )
                    if claimed is None and shared:
                        raise _TakeTheLock
                    placed, position = claimed if claimed is not None else (None, None)
                else:
                    locked = await _facts(_LOCKED_SQL, key, event_id)
                    if _unchanged(before, locked):
                        placed = await _place(event, member_id, key, guests, facts, locked, gate)
                if placed is not None:
                    rsvp_id, created = placed.id, True
                else:
                    rsvp_id, created = await _decide(event_id, member_id, guests, viewer, through, gate)
            break
        except _TakeTheLock:
            shared = False  # rolled back, nothing written: again, under the event's ordinary lock
    # Shaped after commit (the waitlist position is a count): outside the lock, it costs nobody a
    # wait. A place the claim statement took comes with its count, unless it took the lock itself.
    if placed is not None:
        return RsvpResult(await rsvp_out(placed, position, language), created=True)
    return RsvpResult(await _out_by_id(rsvp_id, language), created=created)


class _TakeTheLock(Exception):  # a signal within rsvp(), never raised out of it
    """A waitlist place taken under the shared lock found a seat free, or something changed."""


class _FactsRow(EventRow, frozen=True):
    """The event as `EVENT_FIELDS` reads it, with its seats taken and the member's answer so far
    (and, before the lock, the member's standing)."""

    taken: int
    rsvp_id: int | None
    rsvp_status: RsvpStatus | None
    member_status: MemberStatus | None = None
    member_tier_rank: int | None = None
    member_tier_name: str | None = None
    member_time_zone: str | None = None
    stamp: str | None = None
    gate_on: bool | None = None
    gate_no_shows: int | None = None
    gate_months: int | None = None
    gate_tier: bool | None = None


def _gate_counts(before: _FactsRow) -> bool:
    """Whether the no-show rule read with the event asks for a count of this member's no-shows."""
    return rule_applies(bool(before.gate_on), before.gate_tier) and before.gate_no_shows is not None and before.gate_months is not None


async def _gate(before: _FactsRow, member_id: int) -> Gate | None:
    """The no-show rule's answer for this member now, from the rule read with the event."""
    if not _gate_counts(before):
        return None
    assert before.gate_no_shows is not None and before.gate_months is not None
    count = await no_shows_since(member_id, window_start(_now(), before.gate_months))
    return Gate(count, before.gate_months) if gated(before.gate_no_shows, count) else None


_EVENT_NAMES = tuple(f for f in EventRow.__struct_fields__ if f not in ("min_tier_name", "min_tier_rank"))
# What an RSVP reads, as SQL written once (Piccolo built the joins again on every RSVP); the
# answer is served by the unique rsvp_key.
_EVENT_SQL = (
    "SELECT " + ", ".join(f"e.{f}" for f in _EVENT_NAMES) + ", t.name AS min_tier_name, t.rank AS min_tier_rank, "
    f"{SEATS_TAKEN_SQL} AS taken, "
    "x.id AS rsvp_id, x.status AS rsvp_status"
)
_LOCKED_SQL = (
    _EVENT_SQL + " FROM event e LEFT JOIN tier t ON t.id = e.min_tier LEFT JOIN rsvp x ON x.rsvp_key = {} WHERE e.id = {}"
)
# Before the lock also the club's no-show rule (events.no_show_gate: one row, or none) and
# whether it names the member's tier (no tiers named: every member), asked only when it is on.
_BEFORE_FROM = (
    ", m.status AS member_status, mt.rank AS member_tier_rank, mt.name AS member_tier_name, m.time_zone AS member_time_zone, "
    "g.enabled AS gate_on, g.no_shows AS gate_no_shows, g.months AS gate_months, "
    "CASE WHEN g.enabled THEN (NOT EXISTS (SELECT 1 FROM no_show_rule_tier gt) "
    "OR EXISTS (SELECT 1 FROM no_show_rule_tier gt WHERE gt.tier = m.tier)) END AS gate_tier "
    "FROM event e LEFT JOIN tier t ON t.id = e.min_tier LEFT JOIN rsvp x ON x.rsvp_key = {} "
    "LEFT JOIN member m ON m.id = {} LEFT JOIN tier mt ON mt.id = m.tier "
    f"LEFT JOIN no_show_rule g ON g.scope = '{CLUB_SCOPE}' WHERE e.id = {{}}"
)
_BEFORE_SQL = _EVENT_SQL + _BEFORE_FROM
# On PostgreSQL also the event's and its tier's rows as text, for the claim (`_claim_sql`) to compare.
_STAMP = "md5(e::text || coalesce(t::text, ''))"
_BEFORE_PG_SQL = _EVENT_SQL + f", {_STAMP} AS stamp" + _BEFORE_FROM
_COLUMNS = (
    "status", "guests", "seats", "created_at", "confirmed_at", "waitlisted_at", "tier_rank_at_join",
    "tier_name_at_join", "position_reason", "promoted_at", "cancelled_at", "cancelled_by", "gated_no_shows",
    "gated_months",
)
_INSERT_SQL = (
    "INSERT INTO rsvp (event, member, rsvp_key, " + ", ".join(_COLUMNS) + ") VALUES ("
    + ", ".join(["{}"] * (3 + len(_COLUMNS))) + ") RETURNING id"
)
_REOPEN_SQL = "UPDATE rsvp SET " + ", ".join(f"{c} = {{}}" for c in _COLUMNS) + " WHERE id = {}"

# On PostgreSQL, the seat is decided and written in one statement under the lock: the event
# read again (its row and its tier's, compared by their text with what was checked before the
# lock), its seats taken counted, and the RSVP and its message inserted only when nothing
# changed and the member still has no answer. A statement after the lock statement, so its
# snapshot sees every seat committed before the lock was ours. In parts: with a seat's
# reminders planned (`_claim_sql`), "the same" is also the event's steps as they were read.
_CLAIM_HEAD = f"WITH f AS MATERIALIZED (SELECT e.capacity, {_STAMP} = {{}} "
_CLAIM_FACTS = f"AS same, {SEATS_TAKEN_SQL} AS taken FROM event e LEFT JOIN tier t ON t.id = e.min_tier WHERE e.id = {{}}), "
# Or, in the statement that takes the event's lock itself (club.locking.row_lock_cte), the same
# facts read after the lock by club_seat_facts (events migration 2026-12-09T09), and the capacity
# as read before it (the event's row is compared whole).
_LOCKED_FACTS = (
    "f AS MATERIALIZED (SELECT {}::integer AS capacity, x.event_stamp = {} AND x.steps_stamp = {} AS same, "
    "x.seats_taken AS taken FROM locked, club_seat_facts(locked.id, {}) x), "
)
_CLAIM_WRITES = (
    # Materialized: the decision is read by each CASE below, and counted once.
    "d AS MATERIALIZED (SELECT {}::integer <= f.capacity - f.taken AND NOT {}::boolean AS confirmed, {}::boolean AS only_wait "
    "FROM f WHERE f.same AND NOT EXISTS (SELECT 1 FROM rsvp x WHERE x.rsvp_key = {})), "
    "r AS (INSERT INTO rsvp (event, member, rsvp_key, " + ", ".join(_COLUMNS) + ") "
    "SELECT {}::integer, {}::integer, {}::varchar, "
    f"CASE WHEN d.confirmed THEN '{RsvpStatus.confirmed.value}' ELSE '{RsvpStatus.waitlisted.value}' END, "
    "{}::integer, {}::integer, {}::timestamptz, "
    "CASE WHEN d.confirmed THEN {}::timestamptz END, CASE WHEN d.confirmed THEN NULL ELSE {}::timestamptz END, "
    "CASE WHEN d.confirmed THEN NULL ELSE {}::integer END, CASE WHEN d.confirmed THEN NULL ELSE {}::varchar END, "
    "CASE WHEN d.confirmed THEN '' ELSE {}::text END, NULL, NULL, NULL, {}::integer, {}::integer "
    "FROM d WHERE NOT (d.confirmed AND d.only_wait) "
    # Under the shared lock two requests of one member can both pass NOT EXISTS: the key lets
    # one in, the other writes nothing and is decided again under the ordinary lock.
    "ON CONFLICT (rsvp_key) DO NOTHING RETURNING id, status), "
    "o AS (INSERT INTO events_outbox (member, event, rsvp, kind, payload, created_at) "
    f"SELECT {{}}::integer, {{}}::integer, r.id, CASE WHEN r.status = '{RsvpStatus.confirmed.value}' THEN '{NoticeKind.confirmed.value}' "
    f"ELSE '{NoticeKind.waitlisted.value}' END, ({{}}::text || r.id || chr(125))::json, {{}}::timestamptz FROM r) "
)


@cache
def _claim_sql(ahead: str, *, planned: bool) -> str:
    """The claim (`_CLAIM_HEAD`, `_CLAIM_FACTS`, `_CLAIM_WRITES`) answering with the RSVP and, when waitlisted, how many wait ahead of it
    (`ahead`: `ahead_of_sql` of its party, naming its id `r.id`), counted among the places its
    snapshot sees, as `_position` would count them a moment later. `planned`: a seat's reminders
    are written too (events.reminders.new_seat), if the steps are those read before the lock."""
    if planned:
        head, tail = _CLAIM_HEAD + f"AND {STEPS_STAMP_SQL} = {{}} " + _CLAIM_FACTS + _CLAIM_WRITES, f", {REMINDERS_CTE} "
    else:
        head, tail = _CLAIM_HEAD + _CLAIM_FACTS + _CLAIM_WRITES, ""
    return (
        head + tail + f"SELECT r.id, r.status, CASE WHEN r.status = '{RsvpStatus.waitlisted.value}' "
        f"THEN ({_AHEAD_SQL}{ahead}) END AS ahead FROM r"
    )


@cache
def _locked_claim_sql(lock: str) -> str:
    """The claim of a seat with its reminders planned, taking the event's lock itself (`lock`:
    club.locking.row_lock_cte), so the lock and the decision are one round trip. A place on the
    waitlist comes without its count: the statement's snapshot predates the lock."""
    return f"WITH {lock}, " + _LOCKED_FACTS + _CLAIM_WRITES + f", {REMINDERS_CTE} SELECT r.id, r.status, NULL AS ahead FROM r"


async def _facts(sql: str, *values: Any) -> _FactsRow:
    rows = await fetch(sql, *values)
    if not rows:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": values[-1]})
    return row_as(_FactsRow, rows[0])


def _event_of(facts: _FactsRow, viewer: Principal | None) -> EventRow:
    """The event of `facts`, as `load_event` gives it: drafts exist only for coordinators."""
    if viewer is not None and not viewer.is_coordinator and facts.status == EventStatus.draft:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": facts.id})
    return EventRow(**{f: getattr(facts, f) for f in EventRow.__struct_fields__})


def _unchanged(before: _FactsRow, locked: _FactsRow) -> bool:
    """Whether what was checked before the lock still holds under it: the same event, and the
    member's answer where it stood (none, or cancelled)."""
    return (
        all(getattr(before, f) == getattr(locked, f) for f in EventRow.__struct_fields__)
        and (before.rsvp_id, before.rsvp_status) == (locked.rsvp_id, locked.rsvp_status)
    )


def _check_request(event: EventRow, guests: int, now: datetime) -> None:
    _refuse_if_closed(event, now)
    if guests > event.max_guests:
        allowed = "no guests" if event.max_guests == 0 else f"at most {event.max_guests} guests"
        raise InvalidInput("This event allows {allowed} per member.", max_guests=event.max_guests, text_values={"allowed": allowed})


def _refuse_if_ineligible(event: EventRow, facts: MemberFacts) -> None:
    reasons = ineligibility_reasons(event_facts(event), facts)
    if reasons:
        raise NotEligible("You are not eligible for this event: {reasons_text}.", reasons=reasons,
                          text_values={"reasons_text": SaidList(ineligibility_texts(event_facts(event), facts))})


async def _place(
    event: EventRow, member_id: int, key: str, guests: int, facts: MemberFacts, locked: _FactsRow, gate: Gate | None,
) -> RsvpRow:
    """Under the event lock, on facts checked before it and unchanged: the seat (or the place)
    decided on the seats taken just read, then the RSVP, its message and its reminders written."""
    now = _now()
    _refuse_if_closed(event, now)  # the lock may have been waited for past the close
    seats = 1 + guests
    confirmed = seats <= event.capacity - locked.taken and gate is None
    place = _placement(event, facts, confirmed, now, gate)
    values = _column_values(place, guests, seats, now)
    if locked.rsvp_id is None:
        rsvp_id = (await fetch(_INSERT_SQL, event.id, member_id, key, *values))[0]["id"]
    else:
        rsvp_id = locked.rsvp_id
        await fetch(_REOPEN_SQL, *values, rsvp_id)
    # The message of a new RSVP is named by where it stands.
    kind = NoticeKind.confirmed if confirmed else NoticeKind.waitlisted
    await notify(kind, event.id, [(member_id, rsvp_id)], event_payload(event, rsvp_id=rsvp_id))
    if confirmed or locked.rsvp_id is not None:
        # Its reminders commit with the seat; a reopened RSVP's old ones are brought in line.
        # A new waitlisted RSVP has none to plan or cancel.
        await follow_rsvps([rsvp_id])
    return _new_row(event, member_id, rsvp_id, guests, place, now)


def _column_values(place: dict[Any, Any], guests: int, seats: int, now: datetime) -> list[Any]:
    """`_placement`'s columns and the party's, in `_COLUMNS` order (`_INSERT_SQL`, `_REOPEN_SQL`)."""
    return [
        place[Rsvp.status], guests, seats, now, place[Rsvp.confirmed_at], place[Rsvp.waitlisted_at],
        place[Rsvp.tier_rank_at_join], place[Rsvp.tier_name_at_join], place[Rsvp.position_reason], None, None, None,
        place[Rsvp.gated_no_shows], place[Rsvp.gated_months],
    ]


def _new_row(event: EventRow, member_id: int, rsvp_id: int, guests: int, place: dict[Any, Any], now: datetime) -> RsvpRow:
    """The RSVP just written where `place` (`_placement`) put it, as a read of it would give it."""
    return RsvpRow(
        id=rsvp_id, event=event.id, status=RsvpStatus(place[Rsvp.status]), policy=event.waitlist_policy,
        member=member_id, guests=guests, seats=1 + guests, created_at=now, confirmed_at=place[Rsvp.confirmed_at],
        waitlisted_at=place[Rsvp.waitlisted_at], tier_rank_at_join=place[Rsvp.tier_rank_at_join],
        tier_name_at_join=place[Rsvp.tier_name_at_join], promoted_at=None, cancelled_at=None,
        gated_no_shows=place[Rsvp.gated_no_shows], gated_months=place[Rsvp.gated_months],
    )


def _wait_in_one_hop(
    event: EventRow, member_id: int, key: str, guests: int, facts: MemberFacts, before: _FactsRow,
    connection: sqlite3.Connection,
) -> tuple[RsvpRow, int] | None:
    """On SQLite, for an event full when `before` was read: the member's place on its waitlist,
    its message and its position, written and counted in the writer's thread within one
    transaction (club.db.write_in_one_hop), so the write lock is held for four statements and
    no turn of the event loop. None, having written nothing, when a seat is free now or what was
    checked before changed: the answer is then decided the ordinary way. A new waitlisted RSVP
    has no reminders to plan; the count sees every place taken before it, as promotion will."""
    now = _now()
    _refuse_if_closed(event, now)  # the writer may have been waited for past the close
    rows = connection.execute(compiled(_LOCKED_SQL), (key, event.id)).fetchall()
    locked = row_as(_FactsRow, rows[0]) if rows else None
    seats = 1 + guests
    if locked is None or not _unchanged(before, locked) or seats <= event.capacity - locked.taken:
        return None
    place = _placement(event, facts, False, now)
    written = connection.execute(compiled(_INSERT_SQL), (event.id, member_id, key, *_column_values(place, guests, seats, now)))
    rsvp_id = written.fetchone()["id"]
    notice, values = notice_insert(NoticeKind.waitlisted, event.id, member_id, rsvp_id, event_payload(event, rsvp_id=rsvp_id))
    connection.execute(compiled(notice), values)
    ahead, ahead_values = ahead_of_sql(event.waitlist_policy, Waiting(rsvp_id, seats, now, facts.tier_rank))
    count = connection.execute(compiled(_AHEAD_SQL + ahead), (event.id, *ahead_values)).fetchone()["ahead"]
    return _new_row(event, member_id, rsvp_id, guests, place, now), int(count) + 1


async def _decide(
    event_id: int, member_id: int, guests: int, viewer: Principal, through: str | None, gate: Gate | None,
) -> tuple[int, bool]:
    """The RSVP decision, all of it under the event lock: (RSVP id, whether anything was
    written). Taken when what `rsvp` checked before the lock changed meanwhile."""
    key = f"{event_id}:{member_id}"
    event = await load_event(event_id, viewer)
    _refuse_if_booked_elsewhere(event, through)
    existing = await Rsvp.select(Rsvp.id, Rsvp.status).where(Rsvp.rsvp_key == key).first()
    if existing is not None and existing["status"] != RsvpStatus.cancelled.value:
        return existing["id"], False
    now = _now()
    _check_request(event, guests, now)
    facts = await member_facts(member_id, event)
    _refuse_if_ineligible(event, facts)
    seats = 1 + guests
    confirmed = seats <= event.capacity - await seats_taken(event_id) and gate is None
    values = _placement(event, facts, confirmed, now, gate)
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


async def _claim(
    event: EventRow, member_id: int, key: str, guests: int, facts: MemberFacts, before: _FactsRow, gate: Gate | None,
    steps: SeatSteps | None, *, waitlist_only: bool = False, takes_lock: bool = False,
) -> tuple[RsvpRow, int | None] | None:
    """`_place` for a member with no answer yet, on PostgreSQL, in one statement (`_claim_sql`):
    the RSVP and its waitlist position (None for a seat); None when the event changed since
    `before` or an answer appeared (nothing was written), and with `waitlist_only` (under the
    shared lock) also when a seat would be theirs. With the event's `steps` read before the lock,
    a seat's reminders are written by the same statement (None too when the steps changed).
    `takes_lock`: the caller has not locked the event; this is the transaction's first lock, taken
    by that statement (club.locking.row_lock_cte) or else by `lock_objects` first."""
    now = _now()
    # The lock may have been waited for past the close; one the statement takes itself is waited
    # for after this moment, which is then when the member asked.
    _refuse_if_closed(event, now)
    seats = 1 + guests
    waiting = _placement(event, facts, False, now, gate)  # where they stand should the statement waitlist them
    reason = waiting[Rsvp.position_reason]
    payload = dump_json(event_payload(event))
    head = payload[:-1] + ', "rsvp_id": '  # the RSVP's id and the closing brace (chr(125)) are added in SQL
    ahead, ahead_values = ahead_of_sql(event.waitlist_policy, Waiting(0, seats, now, facts.tier_rank), id_sql="r.id")
    zone = before.member_time_zone
    planned = steps is not None and zone is not None and not waitlist_only
    steps_check: list[Any] = []
    reminders: list[Any] = []
    if planned:
        assert steps is not None and zone is not None
        steps_check = [event.id, event.kind.value, steps.stamp]
        plan = reminder_values(event, steps.steps, member_id, zone, now)
        reminders = [event.id, member_id, event.version, now, now, plan.steps, plan.channels, plan.due_at, plan.statuses, plan.reasons]
    writes = [
        seats, gate is not None, waitlist_only, key,
        event.id, member_id, key, guests, seats, now, now, now, facts.tier_rank, facts.tier_name, reason,
        gate.no_shows if gate else None, gate.months if gate else None,
        member_id, event.id, head, now, *reminders,
    ]
    lock = row_lock_cte(Event) if takes_lock and planned else None
    if takes_lock and lock is None:  # locking off, or no zone to plan for: the lock as it is taken otherwise
        await lock_objects((Event, event.id))
    if lock is not None:
        assert steps is not None
        async with statement_locking():
            rows = await fetch(_locked_claim_sql(lock), [event.id], event.capacity, before.stamp, steps.stamp, event.kind.value, *writes)
    else:
        rows = await fetch(_claim_sql(ahead, planned=planned), before.stamp, *steps_check, event.id, *writes, event.id, *ahead_values)
    if not rows:
        return None
    rsvp_id, status = rows[0]["id"], RsvpStatus(rows[0]["status"])
    position = None if rows[0]["ahead"] is None else int(rows[0]["ahead"]) + 1
    place = waiting
    if status == RsvpStatus.confirmed:
        place = _placement(event, facts, True, now, gate)
        if not planned:
            await follow_rsvps([rsvp_id])  # its reminders commit with the seat
    return _new_row(event, member_id, rsvp_id, guests, place, now), position


def _placement(
    event: EventRow, member: MemberFacts, confirmed: bool, now: datetime, gate: Gate | None = None,
) -> dict[Any, Any]:
    """Columns that say where a new RSVP stands: its seat, or its place and why (the no-show
    rule's reason too, when it closed the seat)."""
    base: dict[Any, Any] = {
        Rsvp.promoted_at: None, Rsvp.cancelled_at: None, Rsvp.cancelled_by: None,
        Rsvp.gated_no_shows: gate.no_shows if gate else None, Rsvp.gated_months: gate.months if gate else None,
    }
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
    ahead, values = ahead_of_sql(row.policy, party)
    rows = await fetch(_AHEAD_SQL + ahead, row.event, *values)
    return int(rows[0]["ahead"]) + 1


_AHEAD_SQL = f"SELECT COUNT(*) AS ahead FROM rsvp WHERE event = {{}} AND status = '{RsvpStatus.waitlisted.value}' AND "


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
        gate_reason=said_text(language, gate_text(row.gated_no_shows, row.gated_months))
        if waitlisted and row.gated_no_shows is not None and row.gated_months is not None else None,
    )
