"""No overbooking under a storm of concurrent RSVPs, on SQLite and PostgreSQL, over real HTTP.

The control test turns the event lock off and shows the same storm oversells on PostgreSQL, so
the main test proves the lock is what keeps the count exact.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime

import pytest

import club.locking
from club.tiers import load_ladder
from events import urls
from events.rules import Waiting, order_waitlist
from events.tables import Rsvp
from tests.concurrency.bulk import bulk_members
from tests.concurrency.storm import rsvp_all
from tests.conftest import LiveServer, backend_name
from tests.events.helpers import published_event
from tests.factories import Caller

STORM = int(os.environ.get("RSVP_STORM_SIZE", "2000"))
CAPACITY = 100


async def test_storm_of_rsvps_confirms_exactly_capacity_and_waitlists_the_rest_in_policy_order(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await published_event(server, coordinator, capacity=CAPACITY, waitlist_policy="tier_priority")
    ladder = await load_ladder()
    # Silver, Gold, Platinum and no tier at all, mixed, so tier priority has work to do.
    members = await bulk_members(STORM, tier_ids=[ladder[0].id, ladder[1].id, ladder[2].id, None])
    async with server.client() as http:
        responses = await rsvp_all(http, event["id"], members)
        waitlist = (await http.get(urls.link(urls.EVENT_WAITLIST, event_id=event["id"]), headers={"Authorization": f"Bearer {coordinator.token}"})).json()

    codes = Counter(r.status_code for r in responses)
    assert codes == {201: STORM}, codes
    assert not any("locked" in r.text for r in responses)
    answered = Counter(r.json()["status"] for r in responses)
    assert answered == {"confirmed": CAPACITY, "waitlisted": STORM - CAPACITY}

    rows = await Rsvp.select().where(Rsvp.event == event["id"])
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    waiting = [r for r in rows if r["status"] == "waitlisted"]
    assert sum(r["seats"] for r in confirmed) == CAPACITY
    assert len(waiting) == STORM - CAPACITY
    assert len({r["member"] for r in rows}) == STORM
    # Seats went to the first requests the lock let through: every confirmed row was written
    # before every waitlisted one.
    assert max(r["id"] for r in confirmed) < min(r["id"] for r in waiting)

    expected = order_waitlist(
        "tier_priority", [Waiting(r["id"], r["seats"], r["waitlisted_at"], r["tier_rank_at_join"]) for r in waiting]
    )
    assert [w["rsvp_id"] for w in waitlist] == [w.rsvp_id for w in expected]
    assert [w["position"] for w in waitlist] == list(range(1, STORM - CAPACITY + 1))
    ranks = [-1 if w["tier_rank_at_join"] is None else w["tier_rank_at_join"] for w in waitlist]
    assert ranks == sorted(ranks, reverse=True)
    by_rank: dict[int, list[str]] = {}
    for w in waitlist:
        by_rank.setdefault(w["tier_rank_at_join"] or -1, []).append(w["joined_at"])
    # Within one tier, first come first served (times compared as instants).
    for joined in by_rank.values():
        instants = [datetime.fromisoformat(j) for j in joined]
        assert instants == sorted(instants)


async def test_control_without_the_event_lock(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: turn `club.locking.LOCKING` off and fire the same kind of storm.

    On PostgreSQL, concurrent transactions each count the seats before any of them commits,
    and more than the capacity get confirmed: the race the event lock prevents really happens.
    On SQLite the event lock is not what protects the room: every write transaction is BEGIN
    IMMEDIATE behind one in-process lock (club.db.write_transaction), so even with the event
    lock off the room fills exactly. Each backend asserts its own mechanism.
    """
    capacity, storm = 10, 300
    event = await published_event(server, coordinator, capacity=capacity)
    members = await bulk_members(storm)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    async with server.client() as http:
        responses = await rsvp_all(http, event["id"], members)
    assert all(r.status_code == 201 for r in responses)
    seats = sum(
        r["seats"] for r in await Rsvp.select(Rsvp.seats).where((Rsvp.event == event["id"]) & (Rsvp.status == "confirmed"))
    )
    if backend_name() == "postgres":
        assert seats > capacity, "without the lock the storm should have oversold"
    else:
        assert seats == capacity, "SQLite's serialized writers must fill the room exactly, lock or not"
