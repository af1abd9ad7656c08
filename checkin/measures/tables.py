"""The measures' one table: each member's tier changes, as the database saw them.

`tier_change` is written by triggers on `member` (migration measures_2026_12_08t15_12…), in the
transaction of every update of `member.tier`, whoever makes it: a promotion, a review, a
coordinator's edit, a bench or a hand-written UPDATE. No service writes it, so no service can
forget it. `changed_at` is the database's clock at the change (the transaction's start on
PostgreSQL), not club.clock: a frozen test clock does not reach the database. The history begins
with the migration; a member's tier before their first recorded change is that change's
`from_tier` (checkin.measures.tier_history says how the measures read it).
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Timestamptz
from piccolo.columns.base import OnDelete

from club.table import Table
from club.tables import Member, Tier

__all__ = ["TierChangeEntry"]


class TierChangeEntry(Table, tablename="tier_change"):
    """One move of a member from a tier to another (either may be none: not on the ladder)."""

    member = ForeignKey(Member, index=True, on_delete=OnDelete.cascade)
    # No cascade from the ladder: a tier taken off keeps its place in the history as none.
    from_tier = ForeignKey(Tier, null=True, default=None, on_delete=OnDelete.set_null)
    to_tier = ForeignKey(Tier, null=True, default=None, on_delete=OnDelete.set_null)
    changed_at = Timestamptz(index=True)
