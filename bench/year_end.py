"""Prints how long the year-end rewards take at club scale on PostgreSQL: the coordinator's
preview, the first run (one INSERT ... SELECT giving every member their reward) and a second run
(which gives nobody anything), beside a plain COUNT and SUM over member in the same run.

The club is made with INSERT ... SELECT FROM generate_series (no ORM loop): 100,000 members (one in
a hundred suspended), three ledger entries each over 2026 (balances from a few points to about
60,000) and, for one member in ten, an entry of January 2027 that must not count. The table is the
articles' (3% from 30,000 points, 2% below) and a gift from 55,000. The clock stands at 5 January
2027. The preview and the baseline are run --runs times; the median is printed.

    .venv/bin/python bench/year_end.py [--members 100000] [--runs 5] [--explain]
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
from club.i18n.languages import Language
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.year_end.awarding import _BY_ROW, _cutoff, preview, run_year_end
from club.year_end.rule_table import replace_rules
from club.year_end.rules import RuleKind
from club.year_end.schemas import RuleIn

NOW = datetime(2027, 1, 5, 10, tzinfo=UTC)
ZONE = "Asia/Shanghai"


async def _seed(members: int) -> None:
    await _step("members", f"""
INSERT INTO member (name, email, phone, language, time_zone, status, joined_on)
SELECT 'Member ' || n, 'm' || n || '@bench.example', NULL, 'zh-Hans', 'Asia/Shanghai',
  CASE WHEN n % 100 = 0 THEN 'suspended' ELSE 'active' END, DATE '2024-01-01' + (n % 700)
FROM generate_series(1, {members}) AS n""")
    # Three entries a member over 2026: a balance of (id * 7919) mod 60,000 in all, spread 1/2, 1/3, 1/6.
    await _step("ledger of 2026", """
INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at)
SELECT m.id, CASE k WHEN 0 THEN b / 2 WHEN 1 THEN b / 3 ELSE b - b / 2 - b / 3 END, 'adjustment',
  'bench-' || m.id || '-' || k, 'adjustment:bench-' || m.id || '-' || k, '',
  TIMESTAMPTZ '2026-01-10 10:00+00' + ((m.id % 300) + k * 20) * INTERVAL '1 day'
FROM member m CROSS JOIN generate_series(0, 2) AS k
CROSS JOIN LATERAL (SELECT (m.id * 7919) % 60000 AS b) f""")
    await _step("ledger of January 2027", """
INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at)
SELECT m.id, 5000, 'adjustment', 'bench-jan-' || m.id, 'adjustment:bench-jan-' || m.id, '',
  TIMESTAMPTZ '2027-01-03 10:00+00'
FROM member m WHERE m.id % 10 = 0""")
    await _sql("""INSERT INTO reward (kind, title_zh, title_en, description_zh, description_en, price, active, created_at, updated_at)
VALUES ('gift', '真丝方巾', 'Silk scarf', '', '', 9000, true, now(), now())""")
    await current_engine().run_ddl("ANALYZE")


async def bench(members: int, runs: int, explain: bool) -> None:
    async with scratch_backend("postgres", "year_end") as settings:
        configure_database(settings)
        async with connection_pool(max_size=4):
            await migrate()
            started = time.perf_counter()
            await _seed(members)
            reward = (await _sql("SELECT id FROM reward LIMIT 1"))[0]["id"]
            await replace_rules([
                RuleIn(min_balance=1, kind=RuleKind.percent, percent_bp=200),
                RuleIn(min_balance=30_000, kind=RuleKind.percent, percent_bp=300),
                RuleIn(min_balance=55_000, kind=RuleKind.reward, reward_id=reward),
            ], Language.en)
            counts = {t: (await _sql(f"SELECT COUNT(*) AS n FROM {t}"))[0]["n"] for t in ("member", "points_entry")}
            print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
            with clock.frozen_at(NOW):
                baseline_s, _ = await _median(runs, lambda: _sql(
                    "SELECT COUNT(*) AS n, SUM(points_balance) AS points FROM member"))
                preview_s, seen = await _median(runs, lambda: preview(2026, ZONE, Language.en))
                run_s, done = await _timed(lambda: run_year_end(2026, ZONE))
                again_s, again = await _timed(lambda: run_year_end(2026, ZONE))
                after_s, after = await _timed(lambda: preview(2026, ZONE, Language.en))
            print(f"\n2026: {seen.members:,} members earn a reward")
            for row in seen.rows:
                worth = f"{row.total_value:,} CNY" if row.rule.kind is RuleKind.percent else f"{row.pieces:,} pieces"
                print(f"  from {row.rule.min_balance:>6,}: {row.members:7,} members, {worth}")
            print(f"  first run gave {done.awarded:,}; the second gave {again.awarded:,} "
                  f"({again.already_awarded:,} already had theirs); preview after: {after.already_awarded:,} awarded")
            print(f"\n{'step':44} {'time':>10}   beside")
            print(f"{'baseline: COUNT and SUM over member':44} {baseline_s * 1000:8.1f} ms   (median of {runs})")
            print(f"{'preview (median)':44} {preview_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            print(f"{'first run: every reward, one statement':44} {run_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            print(f"{'second run: nobody again':44} {again_s * 1000:8.1f} ms   baseline {baseline_s * 1000:.1f} ms")
            print(f"{'preview after the run':44} {after_s * 1000:8.1f} ms")
            if explain:
                print("\n-- EXPLAIN ANALYZE: preview per row")
                for row in await _sql("EXPLAIN (ANALYZE, BUFFERS) " + _BY_ROW, _cutoff(2026, ZONE), 2026):
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
