"""Reading the points ledger: its entries, and the balances the database keeps as their sum
(`member.points_balance`, by a trigger on every entry; see its migration)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from club.rows import Row, rows_as
from club.statements import fetch
from club.tables import Member, PointsEntry, PointsReason

__all__ = ["PointsEntryRow", "balance_of", "balances_of", "entries_of"]


class PointsEntryRow(Row, frozen=True):
    """One ledger entry as a member's statement shows it."""

    id: int
    delta: int
    reason: PointsReason
    source: str
    note: str
    created_at: datetime


_BALANCE_SQL = "SELECT points_balance FROM member WHERE id = {}"


async def balance_of(member_id: int) -> int:
    """The member's balance: the sum of their entries, kept on their row (0 for no such member)."""
    rows = await fetch(_BALANCE_SQL, member_id)
    return int(rows[0]["points_balance"]) if rows else 0


async def balances_of(member_ids: Iterable[int] | None) -> dict[int, int]:
    """Balances of the given members (of every member when None)."""
    query = Member.select(Member.id, Member.points_balance)
    if member_ids is not None:
        ids = list(member_ids)
        if not ids:
            return {}
        query = query.where(Member.id.is_in(ids))
    return {r["id"]: int(r["points_balance"]) for r in await query}


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
