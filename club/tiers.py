"""Tier services: the ladder, promotion after a points change, the queue for capped tiers, review.

Lock order, everywhere: the member row first, then the whole ladder. A promotion that must
count a tier's holders holds the ladder lock, so two members never take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from club import clock
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound, Said
from club.ledger import balances_of
from club.locking import lock_objects
from club.rows import Row, row_as, rows_as
from club.schemas import TierUpdate, to_dict
from club.seat_holders import members_holding_a_seat
from club.spend.figures import rolling_spend, rolling_spends
from club.spend.rules import is_known_currency
from club.tables import Member, Tier
from club.tier_rules import (
    NO_SPEND,
    LadderError,
    Queued,
    Rung,
    Spend,
    asks_spend,
    check_ladder,
    earned_rung,
    grant_queued,
    may_reach_a_tier,
    qualifies,
    rank_of,
    review,
    tier_promotion,
)

__all__ = [
    "TierChange",
    "add_tier",
    "holder_counts",
    "load_ladder",
    "reevaluate_member",
    "review_tiers",
    "update_tier",
]


@dataclass(frozen=True, slots=True)
class TierChange:
    member_id: int
    old: str | None
    new: str | None


class StandingRow(Row, frozen=True):
    """A member's tier and the capped tier they wait for, as ids."""

    id: int
    tier: int | None
    queued_tier: int | None


class _HoldersRow(Row, frozen=True):
    tier: int
    n: int


_STANDING = (Member.id, Member.tier, Member.queued_tier)


async def load_ladder() -> list[Rung]:
    """The ladder, lowest rank first (a Rung is the tier row as the rules read it)."""
    return rows_as(Rung, await Tier.select(
        Tier.id, Tier.name, Tier.rank, Tier.points_threshold, Tier.member_cap, Tier.spend_threshold, Tier.spend_currency
    ).order_by(Tier.rank))


async def spend_of(member_id: int, ladder: list[Rung]) -> Spend:
    """The member's rolling twelve months' spend per currency, read only when a tier asks one."""
    if not asks_spend(ladder):
        return NO_SPEND
    return {t.currency: t.amount_minor for t in (await rolling_spend(member_id)).totals}


async def _lock_ladder(ladder: list[Rung]) -> None:
    """The ladder after the member row (club.locking's order): a promotion is decided under both."""
    await lock_objects((Tier, [r.id for r in ladder]))


async def _lock_everyone_and_the_ladder(ladder: list[Rung]) -> None:
    """Every member, then the ladder, in one call: a ladder change or a review re-decides
    every member's tier, so it holds them all, in the order a single promotion takes them."""
    members = [m["id"] for m in await Member.select(Member.id).order_by(Member.id)]
    await lock_objects((Member, members), (Tier, [r.id for r in ladder]))


async def holder_counts() -> dict[int, int]:
    rows = await Member.select(Member.tier, Count(Member.id, alias="n")).where(
        Member.tier.is_not_null()
    ).group_by(Member.tier)
    return {r.tier: r.n for r in rows_as(_HoldersRow, rows)}


def _name(rung: Rung | None) -> str | None:
    return None if rung is None else rung.name


def _by_id(ladder: list[Rung], tier_id: int | None) -> Rung | None:
    return next((r for r in ladder if r.id == tier_id), None)


# Whether a balance may lift the member, in one statement: the lowest threshold among the tiers
# above theirs, and whether they wait for a capped tier. Most points change no tier (an admission
# rarely promotes), and then the ladder need not be read at all.
_WITHIN_REACH_SQL = (
    "SELECT m.queued_tier, (SELECT MIN(t.points_threshold) FROM tier t WHERE t.rank > "
    "COALESCE((SELECT c.rank FROM tier c WHERE c.id = m.tier), -1)) AS next_threshold "
    "FROM member m WHERE m.id = {}"
)


class _ReachRow(Row, frozen=True):
    queued_tier: int | None
    next_threshold: int | None


async def reevaluate_member(member_id: int, balance: int) -> TierChange | None:
    """Promote the member if `balance` earns it; call inside the write transaction that
    changed their points, after locking the member row. Returns the change, if any."""
    reach = await Member.raw(_WITHIN_REACH_SQL, member_id)
    if not reach:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    within = row_as(_ReachRow, reach[0])
    if not may_reach_a_tier(balance, within.next_threshold, within.queued_tier is not None):
        # No tier above theirs is reached (earned_rung would rank no higher than their own).
        return None
    ladder = await load_ladder()
    found = await Member.select(*_STANDING).where(Member.id == member_id).first()
    if found is None:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    row = row_as(StandingRow, found)
    current = _by_id(ladder, row.tier)
    spend = await spend_of(member_id, ladder)
    earned = earned_rung(ladder, balance, spend)
    if rank_of(earned) <= rank_of(current):
        queued = _by_id(ladder, row.queued_tier)
        if queued is not None and queued.rank > rank_of(earned):
            # Points fell below the tier they were waiting for: they wait no longer.
            await Member.update({Member.queued_tier: None, Member.queued_at: None}).where(
                Member.id == member_id
            )
        return None
    await _lock_ladder(ladder)
    decision = tier_promotion(ladder, current, balance, await holder_counts(), spend)
    values: dict = {Member.tier: decision.tier.id if decision.tier else None}
    if decision.queued_for is None:
        values.update({Member.queued_tier: None, Member.queued_at: None})
    elif row.queued_tier != decision.queued_for.id:
        values.update({Member.queued_tier: decision.queued_for.id, Member.queued_at: clock.now()})
    await Member.update(values).where(Member.id == member_id)
    if not decision.changed_from(current):
        return None
    if current is not None and current.member_cap is not None:
        # They left a capped tier: the place is free now, for whoever waits for it longest.
        await _grant_freed_places(ladder)
    return TierChange(member_id, _name(current), _name(decision.tier))


async def _grant_freed_places(ladder: list[Rung]) -> list[TierChange]:
    queued = rows_as(StandingRow, await Member.select(*_STANDING).where(
        Member.queued_tier.is_not_null()
    ).order_by(Member.queued_at).order_by(Member.id))
    queue = [
        Queued(member_id=q.id, current=_by_id(ladder, q.tier), queued_for=rung)
        for q in queued
        if (rung := _by_id(ladder, q.queued_tier)) is not None
    ]
    changes = []
    for member_id, rung in grant_queued(await holder_counts(), queue):
        old = next(q.current for q in queue if q.member_id == member_id)
        await Member.update(
            {Member.tier: rung.id, Member.queued_tier: None, Member.queued_at: None}
        ).where(Member.id == member_id)
        changes.append(TierChange(member_id, _name(old), rung.name))
    return changes


async def _promote_everyone(ladder: list[Rung]) -> list[TierChange]:
    """After the ladder changed, give every member what their points now earn (no demotion)."""
    balances = await balances_of(None)
    members = [m["id"] for m in await Member.select(Member.id).order_by(Member.id)]
    changes = []
    for member_id in members:
        change = await reevaluate_member(member_id, balances.get(member_id, 0))
        if change:
            changes.append(change)
    changes.extend(await _grant_freed_places(ladder))
    return changes


def _validate(ladder: list[Rung]) -> None:
    for rung in ladder:
        if rung.spend_threshold is not None and not is_known_currency(rung.spend_currency):
            raise InvalidInput("{currency} is not a currency code (ISO 4217, such as CNY).",
                               text_values={"currency": rung.spend_currency or "?"})
    try:
        check_ladder(ladder)
    except LadderError as exc:
        raise InvalidInput("The tier ladder would be invalid: {problem}.", text_values={"problem": exc.said}) from exc


async def add_tier(
    name: str, rank: int, points_threshold: int, member_cap: int | None,
    spend_threshold: int | None = None, spend_currency: str = "",
) -> Rung:
    spend_currency = spend_currency.upper() if spend_threshold is not None else ""
    async with write_transaction():
        ladder = await load_ladder()
        await _lock_everyone_and_the_ladder(ladder)
        _validate([*ladder, Rung(0, name, rank, points_threshold, member_cap, spend_threshold, spend_currency)])
        row = (
            await Tier.insert(
                Tier(name=name, rank=rank, points_threshold=points_threshold, member_cap=member_cap,
                     spend_threshold=spend_threshold, spend_currency=spend_currency)
            ).returning(Tier.id)
        )[0]
        await _promote_everyone(await load_ladder())
    return Rung(row["id"], name, rank, points_threshold, member_cap, spend_threshold, spend_currency)


async def update_tier(tier_id: int, changes: TierUpdate) -> Rung:
    """Rename, move a threshold or a cap (the fields the PATCH set). Lowering a cap below its
    holders is refused: nobody loses a tier they hold because a setting changed; reviews do that."""
    async with write_transaction():
        ladder = await load_ladder()
        await _lock_everyone_and_the_ladder(ladder)
        current = _by_id(ladder, tier_id)
        if current is None:
            raise NotFound("Tier {tier_id} does not exist.", text_values={"tier_id": tier_id})
        updated = replace(current, **to_dict(changes))  # TierUpdate's fields are Rung's
        updated = replace(updated, spend_currency=updated.spend_currency.upper() if updated.spend_threshold is not None else "")
        _validate([updated if r.id == tier_id else r for r in ladder])
        holding = (await holder_counts()).get(tier_id, 0)
        if updated.member_cap is not None and updated.member_cap < holding:
            raise Conflict(
                # The tier's name as the reader's language writes it (金卡), as the ladder's refusals do.
                "{tier} is held by {holders} members; its cap cannot go below that.", text_values={"tier": Said(current.name)},
                holders=holding,
            )
        await Tier.update(
            {
                Tier.name: updated.name,
                Tier.points_threshold: updated.points_threshold,
                Tier.member_cap: updated.member_cap,
                Tier.spend_threshold: updated.spend_threshold,
                Tier.spend_currency: updated.spend_currency,
            }
        ).where(Tier.id == tier_id)
        await _promote_everyone(await load_ladder())
    return updated


async def review_tiers(now: datetime) -> list[TierChange]:
    """The review date: lower every member to what their points (and spend) support, except members
    holding a seat at an event under way; then hand freed places in capped tiers to the queue."""
    async with write_transaction():
        ladder = await load_ladder()
        members = rows_as(StandingRow, await Member.select(*_STANDING).order_by(Member.id))
        await lock_objects((Member, [m.id for m in members]), (Tier, [r.id for r in ladder]))
        balances = await balances_of(None)
        spends = await rolling_spends(now) if asks_spend(ladder) else {}
        protected = await members_holding_a_seat(now)
        changes: list[TierChange] = []
        for m in members:
            current = _by_id(ladder, m.tier)
            points = balances.get(m.id, 0)
            spend = spends.get(m.id, NO_SPEND)
            kept = review(ladder, current, points, m.id in protected, spend)
            values: dict = {}
            if rank_of(kept) != rank_of(current):
                values[Member.tier] = kept.id if kept else None
                changes.append(TierChange(m.id, _name(current), _name(kept)))
            queued = _by_id(ladder, m.queued_tier)
            if queued is not None and not qualifies(queued, points, spend):
                values.update({Member.queued_tier: None, Member.queued_at: None})
            if values:
                await Member.update(values).where(Member.id == m.id)
        changes.extend(await _grant_freed_places(ladder))
    return changes
