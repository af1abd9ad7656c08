"""The same receipt posted 20 times at once over real HTTP, on SQLite and PostgreSQL: it lands once
(one receipt row, one ledger entry, the points once), every answer is the same receipt. The
control turns the key off (club.spend.receipts.KEYED: each request's row gets a key of its own),
leaving only the lookup before the insert, and on PostgreSQL the requests that read before any
committed land a receipt and its points each. On SQLite every write transaction is BEGIN IMMEDIATE
behind one lock (club.db.write_transaction), so the lookup alone stays exact: each backend asserts
its own mechanism."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

import club.spend.receipts
from club.ledger import balance_of
from club.spend import urls
from club.spend.tables import Receipt
from club.tables import PointsEntry, PointsReason
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller
from tests.spend.helpers import receipt

TIMES = 20


async def _post_at_once(server: LiveServer, coordinator: Caller, body: dict[str, object]) -> list[httpx.Response]:
    start = asyncio.Event()
    async with server.client(coordinator.token) as till:

        async def one() -> httpx.Response:
            await start.wait()
            return await till.post(urls.RECEIPTS, json=body)

        tasks = [asyncio.create_task(one()) for _ in range(TIMES)]
        await asyncio.sleep(0.05)
        start.set()
        return list(await asyncio.gather(*tasks))


async def test_the_same_receipt_posted_20_times_at_once_lands_once(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    answers = await _post_at_once(server, coordinator, receipt(member.member_id, amount_minor=500_000))
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 1, 200: TIMES - 1}, codes
    assert len({a.json()["id"] for a in answers}) == 1
    assert await Receipt.count() == 1
    assert await PointsEntry.count().where(PointsEntry.reason == PointsReason.spend.value) == 1
    assert await balance_of(member.member_id) == 5_000  # type: ignore[arg-type]


async def test_control_without_the_key_the_resends_race_past_the_lookup(
    server: LiveServer, coordinator: Caller, member: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(club.spend.receipts, "KEYED", False)
    answers = await _post_at_once(server, coordinator, receipt(member.member_id, amount_minor=500_000))
    assert {a.status_code for a in answers} <= {200, 201}
    landed = await Receipt.count()
    balance = await balance_of(member.member_id)  # type: ignore[arg-type]
    assert balance == 5_000 * landed
    if backend_name() == "postgres":
        assert landed > 1, "without the key the resends should have landed the receipt more than once"
    else:
        assert landed == 1
