"""A gate's queue sent five times at once (a weak network retrying, two tabs of the door page)
ends as one send would: one admission per ticket, the same duplicates, points once.

The control turns the locks off (club.locking.LOCKING) on PostgreSQL: the five sends then read
"nothing sent yet" side by side and collide on the admission's unique key, so some are refused
or answer differently. On SQLite every write transaction is serialized behind one lock
(club.db.write_transaction), so the same replay stays exact with the lock off too.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import club.locking
from checkin import urls as door
from checkin.tables import CheckIn, DoorConflict, ScanRecord
from club.tables import PointsEntry
from events import urls
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller, make_member

REPLAYS = 5


async def _queue(server: LiveServer, coordinator: Caller, people: int) -> tuple[int, list[int], list[dict[str, Any]]]:
    """An event, its members, and a gate's queue: each ticket admitted, then again at another gate."""
    event = await door_open_event(server, coordinator, attendance_points=40, capacity=people)
    members, scans = [], []
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    for i in range(people):
        m = await make_member(f"Guest {i}")
        _, token = await rsvp_and_ticket(server, m, event["id"])
        members.append(m.member_id)
        for gate, minutes in (("North", i), ("South", i + 1)):
            scans.append({"token": token, "nonce": nonce(), "gate": gate, "result": "admitted",
                          "scanned_at": (start + timedelta(minutes=minutes)).isoformat()})
    return event["id"], members, scans  # type: ignore[return-value]


async def _replay(server: LiveServer, staff: Caller, event_id: int, scans: list[dict[str, Any]]) -> list[Any]:
    path = urls.link(door.SCAN_BATCHES, event_id=event_id)
    async with server.client(staff.token) as http:
        return await asyncio.gather(*[http.post(path, json={"scans": scans}) for _ in range(REPLAYS)])


async def test_the_same_batch_sent_five_times_at_once_ends_as_one_send(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    people = 8
    event_id, members, scans = await _queue(server, coordinator, people)
    responses = await _replay(server, staff, event_id, scans)
    assert [r.status_code for r in responses] == [200] * REPLAYS, [r.text for r in responses]
    bodies = [r.json() for r in responses]
    # Every send answers alike (the running count aside: a send may answer before another lands).
    outcomes = [[(s["nonce"], s["outcome"], s["check_in_id"], s["points_awarded"]) for s in b["results"]] for b in bodies]
    assert all(o == outcomes[0] for o in outcomes)
    assert [o for _, o, _, _ in outcomes[0]] == ["admitted", "duplicate"] * people
    assert await CheckIn.count().where(CheckIn.event == event_id) == people
    assert await DoorConflict.count().where(DoorConflict.event == event_id) == people
    assert await ScanRecord.count().where(ScanRecord.event == event_id) == 2 * people
    assert await PointsEntry.count().where(PointsEntry.member.is_in(members)) == people


async def test_control_without_the_lock_replays_collide(
    server: LiveServer, coordinator: Caller, staff: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(club.locking, "LOCKING", False)
    for _ in range(5):  # a race shows itself within a few rounds
        event_id, _, scans = await _queue(server, coordinator, 6)
        responses = await _replay(server, staff, event_id, scans)
        collided = any(r.status_code != 200 for r in responses) or len(
            {tuple(s["outcome"] for s in r.json()["results"]) for r in responses}) > 1
        extra = await DoorConflict.count().where(DoorConflict.event == event_id) != 6
        if collided or extra:
            break
    if backend_name() == "postgres":
        assert collided or extra, "without the lock, concurrent replays should have collided"
    else:
        assert not collided and not extra, "SQLite's serialized writers keep the replay exact, lock or not"
