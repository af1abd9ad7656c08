"""Renewal and retention per year: of the members who held a tier at the start of a year, how
many held it or a higher one at its end, per tier; and of the members who came to an event in
the year, how many came again the next. Two statements.

The tier a member held at an instant is checkin.measures.tier_history's rule (the `tier_change`
history the database keeps, and the member's row for those with no change). The year runs on the
club's clock; a year not over yet is measured until now, and so is a next year still running.
Membership status has no history, so a suspended or lapsed member counts by the tier they held.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import msgspec

from checkin.measures.dialect import fetch
from checkin.measures.rows import ActivityRetention, RetentionOut, TierRetention
from checkin.measures.rules import rate
from checkin.measures.tier_history import TIER_AT

__all__ = ["retention_of"]

_TIERS_SQL = f"""
SELECT t.id AS tier_id, t.name AS tier_name, t.rank AS tier_rank, COUNT(*) AS held_at_start,
  SUM(CASE WHEN et.rank >= t.rank THEN 1 ELSE 0 END) AS kept,
  SUM(CASE WHEN et.rank > t.rank THEN 1 ELSE 0 END) AS moved_up,
  SUM(CASE WHEN et.rank < t.rank THEN 1 ELSE 0 END) AS moved_down,
  SUM(CASE WHEN et.id IS NULL THEN 1 ELSE 0 END) AS left_ladder
FROM (
  SELECT m.id, {TIER_AT} AS start_tier, {TIER_AT} AS end_tier
  FROM member m WHERE m.joined_on < {{}}
) s
JOIN tier t ON t.id = s.start_tier
LEFT JOIN tier et ON et.id = s.end_tier
GROUP BY t.id, t.name, t.rank
ORDER BY t.rank DESC
"""

_ACTIVE_SQL = """
SELECT COUNT(*) AS active,
  SUM(CASE WHEN EXISTS (
    SELECT 1 FROM check_in c2 WHERE c2.member = a.member AND c2.reverted_at IS NULL
      AND c2.checked_in_at >= {} AND c2.checked_in_at < {}
  ) THEN 1 ELSE 0 END) AS again
FROM (
  SELECT DISTINCT ci.member FROM check_in ci
  WHERE ci.reverted_at IS NULL AND ci.checked_in_at >= {} AND ci.checked_in_at < {}
) a
"""


def _new_year(year: int, zone: str) -> datetime:
    return datetime.combine(date(year, 1, 1), time(), ZoneInfo(zone))


async def retention_of(year: int, now: datetime, zone: str) -> RetentionOut:
    """The year's retention per tier (highest first) and its members' return the next year."""
    starts, ends, next_ends = _new_year(year, zone), _new_year(year + 1, zone), _new_year(year + 2, zone)
    until, next_until = min(ends, now), min(next_ends, now)
    tiers = await fetch(_TIERS_SQL, starts, starts, until, until, date(year, 1, 1))
    active = (await fetch(_ACTIVE_SQL, ends, next_until, starts, until))[0]
    came, again = int(active["active"]), int(active["again"] or 0)
    return RetentionOut(
        year=year, time_zone=zone, starts_at=starts, measured_until=until,
        tiers=[
            msgspec.convert({**r, "kept_rate": rate(int(r["kept"]), int(r["held_at_start"]))}, TierRetention,
                            strict=False)
            for r in tiers
        ],
        activity=ActivityRetention(
            active=came, active_again=again, rate=rate(again, came),
            next_year_measured_until=next_until if next_until > ends else None,
        ),
    )
