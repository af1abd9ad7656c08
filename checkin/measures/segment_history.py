"""A member's segment over time: active, cooling or dormant at the end of each of the last twelve
months on the club's clock, from their standing admissions, in one statement.

The months' ends and the cutoffs each implies (checkin.measures.rules.SegmentThresholds) come in
as a row of values per month; the database finds the member's last admission before each end and
their events within the window before it, and draws the segment with the CASE the Measures page
counts with (checkin.measures.segments), read at that end instead of now. An admission exactly at
a month's end belongs to the next month. A month that ended before the member joined has none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from checkin.measures.dialect import fetch, typed
from checkin.measures.rows import MonthSegment
from checkin.measures.rules import Segment, SegmentThresholds, last_months
from club.errors import NotFound

__all__ = ["MONTHS", "segment_history"]

MONTHS = 12


def _sql(months: int) -> str:
    stamp, day, number = typed("TIMESTAMPTZ"), typed("DATE"), typed("INTEGER")
    row = f"SELECT {number} AS n, {day} AS first_day, {day} AS next_day, {stamp} AS at, {stamp} AS active_since, " \
          f"{stamp} AS window_since, {stamp} AS dormant_before"
    ends = "\n  UNION ALL ".join([row] * months)
    return f"""
SELECT q.n, q.last_attended_at, q.visits,
  CASE WHEN q.joined_on >= q.next_day THEN NULL
    WHEN q.last_attended_at IS NULL OR q.last_attended_at < q.dormant_before THEN '{Segment.dormant.value}'
    WHEN q.last_attended_at >= q.active_since AND q.visits >= {{}} THEN '{Segment.active.value}'
    ELSE '{Segment.cooling.value}' END AS segment
FROM (
  SELECT p.n, p.next_day, p.active_since, p.dormant_before, m.joined_on,
    (SELECT MAX(ci.checked_in_at) FROM check_in ci
      WHERE ci.member = m.id AND ci.reverted_at IS NULL AND ci.checked_in_at < p.at) AS last_attended_at,
    (SELECT COUNT(DISTINCT ci.event) FROM check_in ci
      WHERE ci.member = m.id AND ci.reverted_at IS NULL AND ci.checked_in_at < p.at
        AND ci.checked_in_at >= p.window_since) AS visits
  FROM ({ends}) p
  JOIN member m ON m.id = {{}}
) q
ORDER BY q.n
"""


async def segment_history(member_id: int, now: datetime, thresholds: SegmentThresholds, zone: str) -> list[MonthSegment]:
    """The member's segment at the end of each of the `MONTHS` months before the one `now` is in
    (on the club's clock, `zone`), oldest first."""
    months = last_months(now, zone, MONTHS)
    values: list[object] = []
    for n, month in enumerate(months):
        c = thresholds.cutoffs(month.ends)
        values += [n, month.first, month.last + timedelta(days=1), month.ends, c.active_since, c.window_since,
                   c.dormant_before]
    rows = await fetch(_sql(MONTHS), thresholds.active_visits, *values, member_id)
    if not rows:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    # The twelve rows back, each named by its month (the literals are ours: not read back).
    return msgspec.convert([
        {"month": months[int(r["n"])].first.strftime("%Y-%m"), "ends_at": months[int(r["n"])].ends,
         "last_attended_at": r["last_attended_at"], "visits": r["visits"], "segment": r["segment"]}
        for r in rows
    ], list[MonthSegment], strict=False)
