"""A member's tier history (the `tier_change` rows the database writes on every change of
`member.tier`), and the tier a member held at an instant, as SQL the other measures build on.

The rule for the tier held at an instant T, read from the history and the member's row:
- the `to_tier` of their latest change at or before T, when there is one;
- else the `from_tier` of their first change after T (they held it until then);
- else, with no change at all, the tier on their row now.
Only members who had joined by T (`joined_on` before T's day) held anything. The history starts
with the migration that made the table: before a member's first recorded change the rule reads
the tier they left then, which for years before the migration assumes they held it all along.
"""

from __future__ import annotations

import msgspec

from checkin.measures.dialect import fetch
from checkin.measures.rows import TierChangeOut

__all__ = ["TIER_AT", "tier_history"]

# The tier (id, or NULL) member m held at the instant {} (the instant's placeholder twice).
TIER_AT = """(CASE
    WHEN EXISTS (SELECT 1 FROM tier_change tc WHERE tc.member = m.id AND tc.changed_at <= {})
    THEN (SELECT tc.to_tier FROM tier_change tc WHERE tc.member = m.id AND tc.changed_at <= {}
          ORDER BY tc.changed_at DESC, tc.id DESC LIMIT 1)
    WHEN EXISTS (SELECT 1 FROM tier_change tc WHERE tc.member = m.id)
    THEN (SELECT tc.from_tier FROM tier_change tc WHERE tc.member = m.id ORDER BY tc.changed_at, tc.id LIMIT 1)
    ELSE m.tier END)"""

_HISTORY_SQL = """
SELECT tc.changed_at, tc.from_tier AS from_tier_id, ft.name AS from_tier_name, ft.rank AS from_tier_rank,
  tc.to_tier AS to_tier_id, tt.name AS to_tier_name, tt.rank AS to_tier_rank
FROM tier_change tc
LEFT JOIN tier ft ON ft.id = tc.from_tier
LEFT JOIN tier tt ON tt.id = tc.to_tier
WHERE tc.member = {}
ORDER BY tc.changed_at, tc.id
"""


async def tier_history(member_id: int) -> list[TierChangeOut]:
    """The member's tier changes, oldest first."""
    return msgspec.convert(await fetch(_HISTORY_SQL, member_id), list[TierChangeOut], strict=False)
