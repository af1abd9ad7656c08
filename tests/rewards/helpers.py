"""What the rewards tests share: a reward made through the API, and points given to a member."""

from __future__ import annotations

from typing import Any

from club.points import award
from club.rewards import urls
from club.tables import PointsReason
from tests.conftest import LiveServer
from tests.factories import Caller

__all__ = ["give_points", "make_reward"]


async def make_reward(server: LiveServer, coordinator: Caller, **fields: Any) -> dict[str, Any]:
    body = {"kind": "gift", "price": 500, "title_zh": "真丝方巾", "title_en": "Silk scarf", **fields}
    async with server.client(coordinator.token) as http:
        answer = await http.post(urls.REWARDS, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def give_points(member_id: int, points: int, source: str = "test") -> None:
    await award(member_id, points, PointsReason.adjustment, f"{source}-{member_id}", note="test points")
