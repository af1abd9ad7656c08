"""The survey's rules with plain values: what a score and a comment may be, the bands, the shares,
the quarters on the club's clock, and a check-up's question that asks nothing medical."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from checkin.surveys.rules import Band, band_of, checked_answer, quarter_periods, question_of, shares_of, year_of
from club.errors import InvalidInput
from events.tables import EventKind


@pytest.mark.parametrize(("score", "band"), [(0, Band.detractor), (6, Band.detractor), (7, Band.passive),
                                             (8, Band.passive), (9, Band.promoter), (10, Band.promoter)])
def test_bands_at_their_edges(score: int, band: Band) -> None:
    assert band_of(score) == band


def test_an_answer_is_a_whole_score_from_0_to_10_and_an_optional_trimmed_comment() -> None:
    assert checked_answer("0", None) == (0, "")
    assert checked_answer(" 10 ", "  très bien  ") == (10, "très bien")
    for bad in ("", None, "11", "-1", "7.5", "seven", "１０", "1e1"):
        with pytest.raises(InvalidInput) as refused:
            checked_answer(bad, "")
        assert refused.value.extra["field"] == "score", bad
    with pytest.raises(InvalidInput) as long:
        checked_answer("8", "好" * 1001)
    assert long.value.extra["field"] == "comment"
    assert checked_answer("8", "好" * 1000)[1] == "好" * 1000


def test_shares_and_the_net_promoter_score() -> None:
    shares = shares_of(answers=5, promoters=2, detractors=2)
    assert (shares.promoters, shares.passives, shares.detractors, shares.net) == (0.4, 0.2, 0.4, 0.0)
    assert shares_of(4, 4, 0).net == 1.0
    assert shares_of(0, 0, 0).net is None


def test_the_quarters_are_whole_days_on_the_clubs_clock() -> None:
    q1, q2, q3, q4 = quarter_periods(2026, "Asia/Shanghai")
    assert (q1.first, q1.last, q2.first, q4.last) == (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 12, 31))
    assert q2.starts == datetime(2026, 4, 1, tzinfo=ZoneInfo("Asia/Shanghai")) and q1.ends == q2.starts
    assert q3.ends == q4.starts


def test_a_year_is_asked_as_four_figures() -> None:
    assert year_of(None, date(2026, 5, 1)) == 2026 and year_of("2025", date(2026, 5, 1)) == 2025
    for bad in ("26", "2026-01", "1999", "2101", "二〇二六"):
        with pytest.raises(InvalidInput):
            year_of(bad, date(2026, 5, 1))


def test_a_check_ups_question_is_about_the_arrangements_never_the_members_health() -> None:
    question = question_of(EventKind.health_checkup)
    assert "arrangements" in question and "clinic" in question
    assert not any(word in question.lower() for word in ("health", "result", "symptom", "diagnos"))
    assert question_of(EventKind.salon) != question
