"""Pure tier decisions: which tier points (and spend) earn, promotion under caps, and the review downgrade.

A tier is earned by its points threshold AND, where it sets one, its yearly spend: the rolling
twelve months' purchases less refunds in the tier's currency (club.spend.figures), in minor units.
Spend in another currency is not converted (the club keeps no exchange rates): it does not count.

No I/O here: the services load the ladder and counts, call these, and write what they return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType

from club.errors import Said, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language

__all__ = [
    "NO_SPEND",
    "LadderError",
    "Promotion",
    "Queued",
    "Rung",
    "Spend",
    "asks_spend",
    "check_ladder",
    "earned_rung",
    "grant_queued",
    "may_reach_a_tier",
    "qualifies",
    "rank_of",
    "review",
    "tier_promotion",
]


class LadderError(ValueError):
    """A ladder that cannot be climbed: duplicate names or ranks, thresholds out of order.
    `said` is the reason as a catalog text with its values (a refusal translates it)."""

    def __init__(self, message: str, **values: object) -> None:
        self.said = Said(message, values)
        super().__init__(said_text(Language.en, self.said))


@dataclass(frozen=True, slots=True)
class Rung:
    id: int
    name: str
    rank: int
    points_threshold: int
    member_cap: int | None = None
    spend_threshold: int | None = None  # minor units of spend_currency over twelve months; None: none asked
    spend_currency: str = ""


# A member's rolling twelve months' spend per currency, in minor units ({"CNY": 12_800_00}).
Spend = Mapping[str, int]
NO_SPEND: Spend = MappingProxyType({})


def qualifies(rung: Rung, points: int, spend: Spend) -> bool:
    """Whether points and spend earn the rung: its points threshold, and its spend where it asks one."""
    if points < rung.points_threshold:
        return False
    return rung.spend_threshold is None or spend.get(rung.spend_currency, 0) >= rung.spend_threshold


def asks_spend(ladder: Sequence[Rung]) -> bool:
    return any(r.spend_threshold is not None for r in ladder)


def may_reach_a_tier(balance: int, next_threshold: int | None, waiting: bool) -> bool:
    """The one fast test before any promotion is decided: False says for certain that `balance` lifts
    the member to no tier. `next_threshold` is the lowest points threshold among the tiers above
    theirs (None at the top); `waiting`, whether they wait for a capped tier. Spend only ever adds a
    condition to a tier (points AND spend), so points below every higher threshold reach nothing
    whatever the spend; at or above it, the full decision (with the spend) runs."""
    return waiting or (next_threshold is not None and balance >= next_threshold)


@dataclass(frozen=True, slots=True)
class Promotion:
    """What a points change does to a member's tier.

    `tier` is the tier to hold now (unchanged when nothing changes); `queued_for` is the
    capped tier the member earned but could not enter, to be granted when a place frees.
    """

    tier: Rung | None
    queued_for: Rung | None

    def changed_from(self, current: Rung | None) -> bool:
        return _id(self.tier) != _id(current)


def _id(rung: Rung | None) -> int | None:
    return None if rung is None else rung.id


def rank_of(rung: Rung | None) -> int:
    """A rung's rank; no tier at all ranks below every rung."""
    return -1 if rung is None else rung.rank


def check_ladder(ladder: Sequence[Rung]) -> None:
    """Raise LadderError unless ranks and names are unique and thresholds rise with rank."""
    ordered = sorted(ladder, key=lambda r: r.rank)
    if len({r.rank for r in ordered}) != len(ordered):
        raise LadderError(N_("two tiers share a rank"))
    if len({r.name.casefold() for r in ordered}) != len(ordered):
        raise LadderError(N_("two tiers share a name"))
    for lower, higher in pairwise(ordered):
        if higher.points_threshold <= lower.points_threshold:
            raise LadderError(
                N_("{higher} must need more points than {lower} ({higher_points} <= {lower_points})"),
                higher=Said(higher.name), lower=Said(lower.name),
                higher_points=higher.points_threshold, lower_points=lower.points_threshold,
            )
    for rung in ordered:
        if rung.points_threshold < 0:
            raise LadderError(N_("{tier} has a negative threshold"), tier=Said(rung.name))
        if rung.member_cap is not None and rung.member_cap < 0:
            raise LadderError(N_("{tier} has a negative cap"), tier=Said(rung.name))
        if rung.spend_threshold is not None and (rung.spend_threshold < 0 or not rung.spend_currency):
            raise LadderError(N_("{tier} asks a spend without a currency or below zero"), tier=Said(rung.name))


def earned_rung(ladder: Sequence[Rung], points: int, spend: Spend = NO_SPEND) -> Rung | None:
    """The highest tier the points and spend qualify for (`qualifies`); None below them all.
    Without `spend` a tier that asks one is not earned."""
    reached = [r for r in ladder if qualifies(r, points, spend)]
    return max(reached, key=lambda r: r.rank, default=None)


def _has_room(rung: Rung, holders: Mapping[int, int]) -> bool:
    return rung.member_cap is None or holders.get(rung.id, 0) < rung.member_cap


def tier_promotion(
    ladder: Sequence[Rung],
    current: Rung | None,
    points: int,
    holders: Mapping[int, int],
    spend: Spend = NO_SPEND,
) -> Promotion:
    """Promote at once when points cross a threshold; never demote (that waits for review).

    If the earned tier is at its cap, the member climbs to the highest tier below it that has
    room (if that is still a climb) and is queued for the earned one. `holders` counts the
    members currently holding each tier id, the member themself included where they hold one.
    """
    earned = earned_rung(ladder, points, spend)
    if rank_of(earned) <= rank_of(current):
        return Promotion(tier=current, queued_for=None)
    assert earned is not None
    if _has_room(earned, holders):
        return Promotion(tier=earned, queued_for=None)
    climbable = [
        r
        for r in ladder
        if rank_of(current) < r.rank < earned.rank and _has_room(r, holders)
    ]
    best = max(climbable, key=lambda r: r.rank, default=current)
    return Promotion(tier=best, queued_for=earned)


def review(
    ladder: Sequence[Rung],
    current: Rung | None,
    points: int,
    holds_seat_now: bool,
    spend: Spend = NO_SPEND,
) -> Rung | None:
    """The tier a member keeps at a review date: lowered to what the points support.

    A member holding a seat at an event under way keeps their tier until the next review,
    so nobody is downgraded mid-event. Reviews never promote; `tier_promotion` does that at once.
    """
    if holds_seat_now:
        return current
    earned = earned_rung(ladder, points, spend)
    if rank_of(earned) < rank_of(current):
        return earned
    return current


@dataclass(frozen=True, slots=True)
class Queued:
    member_id: int
    current: Rung | None
    queued_for: Rung


def grant_queued(
    holders: Mapping[int, int], queue: Sequence[Queued]
) -> list[tuple[int, Rung]]:
    """Give freed places in capped tiers to queued members, oldest in the queue first.

    A member who moves up frees their old place, which the next pass may give away, so
    the passes repeat until nothing moves. Returns (member_id, tier) for each grant.
    """
    counts = dict(holders)
    waiting = list(queue)
    granted: list[tuple[int, Rung]] = []
    moved = True
    while moved:
        moved = False
        for entry in list(waiting):
            if not _has_room(entry.queued_for, counts):
                continue
            counts[entry.queued_for.id] = counts.get(entry.queued_for.id, 0) + 1
            if entry.current is not None:
                counts[entry.current.id] = counts.get(entry.current.id, 0) - 1
            granted.append((entry.member_id, entry.queued_for))
            waiting.remove(entry)
            moved = True
            break  # restart from the oldest: the place just freed may be theirs
    return granted
