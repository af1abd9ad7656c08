"""A member's standing no-shows since an instant: the no-show gate's count (events.no_show_gate).

A no-show stands when no later admission to the same RSVP undid it: the condition the Measures
count with (checkin.measures.member_figures) and the segments' door record (checkin.segments.query).
One statement, served by no_show's index on the member.
"""

from __future__ import annotations

from datetime import datetime

from checkin.tables import NoShow

__all__ = ["STANDING_NO_SHOW", "no_shows_since"]

# On a `no_show ns` row: no standing admission to its RSVP.
STANDING_NO_SHOW = "NOT EXISTS (SELECT 1 FROM check_in ci WHERE ci.rsvp = ns.rsvp AND ci.reverted_at IS NULL)"
_SQL = f"SELECT COUNT(*) AS n FROM no_show ns WHERE ns.member = {{}} AND ns.recorded_at >= {{}} AND {STANDING_NO_SHOW}"


async def no_shows_since(member_id: int, since: datetime) -> int:
    rows = await NoShow.raw(_SQL, member_id, since)
    return int(rows[0]["n"]) if rows else 0
