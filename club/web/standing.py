"""A member's standing as their pages show it: tier, points, the way to the next tier and what
the club's ladder holds (the home page and the points page both read it)."""

from __future__ import annotations

from dataclasses import dataclass

from club.honours.next_tier import next_tier_of
from club.honours.rules import NextTier, NextTierState, tier_progress
from club.ledger import balance_of
from club.tables import Member
from club.tier_rules import Rung
from club.tiers import load_ladder

__all__ = ["Standing", "standing_of"]


@dataclass(frozen=True, slots=True)
class Standing:
    name: str
    time_zone: str
    tier: str | None
    points: int
    next_tier: str | None
    points_to_next: int
    # The points are there, and the next tier is full: the member waits for a place in it (club.honours.next_tier).
    queued: bool
    # The way to the next tier as the shared rule says it (its points and any yearly spend it asks).
    nearest: NextTier
    # How far from the current tier's threshold to the next's, and to its spend where it asks one: 0-100.
    progress_percent: int
    ladder: tuple[Rung, ...]


async def standing_of(member_id: int) -> Standing:
    row = await Member.select(
        Member.name, Member.time_zone, Member.tier.name.as_alias("tier_name"), Member.tier.rank.as_alias("tier_rank"),
    ).where(Member.id == member_id).first()
    assert row is not None  # a signed-in member's own row
    points = await balance_of(member_id)
    ladder = tuple(sorted(await load_ladder(), key=lambda r: r.rank))
    rank = row["tier_rank"] or 0
    here = next((r for r in ladder if r.rank == rank), None)
    above = next((r for r in ladder if r.rank > rank), None)
    floor = here.points_threshold if here else 0
    # The points still needed, as every page that shows a balance says them.
    nearest = await next_tier_of(member_id)
    assert nearest is not None
    return Standing(
        name=str(row["name"]), time_zone=str(row["time_zone"]), tier=row["tier_name"], points=points,
        next_tier=nearest.tier, points_to_next=nearest.points, queued=nearest.state is NextTierState.queued,
        nearest=nearest, progress_percent=tier_progress(floor, above.points_threshold if above else None, points, nearest),
        ladder=ladder,
    )
