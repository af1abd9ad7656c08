"""Prints redemptions per second under contention: wrk keeps 64 redemptions in flight against one
reward with a stock (every one takes a piece of the same row: club.rewards.stock's conditional
UPDATE) and against an unlimited one (no shared row), beside a plain authenticated GET of the
member's record as the baseline, all in the same run on the same server.

The app runs under uvicorn in a child process; the load comes from wrk (Debian's `wrk`, a C load
generator, installed when missing and we are root) with a Lua script that sends each request as
the next of the bench's members with a fresh Idempotency-Key, so every request is a new
redemption. Afterwards the database is checked: the stock went down by exactly the redemptions
made, each has its ledger entry, and no balance is below zero.

    .venv/bin/python bench/rewards.py [--backend sqlite|postgres] [--members 2000] [--seconds 10] [--connections 64]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from bench.pages import Rate, _load, _wrk
from bench.rsvp_storm import _free_port, _serve, _wait_ready
from bench.scratch import scratch_backend
from club import clock
from club.db import connection_pool, write_transaction
from club.ledger import balances_of
from club.rewards import urls
from club.rewards.catalogue import create_reward
from club.rewards.schemas import RewardIn
from club.rewards.tables import Redemption, Reward, RewardKind
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import PointsEntry, PointsReason
from tests.concurrency.bulk import bulk_members

STOCK = 10_000_000  # never runs out in a run: every request is a redemption that takes a piece
POINTS = 100_000_000  # nor do the members' points

# Each request: the next member's token, and a key no request has used (reward, thread id, counter).
_LUA = """
local tokens = {%s}
local counter = 0
local thread_id = 0
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end
function request()
  counter = counter + 1
  local token = tokens[(counter * 7 + thread_id) %% #tokens + 1]
  return wrk.format("POST", "%s", {
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = "%s-" .. thread_id .. "-" .. counter,
    ["Content-Length"] = "0",
  })
end
"""


async def _prepare(settings: Settings, members: int) -> tuple[list[str], int, int]:
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        callers = await bulk_members(members)
        async with write_transaction():
            await PointsEntry.insert(*[
                PointsEntry(member=c.member_id, delta=POINTS, reason=PointsReason.adjustment.value, source=f"bench-{c.member_id}",
                            award_key=f"adjustment:bench-{c.member_id}", note="bench", created_at=clock.now())
                for c in callers
            ])
        stocked = await create_reward(RewardIn(kind=RewardKind.gift, price=1, title_en="Stocked", stock=STOCK))
        unlimited = await create_reward(RewardIn(kind=RewardKind.voucher, price=1, title_en="Unlimited"))
    return [c.token for c in callers], stocked.id, unlimited.id


def _redeem_load(wrk: str, base: str, tokens: list[str], reward_id: int, seconds: int, connections: int) -> Rate:
    import subprocess

    from bench.pages import _LATENCY, _NON_2XX, _RATE

    path = urls.link(urls.REWARD_REDEEM, reward_id=reward_id)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % (", ".join(f'"{t}"' for t in tokens), path, f"bench-{reward_id}"))
    try:
        out = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rate, latency = _RATE.search(out), _LATENCY.search(out)
    assert rate and latency, out
    value, unit = float(latency.group(1)), latency.group(2)
    millis = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    failed = _NON_2XX.search(out)
    return Rate(float(rate.group(1)), millis, int(failed.group(1)) if failed else 0)


async def _check(settings: Settings, stocked_id: int, unlimited_id: int) -> str:
    configure_database(settings)
    async with connection_pool(max_size=4):
        taken = await Redemption.count().where(Redemption.reward == stocked_id)
        free = await Redemption.count().where(Redemption.reward == unlimited_id)
        left = (await Reward.select(Reward.stock).where(Reward.id == stocked_id).first() or {}).get("stock")
        spent = await PointsEntry.count().where(PointsEntry.reason == PointsReason.redemption.value)
        lowest = min((await balances_of(None)).values())
    assert left == STOCK - taken, (left, taken)
    assert spent == taken + free, (spent, taken, free)
    assert lowest >= 0
    return f"checked: {taken:,} + {free:,} redemptions, stock {STOCK:,} -> {left:,}, {spent:,} ledger entries, lowest balance {lowest:,}"


async def bench(backend: str, members: int, seconds: int, connections: int) -> None:
    wrk = _wrk()
    async with scratch_backend(backend, "rewards") as settings:
        tokens, stocked_id, unlimited_id = await _prepare(settings, members)
        port = _free_port()
        server = _serve(settings, port)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base, server)
            print(f"redemptions on {backend}: {members:,} members, wrk -t2 -c{connections} -d{seconds}s, one app process")
            print(f"{'target':<44} {'req/s':>8} {'mean ms':>8} {'non-2xx':>8}")
            baseline = _load(wrk, base + "/api/me", f"Authorization: Bearer {tokens[0]}", seconds, connections)
            print(f"{'baseline GET /api/me':<44} {baseline.per_second:>8.0f} {baseline.mean_latency_ms:>8.1f} {baseline.failures:>8}")
            for label, reward_id in (("redeem, one reward with a stock (one row)", stocked_id),
                                     ("redeem, an unlimited reward (no shared row)", unlimited_id)):
                rate = _redeem_load(wrk, base, tokens, reward_id, seconds, connections)
                print(f"{label:<44} {rate.per_second:>8.0f} {rate.mean_latency_ms:>8.1f} {rate.failures:>8}"
                      f"  {rate.per_second / baseline.per_second:.2f}x the baseline")
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(await _check(settings, stocked_id, unlimited_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    asyncio.run(bench(args.backend, args.members, args.seconds, args.connections))


if __name__ == "__main__":
    main()
