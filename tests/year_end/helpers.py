"""What the year-end tests share: the articles' table through the API, and balances written
into the ledger at a given instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from club import clock
from club.points import award
from club.tables import PointsReason
from club.year_end import urls
from tests.conftest import LiveServer
from tests.factories import Caller

__all__ = ["AFTER", "DECEMBER", "JANUARY", "give_points_at", "put_rules", "standard_table"]

DECEMBER = datetime(2026, 12, 15, 10, tzinfo=UTC)
AFTER = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)  # midnight in Paris: 2026 is over
JANUARY = datetime(2027, 1, 5, 10, tzinfo=UTC)


def standard_table() -> list[dict[str, Any]]:
    """3% from 30,000 points, 2% below (from 1 point)."""
    return [
        {"min_balance": 30_000, "kind": "percent", "percent_bp": 300},
        {"min_balance": 1, "kind": "percent", "percent_bp": 200},
    ]


async def put_rules(server: LiveServer, coordinator: Caller, rows: list[dict[str, Any]]) -> Any:
    async with server.client(coordinator.token) as http:
        answer = await http.put(urls.RULES, json={"rows": rows})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def give_points_at(member_id: int, points: int, at: datetime, source: str = "ye") -> None:
    with clock.frozen_at(at):
        await award(member_id, points, PointsReason.adjustment, f"{source}-{member_id}-{at.isoformat()}", note="test")
