"""Members by segment (active, cooling, dormant) and tier, at one moment: one statement.

The CASE below is checkin.measures.rules.segment_of in SQL, comparing with the same cutoffs;
tests/measures holds the two to the same answers at the thresholds. Only active memberships are
counted: a suspended or lapsed member is not someone to invite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from checkin.measures.dialect import fetch
from checkin.measures.rows import SegmentCount, SegmentsOut, TierSegments
from checkin.measures.rules import Segment, SegmentThresholds
from club.tables import MemberStatus

__all__ = ["SEGMENT_CASE", "VISITS_SQL", "segment_counts"]

# Each member's last standing admission and the events they came to within the window.
VISITS_SQL = """
SELECT ci.member, MAX(ci.checked_in_at) AS last_attended_at,
  COUNT(DISTINCT CASE WHEN ci.checked_in_at >= {} THEN ci.event END) AS visits
FROM check_in ci
WHERE ci.reverted_at IS NULL
GROUP BY ci.member
"""

# Placeholders: dormant_before, active_since, active_visits.
SEGMENT_CASE = f"""CASE
    WHEN v.last_attended_at IS NULL OR v.last_attended_at < {{}} THEN '{Segment.dormant.value}'
    WHEN v.last_attended_at >= {{}} AND v.visits >= {{}} THEN '{Segment.active.value}'
    ELSE '{Segment.cooling.value}' END"""

_COUNTS_SQL = f"""
SELECT m.tier AS tier_id, t.name AS tier_name, t.rank AS tier_rank, {SEGMENT_CASE} AS segment, COUNT(*) AS members
FROM member m
LEFT JOIN ({VISITS_SQL}) v ON v.member = m.id
LEFT JOIN tier t ON t.id = m.tier
WHERE m.status = '{MemberStatus.active.value}'
GROUP BY m.tier, t.name, t.rank, segment
"""


@dataclass
class _Tier:
    name: str | None
    rank: int | None
    counts: dict[Segment, int] = field(default_factory=dict)


async def segment_counts(now: datetime, thresholds: SegmentThresholds) -> SegmentsOut:
    """Active members per tier (highest first, then those with none) and per segment, at `now`."""
    c = thresholds.cutoffs(now)
    # SEGMENT_CASE stands before VISITS_SQL in the statement: its values come first.
    rows = await fetch(_COUNTS_SQL, c.dormant_before, c.active_since, c.active_visits, c.window_since)
    tiers: dict[int | None, _Tier] = {}
    for row in rows:  # a few rows: the tiers times the segments
        tier = tiers.setdefault(row["tier_id"], _Tier(row["tier_name"], row["tier_rank"]))
        tier.counts[Segment(row["segment"])] = int(row["members"])
    ordered = sorted(tiers.items(), key=lambda item: -(item[1].rank or 0))
    return SegmentsOut(
        at=now, active_days=thresholds.active_days, active_visits=thresholds.active_visits,
        window_days=thresholds.window_days, dormant_days=thresholds.dormant_days,
        tiers=[
            TierSegments(
                tier_id=tier_id, tier_name=tier.name, tier_rank=tier.rank, members=sum(tier.counts.values()),
                segments=[SegmentCount(segment=s, members=tier.counts.get(s, 0)) for s in Segment],
            )
            for tier_id, tier in ordered
        ],
    )
