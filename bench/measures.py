"""Prints how long the measures take at club scale on PostgreSQL: a month's figures per kind of
event, the month's events table, and the segments per tier, each beside a plain COUNT over the
same tables in the same run, and whether the three together stay under 2 s.

The club is made with INSERT ... SELECT FROM generate_series (no ORM loop): 100,000 members
(most Silver, a few suspended), 2,000 events over 2026 (salons, trips, check-ups, shows; a few
cancelled), 500,000 RSVPs (250 an event: confirmed, some cancelled by the member, late or not,
some still waiting or promoted after a wait), an admission for four confirmed RSVPs in five at
the events already over (one in a hundred undone) and a no-show for the rest. The clock stands
at 20 December 2026; the month measured is November. Each query is run --runs times; the median
is printed. With --explain the plans of the three are printed too.

    .venv/bin/python bench/measures.py [--members 100000] [--events 2000] [--rsvps 500000] [--runs 5] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from bench.scratch import scratch_backend
from bench.steps import median as _median
from bench.steps import run_sql as _sql
from bench.steps import step as _step
from checkin.measures.event_figures import _PARTS, _PERIOD, _events_sql, _kinds_sql, events_figures, kind_figures
from checkin.measures.rules import MeasurePolicy, Period
from checkin.measures.segments import _COUNTS_SQL, segment_counts
from club import clock
from club.db import connection_pool, current_engine
from club.server.migrate import migrate
from club.server.wiring import configure_database

TARGET_S = 2.0
NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)
MONTH = Period(date(2026, 11, 1), date(2026, 11, 30), "Europe/Paris")


async def _seed(members: int, events: int, rsvps: int) -> None:
    per_event = rsvps // events
    await _step("members", f"""
INSERT INTO member (name, email, phone, language, time_zone, status, joined_on, tier)
SELECT 'Member ' || n, 'm' || n || '@bench.example', NULL, 'zh-Hans', 'Asia/Shanghai',
  CASE WHEN n % 100 = 0 THEN 'suspended' ELSE 'active' END, DATE '2024-01-01' + (n % 700),
  (SELECT id FROM tier WHERE rank = CASE WHEN n % 100 < 70 THEN 1 WHEN n % 100 < 92 THEN 2 WHEN n % 100 < 99 THEN 3 ELSE 4 END)
FROM generate_series(1, {members}) AS n""")
    # Events every few hours through 2026; one in thirty cancelled by the club.
    await _step("events", f"""
INSERT INTO event (kind, title, description, venue, venue_time_zone, starts_at, ends_at, capacity, max_guests,
  status, waitlist_policy, invitation_only, version, attendance_points, created_at, updated_at)
SELECT (ARRAY['salon', 'salon', 'trip', 'health_checkup', 'fashion_week'])[1 + n % 5], 'Event ' || n, '', 'Maison',
  'Asia/Shanghai', TIMESTAMPTZ '2026-01-01 10:00+00' + (n * INTERVAL '4 hours 22 minutes'),
  TIMESTAMPTZ '2026-01-01 12:00+00' + (n * INTERVAL '4 hours 22 minutes'), {per_event - 20}, 0,
  CASE WHEN n % 30 = 0 THEN 'cancelled' ELSE 'published' END, 'first_come', false, 1, 100,
  TIMESTAMPTZ '2025-12-01 00:00+00', TIMESTAMPTZ '2025-12-01 00:00+00'
FROM generate_series(1, {events}) AS n""")
    # RSVP k of event e: member (e*97 + k*389) mod N, distinct within an event (389 is prime to N).
    # k < cap-ish confirmed; every 20th cancelled by the member (late when k % 40 = 0); the last 20 waiting,
    # every 5th of them promoted after k hours.
    await _step("rsvps", f"""
INSERT INTO rsvp (event, member, rsvp_key, status, guests, seats, created_at, confirmed_at, waitlisted_at,
  tier_rank_at_join, tier_name_at_join, position_reason, promoted_at, cancelled_at, cancelled_by)
SELECT e.id, m, e.id || ':' || m,
  CASE WHEN c THEN 'cancelled' WHEN w AND NOT p THEN 'waitlisted' ELSE 'confirmed' END, 0, 1,
  e.starts_at - INTERVAL '20 days', CASE WHEN NOT w OR p THEN e.starts_at - INTERVAL '19 days' END,
  CASE WHEN w THEN e.starts_at - INTERVAL '10 days' END, NULL, NULL, '',
  CASE WHEN p THEN e.starts_at - INTERVAL '10 days' + k * INTERVAL '1 hour' END,
  CASE WHEN c THEN e.starts_at - CASE WHEN k % 40 = 0 THEN INTERVAL '12 hours' ELSE INTERVAL '5 days' END END,
  CASE WHEN c THEN 'member' END
FROM (
  SELECT i / {per_event} + 1 AS event_n, i % {per_event} AS k FROM generate_series(0, {rsvps} - 1) AS i
) s
JOIN event e ON e.id = s.event_n
CROSS JOIN LATERAL (SELECT ((s.event_n * 97 + s.k * 389) % {members}) + 1 AS m,
  s.k % 20 = 0 AND s.k < {per_event - 20} AS c, s.k >= {per_event - 20} AS w,
  s.k >= {per_event - 20} AND s.k % 5 = 0 AS p) f""")
    await _step("check-ins", """
INSERT INTO check_in (event, rsvp, member, admission_key, gate, checked_in_at, points, reverted_at, revert_reason)
SELECT r.event, r.id, r.member, CASE WHEN r.id % 100 = 0 THEN r.id || ':reverted' ELSE r.id::text END, 'A',
  e.starts_at + INTERVAL '5 minutes', 100, CASE WHEN r.id % 100 = 0 THEN e.starts_at + INTERVAL '10 minutes' END, ''
FROM rsvp r JOIN event e ON e.id = r.event
WHERE r.status = 'confirmed' AND e.status = 'published' AND e.ends_at < {} AND r.id % 5 <> 0""", NOW)
    # Fresh statistics first, or the anti-join below is planned for an empty check_in (minutes, not seconds).
    await current_engine().run_ddl("ANALYZE")
    await _step("no-shows", """
INSERT INTO no_show (event, member, rsvp, no_show_key, recorded_at)
SELECT r.event, r.member, r.id, r.event || ':' || r.member, e.ends_at + INTERVAL '1 hour'
FROM rsvp r JOIN event e ON e.id = r.event
WHERE r.status = 'confirmed' AND e.status = 'published' AND e.ends_at < {} AND NOT EXISTS (
  SELECT 1 FROM check_in ci WHERE ci.rsvp = r.id AND ci.reverted_at IS NULL)""", NOW)
    await current_engine().run_ddl("ANALYZE")


async def _explain(label: str, sql: str, *values: Any) -> None:
    print(f"\n-- EXPLAIN ANALYZE: {label}")
    for row in await _sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, *values):
        print(row["QUERY PLAN"])


async def bench(members: int, events: int, rsvps: int, runs: int, explain: bool) -> None:
    async with scratch_backend("postgres", "measures") as settings:
        configure_database(settings)
        async with connection_pool(max_size=4):
            await migrate()
            started = time.perf_counter()
            await _seed(members, events, rsvps)
            counts = {t: (await _sql(f"SELECT COUNT(*) AS n FROM {t}"))[0]["n"] for t in ("member", "event", "rsvp", "check_in", "no_show")}
            print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
            policy = MeasurePolicy.of(settings)
            month = (MONTH.starts, MONTH.ends)
            with clock.frozen_at(NOW):
                kinds_s, kinds = await _median(runs, lambda: kind_figures(MONTH, policy.late))
                events_s, rows = await _median(runs, lambda: events_figures(MONTH, policy.late))
                segments_s, segments = await _median(runs, lambda: segment_counts(NOW, policy.thresholds))
                month_rsvps = "SELECT COUNT(*) AS n FROM rsvp r JOIN event e ON e.id = r.event WHERE e.starts_at >= {} AND e.starts_at < {}"
                plain_month_s, plain = await _median(runs, lambda: _sql(month_rsvps, *month))
                plain_all_s, _ = await _median(runs, lambda: _sql(
                    "SELECT (SELECT COUNT(*) FROM member) + (SELECT COUNT(*) FROM check_in) AS n"))
            total = kinds_s + events_s + segments_s
            print(f"\nNovember 2026: {len(rows)} events, {plain[0]['n']:,} of their RSVPs; "
                  f"{sum(t.members for t in segments.tiers):,} active members in segments")
            for k in kinds:
                print(f"  {k.kind.value:15} {k.events:4} held ({k.cancelled_events} cancelled), {k.rsvps:7,} RSVPs, "
                      f"fill {k.fill_rate:.1%}, {k.promoted} promoted after {(k.mean_promotion_wait_s or 0) / 3600:.1f} h, "
                      f"{k.late_cancellations} late, {k.checked_in:,} in, {k.no_shows:,} no-shows")
            for t in segments.tiers:
                print(f"  {t.tier_name or '(no tier)':10} " + ", ".join(f"{s.segment.value} {s.members:,}" for s in t.segments))
            print(f"\n{'query':44} {'median':>10}   beside")
            print(f"{'per kind, one month':44} {kinds_s * 1000:8.1f} ms   COUNT of the month's RSVPs {plain_month_s * 1000:.1f} ms")
            print(f"{'events table, one month':44} {events_s * 1000:8.1f} ms   COUNT of the month's RSVPs {plain_month_s * 1000:.1f} ms")
            print(f"{'segments per tier, all members':44} {segments_s * 1000:8.1f} ms   COUNT of members + check-ins {plain_all_s * 1000:.1f} ms")
            print(f"{'the three together':44} {total * 1000:8.1f} ms   target {TARGET_S * 1000:.0f} ms: "
                  f"{'met' if total < TARGET_S else 'MISSED'}")
            if explain or total >= TARGET_S:
                c = policy.thresholds.cutoffs(NOW)
                await _explain("per kind", _kinds_sql(_PERIOD, policy.late), *list(month) * _PARTS)
                await _explain("events", _events_sql(_PERIOD, policy.late), *list(month) * _PARTS)
                await _explain("segments", _COUNTS_SQL, c.dormant_before, c.active_since, c.active_visits, c.window_since)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--rsvps", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    asyncio.run(bench(args.members, args.events, args.rsvps, args.runs, args.explain))


if __name__ == "__main__":
    main()
