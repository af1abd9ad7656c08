"""Turning service results into response bodies, shared by several controllers."""

from __future__ import annotations

from club.ledger import PointsEntryRow
from club.schemas import PointsEntryOut, PointsPage


def points_page(member_id: int, balance: int, entries: list[PointsEntryRow]) -> PointsPage:
    return PointsPage(
        member_id=member_id,
        balance=balance,
        entries=[
            PointsEntryOut(id=e.id, delta=e.delta, reason=e.reason, source=e.source, note=e.note, created_at=e.created_at)
            for e in entries
        ],
    )
