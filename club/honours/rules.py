"""Pure rules of the honours: a period's bounds on the club's clock, ranks with ties, a display
name a member may choose, and the points still needed for the next tier.

No I/O here: club.honours.boards and club.honours.next_tier load the facts and call these.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum
from zoneinfo import ZoneInfo

from club.i18n.catalogs import N_

__all__ = [
    "DISPLAY_NAME_MAX",
    "Board",
    "DisplayNameRefused",
    "NextTier",
    "NextTierState",
    "Period",
    "SpendToGo",
    "TierStep",
    "clean_display_name",
    "next_tier",
    "next_tier_asks_spend",
    "period_bounds",
    "period_start_day",
    "ranks_with_ties",
    "tier_progress",
]

DISPLAY_NAME_MAX = 24


class Board(str, Enum):
    attendance = "attendance"  # events attended (a standing check-in), each event once
    points = "points"  # points earned (positive earning entries; no adjustments, no returns)


class Period(str, Enum):
    month = "month"
    # The code has no programme season of its own, so a season is a calendar quarter
    # (January-March, April-June, July-September, October-December) on the club's clock.
    season = "season"
    year = "year"


def period_start_day(period: Period, day: date) -> date:
    """The first day of the period holding `day`."""
    if period is Period.month:
        return day.replace(day=1)
    if period is Period.season:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _next_start_day(period: Period, start: date) -> date:
    months = {Period.month: 1, Period.season: 3, Period.year: 12}[period]
    index = start.month - 1 + months
    return date(start.year + index // 12, index % 12 + 1, 1)


def period_bounds(period: Period, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the period holding `now`, as UTC instants of local midnights on the club's
    clock: a month that holds a change of the clocks is an hour shorter or longer, never shifted."""
    start_day = period_start_day(period, now.astimezone(zone).date())
    end_day = _next_start_day(period, start_day)
    return (
        datetime.combine(start_day, time(0), zone).astimezone(UTC),
        datetime.combine(end_day, time(0), zone).astimezone(UTC),
    )


def ranks_with_ties(scores: Sequence[int]) -> list[int]:
    """Ranks of scores sorted from the highest: equal scores share a rank and the next rank skips
    as many places ("1, 2, 2, 4"), so a rank is 1 + how many scored more."""
    ranks: list[int] = []
    for place, score in enumerate(scores):
        if place and score > scores[place - 1]:
            raise ValueError("scores must be sorted from the highest")
        ranks.append(ranks[-1] if place and score == scores[place - 1] else place + 1)
    return ranks


class DisplayNameRefused(ValueError):
    """Why a display name cannot be used: `message` is a catalog text."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def clean_display_name(text: str) -> str:
    """The name as the boards show it: spaces collapsed, trimmed; refused when empty, longer than
    DISPLAY_NAME_MAX characters, or holding control or invisible formatting characters."""
    if any(unicodedata.category(c) in {"Cc", "Cf", "Co", "Cs"} and c not in " \t" for c in text):
        raise DisplayNameRefused(N_("A display name cannot hold control or invisible characters."))
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DisplayNameRefused(N_("Please choose a display name to appear on the leaderboards."))
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise DisplayNameRefused(N_("A display name has at most 24 characters."))
    return cleaned


@dataclass(frozen=True, slots=True)
class TierStep:
    """A rung of the ladder as the next-tier rule reads it."""

    name: str
    rank: int
    points_threshold: int
    # The yearly spend the tier also asks (club.tier_rules.qualifies): minor units of spend_currency; None asks none.
    spend_threshold: int | None = None
    spend_currency: str = ""


class NextTierState(str, Enum):
    to_go = "to_go"  # `points` more earn `tier`
    queued = "queued"  # the points are there; `tier` is full and the member waits for a place
    top = "top"  # no tier above theirs


@dataclass(frozen=True, slots=True)
class SpendToGo:
    """The yearly spend the next tier asks beside its points, and how far the member's is."""

    currency: str
    threshold: int  # minor units over the rolling twelve months
    spent: int  # the member's rolling twelve months in that currency, minor units (below threshold)


@dataclass(frozen=True, slots=True)
class NextTier:
    state: NextTierState
    tier: str | None  # the next tier (the one waited for, when queued); None at the top
    points: int  # still needed; 0 unless to_go (and 0 when only the spend lacks)
    spend: SpendToGo | None = None  # the spend the next tier also asks, while it lacks; None otherwise


def next_tier_asks_spend(ladder: Sequence[TierStep], tier_rank: int | None, queued_rank: int | None) -> bool:
    """Whether next_tier would need the member's spend: the tier above theirs asks one (and they wait for none)."""
    if queued_rank is not None and any(r.rank == queued_rank for r in ladder):
        return False
    above = _above(ladder, tier_rank)
    return above is not None and above.spend_threshold is not None


def _above(ladder: Sequence[TierStep], tier_rank: int | None) -> TierStep | None:
    return min((r for r in ladder if tier_rank is None or r.rank > tier_rank), key=lambda r: r.rank, default=None)


def next_tier(
    ladder: Sequence[TierStep], tier_rank: int | None, queued_rank: int | None, balance: int,
    spend: Mapping[str, int] | None = None,
) -> NextTier:
    """The points a member still needs for the tier above theirs, and the yearly spend where it asks one.

    A member waiting for a capped tier (queued) needs no points: they wait for a place, and the
    tier they wait for is named even where a full tier lies between. Above the top tier there is
    nothing. Otherwise the next rung's threshold less the balance (never below 1: a balance that
    reached it without a promotion waits for the next points change). Where the next tier also asks a
    yearly spend that `spend` (the member's rolling twelve months per currency, minor units; None:
    nothing spent) does not reach, the spend it asks and the member's are said beside the points.
    """
    if queued_rank is not None:
        waited = next((r for r in ladder if r.rank == queued_rank), None)
        if waited is not None:
            return NextTier(NextTierState.queued, waited.name, 0)
    above = _above(ladder, tier_rank)
    if above is None:
        return NextTier(NextTierState.top, None, 0)
    to_go = SpendToGo(above.spend_currency, above.spend_threshold, (spend or {}).get(above.spend_currency, 0)) if (
        above.spend_threshold is not None) else None
    if to_go is not None and to_go.spent >= to_go.threshold:
        to_go = None
    return NextTier(NextTierState.to_go, above.name, max(0, above.points_threshold - balance), to_go)


def tier_progress(floor: int, ceiling: int | None, balance: int, nearest: NextTier) -> int:
    """How far the member is on the way from their tier (its threshold, `floor`) to the next (its
    threshold, `ceiling`; None at the top), 0-100, for the progress bar. Where the next tier also asks
    a yearly spend that lacks, the bar is the lesser of the two ways: points that reached the
    threshold with a tenth of the spend show a tenth, never a full bar that promotes no one."""
    if ceiling is None or nearest.state is not NextTierState.to_go:
        return 100
    span = max(1, ceiling - floor)
    share = (balance - floor) / span
    if nearest.spend is not None:
        share = min(share, nearest.spend.spent / max(1, nearest.spend.threshold))
    return max(0, min(100, round(100 * share)))
