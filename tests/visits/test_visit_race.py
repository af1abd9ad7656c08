"""The same card scanned at two counters at once, 20 requests over real HTTP, on SQLite and
PostgreSQL: the visit lands once (one visit row, one ledger entry, 50 points); the others answer
already counted. The control turns the key off (club.visits.visiting.KEYED: each scan's visit gets
a key of its own), leaving only the lookup before the insert, and on PostgreSQL the scans that read
before any committed land a visit each (up to the daily cap, which the member's lock still keeps).
On SQLite every write transaction is BEGIN IMMEDIATE behind one lock, so the lookup alone stays
exact: each backend asserts its own mechanism. And the same card at ten stores at once never earns
past the daily cap."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

import club.visits.visiting
from club.ledger import balance_of
from club.tables import PointsEntry, PointsReason, Role
from club.visits import urls
from club.visits.tables import Visit
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller, make_user
from tests.visits.helpers import add_stores, card_of, scan

TIMES = 20


async def _scan_at_once(server: LiveServer, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    counters = [await make_user(Role.staff), await make_user(Role.staff)]
    start = asyncio.Event()
    clients = [server.client(c.token) for c in counters]
    async with clients[0] as first, clients[1] as second:

        async def one(i: int, body: dict[str, object]) -> httpx.Response:
            await start.wait()
            return await (first if i % 2 else second).post(urls.VISITS, json=body)

        tasks = [asyncio.create_task(one(i, b)) for i, b in enumerate(bodies)]
        await asyncio.sleep(0.05)
        start.set()
        return list(await asyncio.gather(*tasks))


async def test_the_same_card_at_two_counters_at_once_lands_once(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    await add_stores(server, coordinator)
    card = await card_of(server, member)
    answers = await _scan_at_once(server, [scan(card) for _ in range(TIMES)])
    assert {a.status_code for a in answers} == {200}, [a.text for a in answers if a.status_code != 200]
    results = Counter(a.json()["result"] for a in answers)
    assert results == {"earned": 1, "already_counted": TIMES - 1}, results
    assert await Visit.count() == 1
    assert await PointsEntry.count().where(PointsEntry.reason == PointsReason.visit.value) == 1
    assert await balance_of(member.member_id) == 50  # type: ignore[arg-type]


async def test_control_without_the_key_the_scans_race_past_the_lookup(
    server: LiveServer, coordinator: Caller, member: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(club.visits.visiting, "KEYED", False)
    await add_stores(server, coordinator)
    card = await card_of(server, member)
    answers = await _scan_at_once(server, [scan(card) for _ in range(TIMES)])
    assert {a.status_code for a in answers} == {200}
    landed = await Visit.count()
    assert await balance_of(member.member_id) == 50 * landed  # type: ignore[arg-type]
    if backend_name() == "postgres":
        assert landed > 1, "without the key the second counter's scans should have landed the visit again"
    else:
        assert landed == 1


async def test_the_same_card_at_many_stores_at_once_never_passes_the_daily_cap(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    async with server.client(coordinator.token) as http:
        for n in range(10):
            assert (await http.post(urls.STORES, json={"code": f"S{n}", "name": f"S{n}", "time_zone": "Asia/Shanghai"})).status_code == 201
    card = await card_of(server, member)
    answers = await _scan_at_once(server, [scan(card, f"S{n % 10}") for n in range(TIMES)])
    results = Counter(a.json()["result"] for a in answers)
    assert results["earned"] == 2 and results["cap_reached"] + results["already_counted"] == TIMES - 2, results
    assert await balance_of(member.member_id) == 100  # type: ignore[arg-type]
