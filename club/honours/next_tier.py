"""The points a member still needs for the next tier, wherever a balance is shown: one function
(club.honours.rules.next_tier) over the ladder (club.tiers.load_ladder) and the member's row, with
their rolling twelve months' spend (club.spend.figures, one statement) where the next tier asks one."""

from __future__ import annotations

from collections.abc import Iterable

from club.honours.rules import NextTier, TierStep, next_tier, next_tier_asks_spend
from club.rows import Row, rows_as
from club.spend.figures import rolling_spends_of
from club.tables import Member
from club.tiers import load_ladder

__all__ = ["next_tier_of", "next_tiers_of"]


class _StandingRow(Row, frozen=True):
    id: int
    points_balance: int
    tier_rank: int | None
    queued_rank: int | None


async def next_tiers_of(member_ids: Iterable[int]) -> dict[int, NextTier]:
    """{member id: their next tier}, for the members that exist among `member_ids`."""
    ids = list(member_ids)
    if not ids:
        return {}
    rows = rows_as(_StandingRow, await Member.select(
        Member.id, Member.points_balance, Member.tier.rank.as_alias("tier_rank"),
        Member.queued_tier.rank.as_alias("queued_rank"),
    ).where(Member.id.is_in(ids)))
    ladder = [TierStep(r.name, r.rank, r.points_threshold, r.spend_threshold, r.spend_currency) for r in await load_ladder()]
    asking = [r.id for r in rows if next_tier_asks_spend(ladder, r.tier_rank, r.queued_rank)]
    spends = await rolling_spends_of(asking)
    return {r.id: next_tier(ladder, r.tier_rank, r.queued_rank, r.points_balance, spends.get(r.id)) for r in rows}


async def next_tier_of(member_id: int) -> NextTier | None:
    """The member's next tier; None for no such member."""
    return (await next_tiers_of([member_id])).get(member_id)
