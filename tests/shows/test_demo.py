"""The demo show: two categories, invitations offered and queued, made once."""

from __future__ import annotations

from collections import Counter

from events.shows.demo import DEMO_SHOW, seed_demo
from events.shows.tables import ShowInvitation
from events.tables import Event
from tests.factories import Caller
from tests.shows.helpers import tiered


async def test_seed_demo_makes_a_paris_show_with_offered_and_queued_invitations(coordinator: Caller) -> None:
    members = [await tiered(f"Demo {i}", tier) for i, tier in enumerate(["Diamond", "Platinum", "Gold"] * 4)]
    ids = [m.member_id for m in members]
    await seed_demo(coordinator.user_id, ids)  # type: ignore[arg-type]
    await seed_demo(coordinator.user_id, ids)  # type: ignore[arg-type]
    shows = await Event.select(Event.id, Event.status, Event.capacity).where(Event.title == DEMO_SHOW)
    assert shows == [{"id": shows[0]["id"], "status": "published", "capacity": 10}]
    rows = await ShowInvitation.select(ShowInvitation.status, ShowInvitation.category.name.as_alias("category"))
    assert Counter((r["category"], r["status"]) for r in rows) == {
        ("Front row", "offered"): 2, ("Front row", "queued"): 1,
        ("Second row", "offered"): 6, ("Second row", "queued"): 3,
    }
