"""A saved segment as one SQL statement over the real tables: the members it holds now.

The filters are typed values (checkin.segments.tables.SavedSegment) that become parameters; the
statement's text is only ever built from this module's fragments. The activity is
checkin.measures.segments.SEGMENT_CASE, the same CASE the Measures page counts with; only active
memberships are in a segment, as there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from checkin.measures.dialect import fetch
from checkin.measures.rules import Segment, SegmentThresholds
from checkin.measures.segments import SEGMENT_CASE, VISITS_SQL
from club.tables import MemberStatus

__all__ = ["Filters", "member_sql", "preview"]

# Each member's events with a standing admission, and their no-shows a later admission did not undo.
_DOOR_SQL = """
SELECT d.member, SUM(d.attended) AS attended, SUM(d.no_shows) AS no_shows FROM (
  SELECT ci.member, COUNT(DISTINCT ci.event) AS attended, 0 AS no_shows
  FROM check_in ci WHERE ci.reverted_at IS NULL GROUP BY ci.member
  UNION ALL
  SELECT ns.member, 0 AS attended, COUNT(*) AS no_shows FROM no_show ns
  WHERE NOT EXISTS (SELECT 1 FROM check_in ci WHERE ci.rsvp = ns.rsvp AND ci.reverted_at IS NULL)
  GROUP BY ns.member
) d GROUP BY d.member
"""


@dataclass(frozen=True, slots=True)
class Filters:
    """A segment's filters, each None when not asked for."""

    tier_id: int | None = None
    activity: Segment | None = None
    min_no_show_rate: float | None = None
    attended_before: datetime | None = None
    attended_after: datetime | None = None
    language: str | None = None
    min_points: int | None = None
    max_points: int | None = None


def member_sql(filters: Filters, now: datetime, thresholds: SegmentThresholds, columns: str) -> tuple[str, list[Any]]:
    """The statement selecting `columns` of the segment's members (aliases: m member, t tier,
    v visits, d door record), and its values in the order their `{}` stand."""
    c = thresholds.cutoffs(now)
    values: list[Any] = [c.window_since]  # VISITS_SQL's placeholder, in the FROM below
    where = [f"m.status = '{MemberStatus.active.value}'"]
    if filters.tier_id is not None:
        where.append("m.tier = {}")
        values.append(filters.tier_id)
    if filters.activity is not None:
        where.append(f"({SEGMENT_CASE}) = {{}}")
        values += [c.dormant_before, c.active_since, c.active_visits, filters.activity.value]
    if filters.min_no_show_rate is not None:
        # no_shows / (attended + no_shows) >= rate, without dividing; no record at the door: no rate.
        where.append("COALESCE(d.attended, 0) + COALESCE(d.no_shows, 0) > 0"
                     " AND COALESCE(d.no_shows, 0) >= {} * (COALESCE(d.attended, 0) + COALESCE(d.no_shows, 0))")
        values.append(filters.min_no_show_rate)
    if filters.attended_before is not None:
        where.append("(v.last_attended_at IS NULL OR v.last_attended_at < {})")
        values.append(filters.attended_before)
    if filters.attended_after is not None:
        where.append("v.last_attended_at >= {}")
        values.append(filters.attended_after)
    if filters.language is not None:
        where.append("m.language = {}")
        values.append(filters.language)
    if filters.min_points is not None:
        where.append("m.points_balance >= {}")
        values.append(filters.min_points)
    if filters.max_points is not None:
        where.append("m.points_balance <= {}")
        values.append(filters.max_points)
    sql = f"""
SELECT {columns}
FROM member m
LEFT JOIN ({VISITS_SQL}) v ON v.member = m.id
LEFT JOIN ({_DOOR_SQL}) d ON d.member = m.id
LEFT JOIN tier t ON t.id = m.tier
WHERE {" AND ".join(where)}
"""
    return sql, values


async def preview(filters: Filters, now: datetime, thresholds: SegmentThresholds, first: int = 10) -> tuple[int, list[dict[str, Any]]]:
    """How many members the segment holds now and the first `first` of them by id: one statement."""
    sql, values = member_sql(
        filters, now, thresholds,
        "m.id, m.name, m.language, m.points_balance AS points, t.name AS tier, COUNT(*) OVER () AS total",
    )
    rows = await fetch(sql + f" ORDER BY m.id LIMIT {int(first)}", *values)
    return (int(rows[0]["total"]) if rows else 0), rows
