"""Turning service results into response bodies, shared by several controllers."""

from __future__ import annotations

from club.ledger import PointsEntryRow
from club.schemas import MemberOut, PointsEntryOut, PointsPage


def points_page(member: MemberOut, entries: list[PointsEntryRow]) -> PointsPage:
    """The balance (and the points to the next tier) as the member's record read them, and the entries."""
    return PointsPage(
        member_id=member.id,
        balance=member.points,
        next_tier=member.next_tier,
        entries=[
            PointsEntryOut(id=e.id, delta=e.delta, reason=e.reason, source=e.source, note=e.note, created_at=e.created_at)
            for e in entries
        ],
    )
