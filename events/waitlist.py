"""The waitlist: who is waiting in policy order, and promotion into freed seats.

`fill_from_waitlist()` runs inside the transaction that freed seats (a cancellation, a
capacity increase), after locking the event (`club.locking.lock_objects`), so seats are counted and given in one step.
"""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count

from club import clock
from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.errors import said_text
from club.i18n.languages import Language
from club.rows import rows_as
from events.outbox import NoticeKind, event_payload, notify_each
from events.reminders.scheduling import follow_rsvps
from events.rows import EventRow, WaitingRow
from events.rules import WAITLIST_ORDER, Waiting, order_waitlist, position_reason_text, waitlist_promotions
from events.schemas import WaitlistEntryOut
from events.seats import seats_taken
from events.tables import EventStatus, Rsvp, RsvpStatus, WaitlistPolicy, WaitlistSkip

__all__ = ["ahead_of_sql", "fill_from_waitlist", "ordered_waitlist", "waitlist_entries"]

# The RSVP column each `Waiting` field of the waitlist order is read from.
_ORDER_COLUMN_NAMES: dict[str, str] = {
    "rsvp_id": Rsvp.id._meta.db_column_name,
    "joined_at": Rsvp.waitlisted_at._meta.db_column_name,
    "tier_rank": Rsvp.tier_rank_at_join._meta.db_column_name,
}


def ahead_of_sql(policy: WaitlistPolicy, party: Waiting, *, id_sql: str | None = None) -> tuple[str, list[Any]]:
    """The condition on `rsvp` rows "stands ahead of `party`" in the waitlist, as plain SQL with
    `{}` placeholders and their values in order (a waitlisted RSVP asks it on every answer),
    built from the same `events.rules.WAITLIST_ORDER` that `order_waitlist` sorts by: a row is
    ahead when it equals `party` on the first terms and comes before it on the next. `id_sql`:
    the party's id as an SQL expression, for a statement that has only just inserted it."""
    ahead: str | None = None
    same_so_far: str | None = None
    values: list[Any] = []  # the values of `ahead`, in the order of its placeholders
    same_values: list[Any] = []  # the values of `same_so_far`
    for term in WAITLIST_ORDER[WaitlistPolicy(policy)]:
        column, value = _ORDER_COLUMN_NAMES[term.field], getattr(party, term.field)
        before: str | None
        before_values: list[Any] = []
        this_same: list[Any]
        if term.field == "rsvp_id" and id_sql is not None:
            before, same, this_same = f"{column} {'>' if term.descending else '<'} {id_sql}", f"{column} = {id_sql}", []
        elif value is None:
            before = f"{column} IS NOT NULL" if term.nulls_last else None
            same, this_same = f"{column} IS NULL", []
        else:
            before, before_values = f"{column} {'>' if term.descending else '<'} {{}}", [value]
            if not term.nulls_last:
                before = f"({before} OR {column} IS NULL)"
            same, this_same = f"{column} = {{}}", [value]
        if before is not None:
            clause = before if same_so_far is None else f"{same_so_far} AND {before}"
            clause_values = before_values if same_so_far is None else [*same_values, *before_values]
            ahead = f"({clause})" if ahead is None else f"{ahead} OR ({clause})"
            values += clause_values
        same_so_far = same if same_so_far is None else f"{same_so_far} AND {same}"
        same_values = [*same_values, *this_same]
    assert ahead is not None  # every order ends with the RSVP id, which is never null
    return f"({ahead})", values


async def ordered_waitlist(event_id: int, policy: WaitlistPolicy) -> list[tuple[Waiting, WaitingRow]]:
    """Waitlisted RSVPs of the event in promotion order, each with its row."""
    rows = rows_as(WaitingRow, await Rsvp.select(
        Rsvp.id,
        Rsvp.event,
        Rsvp.member,
        Rsvp.member.name.as_alias("member_name"),
        Rsvp.guests,
        Rsvp.seats,
        Rsvp.waitlisted_at,
        Rsvp.tier_rank_at_join,
        Rsvp.tier_name_at_join,
    ).where((Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.waitlisted.value)))
    by_id = {r.id: r for r in rows}
    entries = [Waiting(r.id, r.seats, r.waitlisted_at, r.tier_rank_at_join) for r in rows]
    return [(w, by_id[w.rsvp_id]) for w in order_waitlist(policy, entries)]


async def fill_from_waitlist(event: EventRow) -> list[int]:
    """Promote waiting parties into the free seats, in policy order, never overbooking.

    Records every party passed over because it did not fit. Returns the promoted RSVP ids.
    Call inside the write transaction, after locking the event.
    """
    now = clock.now()
    if event.status != EventStatus.published or now >= event.starts_at:
        return []
    free = event.capacity - await seats_taken(event.id)
    if free <= 0:
        return []
    waiting = await ordered_waitlist(event.id, event.waitlist_policy)
    decision = waitlist_promotions(free, [w for w, _ in waiting])
    if not decision.promoted:
        return []
    promoted_ids = [w.rsvp_id for w in decision.promoted]
    await Rsvp.update(
        {Rsvp.status: RsvpStatus.confirmed.value, Rsvp.confirmed_at: now, Rsvp.promoted_at: now}
    ).where(Rsvp.id.is_in(promoted_ids) & (Rsvp.status == RsvpStatus.waitlisted.value))
    await follow_rsvps(promoted_ids, now)  # reminders from the moment of promotion
    members = {w.rsvp_id: row.member for w, row in waiting}
    # One message each (its payload names the RSVP, and delivery is per member), in one statement.
    await notify_each(
        NoticeKind.promoted, event.id, [(members[r], r, event_payload(event, rsvp_id=r)) for r in promoted_ids]
    )
    if decision.skipped:
        await WaitlistSkip.insert(
            *[
                WaitlistSkip(event=event.id, rsvp=w.rsvp_id, seats_needed=w.seats, seats_free=free, created_at=now)
                for w in decision.skipped
            ]
        )
    return promoted_ids


async def waitlist_entries(
    event_id: int, policy: WaitlistPolicy, viewer: Principal, language: Language = Language.en
) -> list[WaitlistEntryOut]:
    """The waitlist as a coordinator reads it: position, who, and why they stand there (in `language`).
    It names other members: anyone but a coordinator gets 404."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    waiting = await ordered_waitlist(event_id, policy)
    skips = await WaitlistSkip.select(WaitlistSkip.rsvp, Count(WaitlistSkip.id, alias="n")).where(
        WaitlistSkip.event == event_id
    ).group_by(WaitlistSkip.rsvp)
    skipped = {s["rsvp"]: s["n"] for s in skips}
    return [
        WaitlistEntryOut(
            position=i,
            rsvp_id=w.rsvp_id,
            member_id=row.member,
            member_name=row.member_name,
            guests=row.guests,
            seats=row.seats,
            tier_at_join=row.tier_name_at_join,
            tier_rank_at_join=row.tier_rank_at_join,
            joined_at=row.waitlisted_at,
            # Said under the current policy (it may have changed since they joined).
            reason=said_text(language, position_reason_text(policy, row.tier_name_at_join, row.tier_rank_at_join, row.waitlisted_at)),
            times_skipped=skipped.get(w.rsvp_id, 0),
        )
        for i, (w, row) in enumerate(waiting, start=1)
    ]
