"""Redemptions raced over real HTTP against the live server, on SQLite and PostgreSQL.

200 members redeem a reward with a stock of 20 at once: exactly 20 get it, the stock ends at 0
and the 180 others are told it is out of stock (409). One member fires more redemptions at once
than their balance pays for: exactly floor(balance / price) succeed and the balance never goes
below zero. Each has a control with `club.locking.LOCKING` off (the switch every lock of the
service obeys, the stock's conditional UPDATE too: club.rewards.stock), which on PostgreSQL
shows the oversale and the overdraft happen without them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

import httpx
import pytest

import club.locking
from club import clock
from club.db import write_transaction
from club.ledger import balance_of, balances_of
from club.rewards import urls
from club.rewards.tables import Redemption, Reward
from club.tables import PointsEntry, PointsReason
from tests.concurrency.bulk import bulk_members
from tests.concurrency.storm import IN_FLIGHT
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller, make_member
from tests.rewards.helpers import give_points, make_reward


async def _points_for_all(members: Sequence[Caller], points: int) -> None:
    """Each member's opening balance, one ledger entry each (award() one by one is slow for 200)."""
    async with write_transaction():
        await PointsEntry.insert(*[
            PointsEntry(member=m.member_id, delta=points, reason=PointsReason.adjustment.value, source=f"race-{m.member_id}",
                        award_key=f"adjustment:race-{m.member_id}", note="opening balance", created_at=clock.now())
            for m in members
        ])


async def _redeem_all(http: httpx.AsyncClient, reward_id: int, callers: Sequence[Caller]) -> list[httpx.Response]:
    """Every caller's redemption at once (each with its own Idempotency-Key), IN_FLIGHT at a time."""
    gate = asyncio.Semaphore(IN_FLIGHT)
    path = urls.link(urls.REWARD_REDEEM, reward_id=reward_id)

    async def one(caller: Caller, n: int) -> httpx.Response:
        async with gate:
            return await http.post(path, headers={**caller.headers, "Idempotency-Key": f"race-{n}"})

    return list(await asyncio.gather(*[one(c, n) for n, c in enumerate(callers)]))


async def _stock(reward_id: int) -> int | None:
    row = await Reward.select(Reward.stock).where(Reward.id == reward_id).first()
    assert row is not None
    return row["stock"]


async def test_200_members_redeem_a_stock_of_20_and_exactly_20_get_it(server: LiveServer, coordinator: Caller) -> None:
    reward = await make_reward(server, coordinator, price=500, stock=20)
    members = await bulk_members(200)
    await _points_for_all(members, 1_000)
    async with server.client() as http:
        answers = await _redeem_all(http, reward["id"], members)
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 20, 409: 180}, codes
    assert {a.json()["type"] for a in answers if a.status_code == 409} == {"/problems/out-of-stock"}
    assert await _stock(reward["id"]) == 0
    winners = {a.json()["member_id"] for a in answers if a.status_code == 201}
    assert len(winners) == 20
    assert await Redemption.count().where(Redemption.reward == reward["id"]) == 20
    balances = await balances_of([m.member_id for m in members])  # type: ignore[misc]
    # The 20 paid once each; nobody else paid anything (a refused redemption rolled back whole).
    assert sorted(balances.values()) == [500] * 20 + [1_000] * 180
    assert {m for m, b in balances.items() if b == 500} == winners


async def test_one_member_redeeming_beyond_their_balance_at_once_never_goes_below_zero(
    server: LiveServer, coordinator: Caller
) -> None:
    reward = await make_reward(server, coordinator, price=300)  # unlimited: only the balance limits
    member = await make_member("Zhao Min")
    await give_points(member.member_id, 2_000)  # type: ignore[arg-type]
    async with server.client() as http:
        answers = await _redeem_all(http, reward["id"], [member] * 30)
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 2_000 // 300, 409: 30 - 2_000 // 300}, codes
    assert {a.json()["type"] for a in answers if a.status_code == 409} == {"/problems/not-enough-points"}
    assert await balance_of(member.member_id) == 2_000 - 6 * 300  # type: ignore[arg-type]


async def test_control_without_the_locks_the_stock_is_oversold(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with `LOCKING` off, the stock is read and written back instead of taken by
    the conditional UPDATE. On PostgreSQL redemptions read the same stock before any commits, and
    more than 20 get the reward. On SQLite every write transaction is BEGIN IMMEDIATE behind one
    lock (club.db.write_transaction), so the count stays exact without it: each backend asserts
    its own mechanism."""
    reward = await make_reward(server, coordinator, price=500, stock=20)
    members = await bulk_members(200)
    await _points_for_all(members, 1_000)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    async with server.client() as http:
        answers = await _redeem_all(http, reward["id"], members)
    assert {a.status_code for a in answers} <= {201, 409}
    won = sum(a.status_code == 201 for a in answers)
    if backend_name() == "postgres":
        assert won > 20, "without the guard the storm should have oversold the stock"
    else:
        assert won == 20 and await _stock(reward["id"]) == 0


async def test_control_without_the_member_lock_the_balance_goes_below_zero(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with the member's lock off, concurrent redemptions each read the balance
    before the others' entries commit, and on PostgreSQL more than it pays for get through."""
    reward = await make_reward(server, coordinator, price=300)
    member = await make_member("Zhao Min")
    await give_points(member.member_id, 2_000)  # type: ignore[arg-type]
    monkeypatch.setattr(club.locking, "LOCKING", False)
    async with server.client() as http:
        answers = await _redeem_all(http, reward["id"], [member] * 30)
    won = sum(a.status_code == 201 for a in answers)
    balance = await balance_of(member.member_id)  # type: ignore[arg-type]
    if backend_name() == "postgres":
        assert won > 6 and balance < 0, (won, balance)
    else:
        assert won == 6 and balance == 200
