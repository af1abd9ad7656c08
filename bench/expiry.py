"""Prints how long points expiry takes at club scale on PostgreSQL: the coordinator's preview (one
aggregate over the whole ledger), the first run (the members locked in chunks and one INSERT ...
SELECT of that aggregate per chunk, an expiry entry for every member with old points) and a second
run of the same date (which writes nothing), beside a plain SELECT member, SUM(delta) ... GROUP BY
member over the same ledger in the same run.

The club is made with INSERT ... SELECT FROM generate_series (no ORM loop): 100,000 members, four
ledger entries each: points earned in early 2025 (before the cutoff of 31 March 2027 under a
24-month rule), a redemption in 2026 taking part of them (all of them for one member in five),
points earned in 2026, and for one member in ten a redemption returned. The clock stands at 00:30
on 1 April 2027 in Paris. The baseline and the preview are run --runs times; the median is printed.

    .venv/bin/python bench/expiry.py [--members 100000] [--runs 5] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from bench.scratch import scratch_backend
from bench.steps import median as _median
from bench.steps import run_sql as _sql
from bench.steps import step as _step
from bench.steps import timed as _timed
from club import clock
from club.db import connection_pool, current_engine
from club.expiry.expiring import _PREVIEW_SQL, preview, run_due
from club.expiry.policy import save_rule
from club.expiry.rules import ExpiryMode
from club.expiry.schemas import ExpiryRuleIn
from club.expiry.tables import ExpiryRun
from club.server.migrate import migrate
from club.server.wiring import configure_database

NOW = datetime(2027, 3, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 April 2027 in Paris
BASELINE = "SELECT member, SUM(delta) AS balance FROM points_entry GROUP BY member"


async def _seed(members: int) -> None:
    await _step("members", f"""
INSERT INTO member (name, email, phone, language, time_zone, status, joined_on)
SELECT 'Member ' || n, 'm' || n || '@bench.example', NULL, 'zh-Hans', 'Asia/Shanghai', 'active', DATE '2024-01-01'
FROM generate_series(1, {members}) AS n""")
    # k 0: old points (1,000 to 5,999) in Jan-Mar 2025; k 1: a redemption of 2026, all the old points
    # for one member in five, else a third; k 2: new points of 2026; k 3 (one in ten): a returned redemption.
    await _step("ledger", """
INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at)
SELECT m.id, d.delta, d.reason, 'bench-' || m.id || '-' || k, d.reason || ':bench-' || m.id || '-' || k, '', d.at
FROM member m CROSS JOIN generate_series(0, 3) AS k
CROSS JOIN LATERAL (SELECT 1000 + (m.id * 7919) % 5000 AS old) o
CROSS JOIN LATERAL (SELECT
  CASE k WHEN 0 THEN o.old WHEN 1 THEN -(CASE WHEN m.id % 5 = 0 THEN o.old ELSE o.old / 3 END)
         WHEN 2 THEN 500 + m.id % 700 ELSE 200 END AS delta,
  CASE k WHEN 1 THEN 'redemption' WHEN 3 THEN 'returned' ELSE 'adjustment' END AS reason,
  CASE k WHEN 0 THEN TIMESTAMPTZ '2025-01-05 10:00+00' + (m.id % 80) * INTERVAL '1 day'
         WHEN 1 THEN TIMESTAMPTZ '2026-02-01 10:00+00' + (m.id % 60) * INTERVAL '1 day'
         WHEN 2 THEN TIMESTAMPTZ '2026-05-01 10:00+00' + (m.id % 60) * INTERVAL '1 day'
         ELSE TIMESTAMPTZ '2026-04-01 10:00+00' END AS at) d
WHERE k < 3 OR m.id % 10 = 0""")
    # The returned redemptions' own debit, so each return gives back what was taken.
    await _step("returns' redemptions", """
INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at)
SELECT m.id, -200, 'redemption', 'bench-r-' || m.id, 'redemption:bench-r-' || m.id, '', TIMESTAMPTZ '2026-03-20 10:00+00'
FROM member m WHERE m.id % 10 = 0""")
    await current_engine().run_ddl("ANALYZE")


async def bench(members: int, runs: int, explain: bool) -> None:
    async with scratch_backend("postgres", "expiry") as settings:
        configure_database(settings)
        async with connection_pool(max_size=4):
            await migrate()
            started = time.perf_counter()
            await _seed(members)
            with clock.frozen_at(datetime(2027, 1, 10, tzinfo=UTC)):
                await save_rule(ExpiryRuleIn(mode=ExpiryMode.rolling, window_months=24), by=None)
            counts = {t: (await _sql(f"SELECT COUNT(*) AS n FROM {t}"))[0]["n"] for t in ("member", "points_entry")}
            print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
            zone = settings.zone
            with clock.frozen_at(datetime(2027, 3, 20, tzinfo=UTC)):
                baseline_s, _ = await _median(runs, lambda: _sql(BASELINE))
                preview_s, seen = await _median(runs, lambda: preview(zone))
            with clock.frozen_at(NOW):
                run_s, done = await _timed(lambda: run_due(zone))
                await ExpiryRun.delete(force=True)  # so the second run sums the ledger again
                again_s, again = await _timed(lambda: run_due(zone))
            negative = (await _sql("SELECT COUNT(*) AS n FROM member WHERE points_balance < 0"))[0]["n"]
            print(f"\n{seen.expires_on}: preview {seen.members:,} members, {seen.points:,} points; "
                  f"first run wrote {done.members:,} entries ({done.points:,} points), the second {again.members:,}; "
                  f"balances below zero: {negative}")
            print(f"\n{'step':52} {'time':>10}   beside")
            print(f"{'baseline: SUM(delta) GROUP BY member':52} {baseline_s * 1000:8.1f} ms   (median of {runs})")
            print(f"{'preview: one aggregate (median)':52} {preview_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            print(f"{'first run: lock + INSERT ... SELECT per 5,000':52} {run_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            print(f"{'second run: the same date, nothing written':52} {again_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            if explain:
                print("\n-- EXPLAIN ANALYZE: the preview")
                with clock.frozen_at(datetime(2027, 3, 20, tzinfo=UTC)):
                    cutoff = datetime(2025, 3, 31, 22, 0, tzinfo=UTC)
                    for row in await _sql("EXPLAIN (ANALYZE, BUFFERS) " + _PREVIEW_SQL, cutoff, 0, 2**31 - 1):
                        print(row["QUERY PLAN"])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    asyncio.run(bench(args.members, args.runs, args.explain))


if __name__ == "__main__":
    main()
