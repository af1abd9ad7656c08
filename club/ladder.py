"""The tier ladder a new club starts with (Silver < Gold < Platinum < Diamond).

The seeding migration writes a copy of these values, never an import of them: a migration must
replay the same way forever, while this module may change. A test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from club.tier_rules import Rung

__all__ = ["DEFAULT_LADDER", "LadderTier", "rungs_of"]


@dataclass(frozen=True, slots=True)
class LadderTier:
    """One tier of a ladder before it is stored: no id yet."""

    name: str
    rank: int
    points_threshold: int
    member_cap: int | None = None


DEFAULT_LADDER: tuple[LadderTier, ...] = (
    LadderTier("Silver", rank=1, points_threshold=0),
    LadderTier("Gold", rank=2, points_threshold=1_000),
    LadderTier("Platinum", rank=3, points_threshold=5_000),
    LadderTier("Diamond", rank=4, points_threshold=15_000, member_cap=25),
)


def rungs_of(ladder: tuple[LadderTier, ...]) -> list[Rung]:
    """The ladder as the tier rules read it; each rung's id is its rank, as nothing is stored."""
    return [Rung(t.rank, t.name, t.rank, t.points_threshold, t.member_cap) for t in ladder]
