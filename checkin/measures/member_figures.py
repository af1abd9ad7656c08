"""A member's measures: attendance, no-shows and their rates, late cancellations, the last
admission and the segment it gives, the ledger by source (all entries, and the positive ones:
what each source earned), and the tier history. Three statements."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from checkin.measures.dialect import fetch, seconds_between
from checkin.measures.rows import MemberFigures, PointsBySource
from checkin.measures.rules import SegmentThresholds, rate, segment_of
from checkin.measures.tier_history import tier_history
from club.errors import NotFound
from events.tables import RsvpStatus

__all__ = ["member_figures"]


def _record_sql(late: timedelta) -> str:
    late_s = int(late.total_seconds())
    return f"""
SELECT m.id,
  (SELECT COUNT(*) FROM rsvp r WHERE r.member = m.id) AS rsvps,
  (SELECT COUNT(DISTINCT ci.event) FROM check_in ci WHERE ci.member = m.id AND ci.reverted_at IS NULL) AS attended,
  (SELECT MAX(ci.checked_in_at) FROM check_in ci WHERE ci.member = m.id AND ci.reverted_at IS NULL) AS last_attended_at,
  (SELECT COUNT(DISTINCT ci.event) FROM check_in ci
    WHERE ci.member = m.id AND ci.reverted_at IS NULL AND ci.checked_in_at >= {{}}) AS visits_in_window,
  (SELECT COUNT(*) FROM no_show ns WHERE ns.member = m.id AND NOT EXISTS (
    SELECT 1 FROM check_in ci WHERE ci.rsvp = ns.rsvp AND ci.reverted_at IS NULL)) AS no_shows,
  (SELECT COUNT(*) FROM rsvp r JOIN event e ON e.id = r.event
    WHERE r.member = m.id AND r.status = '{RsvpStatus.cancelled.value}' AND r.cancelled_by = 'member'
      AND {seconds_between("r.cancelled_at", "e.starts_at")} <= {late_s}) AS late_cancellations
FROM member m WHERE m.id = {{}}
"""


_POINTS_SQL = """
SELECT p.reason, SUM(p.delta) AS points, COUNT(*) AS entries,
  SUM(CASE WHEN p.delta > 0 THEN p.delta ELSE 0 END) AS earned,
  SUM(CASE WHEN p.delta > 0 THEN 1 ELSE 0 END) AS earned_entries
FROM points_entry p WHERE p.member = {}
GROUP BY p.reason ORDER BY SUM(p.delta) DESC, p.reason
"""


class _Record(msgspec.Struct, frozen=True):
    rsvps: int
    attended: int
    last_attended_at: datetime | None
    visits_in_window: int
    no_shows: int
    late_cancellations: int


async def member_figures(member_id: int, now: datetime, thresholds: SegmentThresholds, late: timedelta) -> MemberFigures:
    cutoffs = thresholds.cutoffs(now)
    rows = await fetch(_record_sql(late), cutoffs.window_since, member_id)
    if not rows:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    record = msgspec.convert(rows[0], _Record, strict=False)
    door = record.attended + record.no_shows
    return MemberFigures(
        member_id=member_id, rsvps=record.rsvps, attended=record.attended, no_shows=record.no_shows,
        late_cancellations=record.late_cancellations, attendance_rate=rate(record.attended, door),
        no_show_rate=rate(record.no_shows, door), last_attended_at=record.last_attended_at,
        visits_in_window=record.visits_in_window,
        segment=segment_of(record.last_attended_at, record.visits_in_window, cutoffs),
        points=msgspec.convert(await fetch(_POINTS_SQL, member_id), list[PointsBySource], strict=False),
        tier_history=await tier_history(member_id),
    )
