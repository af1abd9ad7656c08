"""The factors of one earning, read for club.points.award in one statement under the member's lock.

award() is the one place earning is multiplied (club.multipliers.rules says how); it calls
`multiplication_for` after locking the member and before writing the entry, and `mark_used` when
the member's own bonus day multiplied the entry it wrote, so that day can no longer move.
"""

from __future__ import annotations

from datetime import datetime

from club.multipliers.rules import MULTIPLIED_KINDS, BonusDayRule, Multiplication, kinds_of, multiply
from club.multipliers.tables import BonusDay
from club.rows import Row, rows_as
from club.tables import PointsReason

__all__ = ["mark_used", "multiplication_for"]

# The member's tier's factor for the kind, and every bonus day (the club's, the member's own) that
# holds `now`; the kinds each day multiplies are matched by the rule, not here.
_FACTORS_SQL = (
    "SELECT 0 AS id, tm.factor AS factor, '' AS name, '' AS kinds, 0 AS own FROM tier_multiplier tm "
    "JOIN member m ON tm.tier = m.tier WHERE m.id = {} AND tm.kind = {} "
    "UNION ALL SELECT b.id, b.factor, b.name, b.kinds, CASE WHEN b.member IS NULL THEN 0 ELSE 1 END "
    "FROM bonus_day b WHERE b.starts_at <= {} AND b.ends_at > {} AND (b.member IS NULL OR b.member = {})"
)


class _FactorRow(Row, frozen=True):
    id: int
    factor: int
    name: str
    kinds: str
    own: int


async def multiplication_for(member_id: int, kind: PointsReason, base: int, now: datetime) -> Multiplication:
    """What `base` points of `kind` earned at `now` become for the member. Call under their lock."""
    if base <= 0 or kind not in MULTIPLIED_KINDS:
        return Multiplication(base)
    rows = rows_as(_FactorRow, await BonusDay.raw(_FACTORS_SQL, member_id, kind.value, now, now, member_id))
    # At most one tier row: (tier, kind) is unique (tier_kind).
    tier_factor = next((r.factor for r in rows if not r.kinds), None)
    tier = {kind: tier_factor} if tier_factor is not None else {}
    days = [BonusDayRule(r.factor, kinds_of(r.kinds), r.name, own=bool(r.own), id=r.id) for r in rows if r.kinds]
    return multiply(base, kind, tier, days)


async def mark_used(done: Multiplication, now: datetime) -> None:
    """The member's own day multiplied an entry: from now on it cannot be moved."""
    if done.day is not None and done.day.own:
        await BonusDay.update({BonusDay.used_at: now}).where(
            (BonusDay.id == done.day.id) & BonusDay.used_at.is_null()
        )
