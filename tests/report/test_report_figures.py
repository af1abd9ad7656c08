"""The monthly report's figures, gathered by the database on SQLite and PostgreSQL from the
hand-built November of tests/report/scene.py (its docstring counts every figure by hand), and
the rules it adds: the twelve months and the headline's sums."""

from __future__ import annotations

from datetime import date

import pytest

from checkin.measures.rules import MeasurePolicy, Period, Segment, month_period
from checkin.report.gathering import monthly_report
from checkin.report.rules import trailing_months
from club import clock
from events.tables import EventKind
from tests.report.scene import NOW, build_november

PARIS = "Europe/Paris"
NOVEMBER = month_period(date(2026, 11, 1), PARIS)


def test_the_twelve_months_end_with_the_reports_own_and_cross_the_year() -> None:
    months = trailing_months(NOVEMBER)
    assert [m.first for m in months] == [date(2025, 12, 1)] + [date(2026, n, 1) for n in range(1, 12)]
    assert months[-1] == NOVEMBER and months[1].last == date(2026, 1, 31)
    assert trailing_months(month_period(date(2028, 3, 1), PARIS), 2)[0] == Period(date(2028, 2, 1), date(2028, 2, 29), PARIS)


async def test_the_report_of_november() -> None:
    await build_november()
    with clock.frozen_at(NOW):
        report = await monthly_report(NOVEMBER, NOW, MeasurePolicy())
    h = report.headline
    assert (h.events, h.cancelled_events, h.rsvps, h.seats_confirmed, h.capacity) == (2, 0, 5, 4, 6)
    assert h.fill_rate == pytest.approx(4 / 6) and h.no_show_rate == pytest.approx(0.25)
    assert (h.checked_in, h.no_shows, h.late_cancellations) == (3, 1, 1)
    assert (h.answers, h.members, h.active_members) == (3, 5, 2)
    assert h.mean_score == pytest.approx(25 / 3) and h.net_promoter == pytest.approx(1 / 3)

    kinds = {k.kind: k for k in report.kinds}
    assert set(kinds) == {EventKind.salon, EventKind.trip}
    assert (kinds[EventKind.salon].fill_rate, kinds[EventKind.trip].fill_rate) == (0.75, 0.5)
    assert kinds[EventKind.salon].no_show_rate == pytest.approx(1 / 3)

    assert report.months[0].first == date(2025, 12, 1) and len(report.months) == 12
    came = {(m.first.month, k.kind): k.checked_in for m in report.months for k in m.kinds}
    assert came == {(10, EventKind.salon): 2, (11, EventKind.salon): 2, (11, EventKind.trip): 1}

    q4 = report.satisfaction.quarters[3]
    assert [q.answers for q in report.satisfaction.quarters] == [0, 0, 0, 4]
    assert q4.mean_score == pytest.approx(8.0) and q4.net_promoter == pytest.approx(0.25)
    by_kind = {k.kind: k for k in q4.kinds}
    assert by_kind[EventKind.salon].answers == 3 and by_kind[EventKind.salon].mean_score == pytest.approx(23 / 3)
    assert by_kind[EventKind.salon].net_promoter == pytest.approx(0.0) and by_kind[EventKind.trip].net_promoter == 1.0

    tiers = {t.tier_name: {c.segment: c.members for c in t.segments} for t in report.segments.tiers}
    assert [t.tier_name for t in report.segments.tiers] == ["Platinum", "Gold", "Silver"]
    assert tiers["Platinum"] == {Segment.active: 0, Segment.cooling: 0, Segment.dormant: 1}
    assert tiers["Gold"] == {Segment.active: 1, Segment.cooling: 0, Segment.dormant: 0}
    assert tiers["Silver"] == {Segment.active: 1, Segment.cooling: 2, Segment.dormant: 0}


async def test_a_month_with_nothing_is_a_report_of_zeros() -> None:
    with clock.frozen_at(NOW):
        report = await monthly_report(NOVEMBER, NOW, MeasurePolicy())
    assert report.kinds == [] and all(m.kinds == [] for m in report.months)
    assert report.headline.fill_rate is None and report.headline.mean_score is None and report.headline.events == 0
