"""Prints how long the monthly report takes at club scale on PostgreSQL: the page's data (the
report gathered and its four charts drawn as SVG), the .xlsx and the PDF, each gathered afresh as
a download is, beside a plain COUNT over the same tables in the same run, and whether each stays
under 2 s.

The club is bench/measures.py's (imported, not copied): 100,000 members, 2,000 events over 2026,
500,000 RSVPs, their admissions and no-shows; here each admitted member of one event in ten
answers its survey too. The clock stands at 20 December 2026; the month reported is November,
its twelve months December 2025 to November 2026. Each is run --runs times; the median is printed.

    .venv/bin/python bench/monthly_report.py [--members 100000] [--events 2000] [--rsvps 500000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from bench.measures import MONTH, NOW, TARGET_S, _seed
from bench.scratch import scratch_backend
from bench.steps import median as _median
from bench.steps import run_sql as _sql
from bench.steps import step as _step
from checkin.measures.rules import MeasurePolicy
from checkin.report.charts import report_charts, svg_of
from checkin.report.document import report_pdf
from checkin.report.gathering import monthly_report
from checkin.report.tables import report_tables
from checkin.report.workbook import report_workbook
from club import clock
from club.db import connection_pool, current_engine
from club.i18n.languages import Language
from club.server.migrate import migrate
from club.server.wiring import configure_database

ZH = Language.zh_hans


async def _answers() -> None:
    await _step("survey answers", """
INSERT INTO survey_answer (event, member, rsvp, answer_key, score, comment, answered_at)
SELECT ci.event, ci.member, ci.rsvp, ci.event || ':' || ci.member, (ci.rsvp * 7) % 11, '', ci.checked_in_at + INTERVAL '1 day'
FROM check_in ci WHERE ci.reverted_at IS NULL AND ci.event % 10 = 0""")
    await current_engine().run_ddl("ANALYZE")


async def bench(members: int, events: int, rsvps: int, runs: int) -> None:
    async with scratch_backend("postgres", "monthly_report") as settings:
        configure_database(settings)
        async with connection_pool(max_size=4):
            await migrate()
            started = time.perf_counter()
            await _seed(members, events, rsvps)
            await _answers()
            # As a club's tables stand (autovacuum has been by): else its first pass runs inside the timings.
            await current_engine().run_ddl("VACUUM ANALYZE")
            tables = ("member", "event", "rsvp", "check_in", "no_show", "survey_answer")
            counts = {t: (await _sql(f"SELECT COUNT(*) AS n FROM {t}"))[0]["n"] for t in tables}
            print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
            policy = MeasurePolicy.of(settings)
            accent, name, zone = settings.club_accent, settings.club_name, settings.club_time_zone

            async def page() -> int:
                report = await monthly_report(MONTH, NOW, policy)
                report_tables(report, ZH)
                return sum(len(svg_of(c)) for c in report_charts(report, ZH, accent).values())

            async def xlsx() -> bytes:
                return report_workbook(await monthly_report(MONTH, NOW, policy), ZH)

            async def pdf() -> bytes:
                return report_pdf(await monthly_report(MONTH, NOW, policy), ZH, name, accent, zone)

            plain = ("SELECT (SELECT COUNT(*) FROM member) + (SELECT COUNT(*) FROM event) + (SELECT COUNT(*) FROM rsvp)"
                     " + (SELECT COUNT(*) FROM check_in) + (SELECT COUNT(*) FROM no_show) + (SELECT COUNT(*) FROM survey_answer) AS n")
            with clock.frozen_at(NOW):
                data_s, report = await _median(runs, lambda: monthly_report(MONTH, NOW, policy))
                page_s, svg_bytes = await _median(runs, page)
                xlsx_s, book = await _median(runs, xlsx)
                pdf_s, document = await _median(runs, pdf)
                plain_s, _ = await _median(runs, lambda: _sql(plain))
            h = report.headline
            print(f"\nNovember 2026: {h.events} events held, {h.rsvps:,} RSVPs, {h.checked_in:,} in, fill {h.fill_rate or 0:.1%}, "
                  f"{h.answers:,} answers; {h.members:,} members, {h.active_members:,} active; "
                  f"twelve months' check-ins {sum(k.checked_in for m in report.months for k in m.kinds):,}")
            print(f"\n{'the monthly report':44} {'median':>10}   beside")
            beside = f"COUNT(*) of the six tables {plain_s * 1000:.1f} ms"
            for label, took, size in (("data only (five statements)", data_s, ""),
                                      ("page: data + tables + four SVG charts", page_s, f"{svg_bytes / 1024:.0f} KB of SVG"),
                                      (".xlsx: data + workbook", xlsx_s, f"{len(book) / 1024:.0f} KB"),
                                      ("PDF: data + document with charts", pdf_s, f"{len(document) / 1024:.0f} KB")):
                verdict = "met" if took < TARGET_S else "MISSED"
                print(f"{label:44} {took * 1000:8.1f} ms   {beside}; {size + '; ' if size else ''}target {TARGET_S * 1000:.0f} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--rsvps", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(bench(args.members, args.events, args.rsvps, args.runs))


if __name__ == "__main__":
    main()
