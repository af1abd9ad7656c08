"""Expiry runs raced over real HTTP against the live server, on SQLite and PostgreSQL.

Eight coordinators' runs of the same date at once (as two workers' crons, or a worker and a
coordinator, would): every member loses their old points once, one entry each, and no balance goes
below zero. The control turns off the entries' key (KEYED: each run's entries carry its own token)
and the members' lock (club.locking.LOCKING): on PostgreSQL the runs then sum the ledger before any
of them commits and expire the same points more than once. On SQLite every write transaction is
BEGIN IMMEDIATE behind one lock, so a later run's sum sees the earlier one's entries and takes
nothing: each backend asserts its own mechanism.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

import club.expiry.expiring
import club.locking
from club import clock
from club.db import write_transaction
from club.expiry import urls
from club.ledger import balances_of
from club.tables import PointsEntry, PointsReason
from tests.concurrency.bulk import bulk_members
from tests.conftest import LiveServer, backend_name
from tests.expiry.helpers import PARIS_APRIL_1, rolling_rule
from tests.factories import Caller

RUNS = 8
MEMBERS = 400
OLD = datetime(2025, 3, 15, 10, tzinfo=UTC)


async def _ledger(members: Sequence[Caller]) -> None:
    """Each member: 1,000 old points, 300 of them spent, 200 new."""
    rows = []
    for m in members:
        for n, (delta, at, reason) in enumerate([
            (1_000, OLD, PointsReason.adjustment), (-300, datetime(2026, 1, 5, tzinfo=UTC), PointsReason.redemption),
            (200, datetime(2026, 6, 1, tzinfo=UTC), PointsReason.adjustment),
        ]):
            source = f"race-{m.member_id}-{n}"
            rows.append(PointsEntry(member=m.member_id, delta=delta, reason=reason.value, source=source,
                                    award_key=f"{reason.value}:{source}", note="", created_at=at))
    async with write_transaction():
        await PointsEntry.insert(*rows)


async def _race(server: LiveServer, coordinator: Caller) -> list[int]:
    members = await bulk_members(MEMBERS)
    await _ledger(members)
    await rolling_rule()
    with clock.frozen_at(PARIS_APRIL_1):
        async with server.client(coordinator.token) as http:
            answers = await asyncio.gather(*[http.post(urls.RUNS) for _ in range(RUNS)])
    assert {a.status_code for a in answers} == {200}, [a.text for a in answers if a.status_code != 200]
    return [a.json()["points"] for a in answers]


async def _expiry_entries() -> int:
    return await PointsEntry.count().where(PointsEntry.reason == PointsReason.expiry.value)


async def test_runs_at_once_expire_each_member_once(server: LiveServer, coordinator: Caller) -> None:
    written = await _race(server, coordinator)
    assert sum(written) == MEMBERS * 700
    assert await _expiry_entries() == MEMBERS
    assert set((await balances_of(None)).values()) == {200}


async def test_control_without_the_key_and_the_lock_runs_expire_twice(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(club.expiry.expiring, "KEYED", False)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    written = await _race(server, coordinator)
    balances = set((await balances_of(None)).values())
    if backend_name() == "postgres":
        assert sum(written) > MEMBERS * 700, "without the key and the lock the runs should have expired twice"
        assert await _expiry_entries() > MEMBERS and min(balances) < 200
    else:
        assert sum(written) == MEMBERS * 700 and balances == {200}
