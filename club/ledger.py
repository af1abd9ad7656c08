"""Reading the points ledger: balances are always summed from entries, never stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from piccolo.query.functions.aggregate import Sum

from club.rows import Row, rows_as
from club.tables import PointsEntry, PointsReason

__all__ = ["PointsEntryRow", "balance_of", "balances_of", "entries_of"]


class PointsEntryRow(Row, frozen=True):
    """One ledger entry as a member's statement shows it."""

    id: int
    delta: int
    reason: PointsReason
    source: str
    note: str
    created_at: datetime


_BALANCE_SQL = "SELECT CAST(COALESCE(SUM(delta), 0) AS INTEGER) AS total FROM points_entry WHERE member = {}"


async def balance_of(member_id: int) -> int:
    """The sum of the member's entries (asked by every award, in plain SQL written once)."""
    rows = await PointsEntry.raw(_BALANCE_SQL, member_id)
    return int(rows[0]["total"] or 0) if rows else 0


async def balances_of(member_ids: Iterable[int] | None) -> dict[int, int]:
    """Balances of the given members (all members with entries when None)."""
    query = PointsEntry.select(PointsEntry.member, Sum(PointsEntry.delta, alias="total")).group_by(
        PointsEntry.member
    )
    if member_ids is not None:
        ids = list(member_ids)
        if not ids:
            return {}
        query = query.where(PointsEntry.member.is_in(ids))
    return {r["member"]: int(r["total"] or 0) for r in await query}


async def entries_of(member_id: int, limit: int = 100, offset: int = 0) -> list[PointsEntryRow]:
    """A member's entries, the latest first."""
    return rows_as(PointsEntryRow, await PointsEntry.select(
        PointsEntry.id,
        PointsEntry.delta,
        PointsEntry.reason,
        PointsEntry.source,
        PointsEntry.note,
        PointsEntry.created_at,
    ).where(PointsEntry.member == member_id).order_by(
        PointsEntry.created_at, ascending=False
    ).order_by(PointsEntry.id, ascending=False).limit(limit).offset(offset))
