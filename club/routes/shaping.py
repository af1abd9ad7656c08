"""Turning service results into response bodies, shared by several controllers."""

from __future__ import annotations

from club.schemas import PointsEntryOut, PointsPage


def points_page(member_id: int, balance: int, entries: list[dict]) -> PointsPage:
    return PointsPage(
        member_id=member_id,
        balance=balance,
        entries=[PointsEntryOut(**e) for e in entries],
    )
