"""The satisfaction summaries counted by the database, on SQLite and PostgreSQL, against a
hand-built year whose figures are counted here by hand.

The club is on Paris's clock. An answer counts in the quarter its event starts in there:
- Salon F starts 2025-12-31 23:30 UTC, 00:30 on 1 January in Paris: Q1 2026. One answer, 5.
- Salon A, 10 February: five answers 10, 9, 8, 6, 3.
- Check-up B starts 2026-03-31 22:30 UTC, 00:30 on 1 April in Paris: Q2. Answers 9, 10.
- Trip C, 5 May: answers 7, 0.
- Salon D starts 2026-12-31 23:30 UTC, already 2027 in Paris: in no quarter of 2026. Answer 10.
- Salon E is a draft (its answer, 1, is counted nowhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from checkin.measures.rules import month_period
from checkin.surveys.summaries import event_satisfaction, events_satisfaction, year_satisfaction
from club.errors import NotFound
from events.tables import EventKind, EventStatus
from tests.measures import builders
from tests.surveys.helpers import answer

PARIS = "Europe/Paris"


@dataclass
class Year:
    salon_a: int
    checkup_b: int
    trip_c: int
    salon_d: int
    salon_f: int
    empty: int


async def _answers(event_id: int, *scores: int) -> None:
    for score in scores:
        await answer(event_id, await builders.member(), score)


async def build_year() -> Year:
    f = await builders.event(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), title="Salon F")
    a = await builders.event(datetime(2026, 2, 10, 18, 0, tzinfo=UTC), title="Salon A")
    b = await builders.event(datetime(2026, 3, 31, 22, 30, tzinfo=UTC), kind=EventKind.health_checkup, title="Check-up B")
    c = await builders.event(datetime(2026, 5, 5, 8, 0, tzinfo=UTC), kind=EventKind.trip, title="Trip C")
    d = await builders.event(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), title="Salon D")
    e = await builders.event(datetime(2026, 6, 1, 18, 0, tzinfo=UTC), status=EventStatus.draft, title="Salon E")
    empty = await builders.event(datetime(2026, 6, 2, 18, 0, tzinfo=UTC), title="Nobody answered")
    await _answers(f, 5)
    await _answers(a, 10, 9, 8, 6, 3)
    await _answers(b, 9, 10)
    await _answers(c, 7, 0)
    await _answers(d, 10)
    await _answers(e, 1)
    return Year(a, b, c, d, f, empty)


async def test_one_events_figures() -> None:
    y = await build_year()
    a = await event_satisfaction(y.salon_a)
    # 10 + 9 + 8 + 6 + 3 = 36 over 5; promoters 10, 9; passive 8; detractors 6, 3.
    assert (a.answers, a.mean_score, a.promoters, a.passives, a.detractors) == (5, 7.2, 2, 1, 2)
    assert (a.promoter_share, a.passive_share, a.detractor_share, a.net_promoter) == (0.4, 0.2, 0.4, 0.0)
    assert (a.title, a.kind) == ("Salon A", EventKind.salon)
    none = await event_satisfaction(y.empty)
    assert (none.answers, none.mean_score, none.promoter_share, none.net_promoter) == (0, None, None, None)
    with pytest.raises(NotFound):
        await event_satisfaction(999_999)


async def test_the_year_by_quarter_and_kind() -> None:
    await build_year()
    found = await year_satisfaction(2026, PARIS)
    q1, q2, q3, q4 = found.quarters
    # Q1: Salon F (5) and Salon A (10, 9, 8, 6, 3): six salon answers, 41 in all.
    assert (q1.answers, q1.promoters, q1.passives, q1.detractors) == (6, 2, 1, 3)
    assert q1.mean_score == pytest.approx(41 / 6) and q1.net_promoter == pytest.approx((2 - 3) / 6)
    assert [(k.kind, k.answers) for k in q1.kinds] == [(EventKind.salon, 6)]
    # Q2: Check-up B (9, 10) and Trip C (7, 0): 26 over 4.
    assert (q2.answers, q2.mean_score, q2.promoters, q2.passives, q2.detractors, q2.net_promoter) == (4, 6.5, 2, 1, 1, 0.25)
    by_kind = {k.kind: k for k in q2.kinds}
    assert (by_kind[EventKind.health_checkup].answers, by_kind[EventKind.health_checkup].mean_score,
            by_kind[EventKind.health_checkup].net_promoter) == (2, 9.5, 1.0)
    assert (by_kind[EventKind.trip].mean_score, by_kind[EventKind.trip].net_promoter) == (3.5, -0.5)
    assert (q3.answers, q3.mean_score, q3.kinds, q4.answers) == (0, None, [], 0)
    assert (q2.first.isoformat(), q2.last.isoformat()) == ("2026-04-01", "2026-06-30")
    # The year: ten answers, 67 in all; promoters 10, 9, 9, 10; detractors 5, 6, 3, 0.
    t = found.total
    assert (t.answers, t.mean_score, t.promoters, t.passives, t.detractors, t.net_promoter) == (10, 6.7, 4, 2, 4, 0.0)
    # Salon D is Paris's 2027.
    next_year = await year_satisfaction(2027, PARIS)
    assert (next_year.quarters[0].answers, next_year.total.answers) == (1, 1)


async def test_a_periods_events_in_the_order_they_start() -> None:
    y = await build_year()
    april = await events_satisfaction(month_period(datetime(2026, 4, 15).date(), PARIS))
    assert [(e.event_id, e.answers) for e in april.events] == [(y.checkup_b, 2)]
    february = await events_satisfaction(month_period(datetime(2026, 2, 1).date(), PARIS))
    assert [(e.title, e.mean_score) for e in february.events] == [("Salon A", 7.2)]
    # Events nobody answered are not listed; the draft is not either.
    june = await events_satisfaction(month_period(datetime(2026, 6, 1).date(), PARIS))
    assert june.events == []
