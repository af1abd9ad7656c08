"""A member's measures over the hand-built December (tests/measures/scene.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checkin.measures.member_figures import member_figures
from checkin.measures.rules import Segment, SegmentThresholds
from club.errors import NotFound
from club.tables import PointsReason
from tests.measures.builders import at
from tests.measures.scene import build_december

LATE = timedelta(hours=48)
NOW = at(20, 12)


async def test_a_regular_member_s_record_and_ledger_by_source() -> None:
    d = await build_december()
    m1 = await member_figures(d.m[1], NOW, SegmentThresholds(), LATE)
    # Salon A, trip D (two meeting points, one event) and November's salon F; C was the club's to cancel.
    assert (m1.rsvps, m1.attended, m1.no_shows, m1.late_cancellations) == (4, 3, 0, 0)
    assert (m1.attendance_rate, m1.no_show_rate) == (1.0, 0.0)
    assert m1.last_attended_at == at(10, 18, 5)
    assert (m1.visits_in_window, m1.segment) == (3, Segment.active)
    assert [(p.reason, p.points, p.entries) for p in m1.points] == [
        (PointsReason.referral, 500, 1), (PointsReason.attendance, 200, 2), (PointsReason.adjustment, -50, 1),
    ]


async def test_no_shows_late_cancellations_and_an_undone_admission() -> None:
    d = await build_december()
    thresholds = SegmentThresholds()
    m8 = await member_figures(d.m[8], NOW, thresholds, LATE)
    assert (m8.attended, m8.no_shows, m8.attendance_rate, m8.no_show_rate, m8.last_attended_at) == (0, 1, 0.0, 1.0, None)
    assert m8.segment is Segment.dormant and m8.points == []
    # m11 was admitted and the admission undone: a no-show, never attended.
    m11 = await member_figures(d.m[11], NOW, thresholds, LATE)
    assert (m11.attended, m11.no_shows, m11.last_attended_at) == (0, 1, None)
    # m7 was recorded as a no-show, then admitted by hand: they came.
    m7 = await member_figures(d.m[7], NOW, thresholds, LATE)
    assert (m7.attended, m7.no_shows, m7.no_show_rate) == (1, 0, 0.0)
    # m9 cancelled late and never stood at a door: no rate to give.
    m9 = await member_figures(d.m[9], NOW, thresholds, LATE)
    assert (m9.late_cancellations, m9.attendance_rate, m9.no_show_rate) == (1, None, None)
    # m3 cancelled the trip exactly 48 h before (late), m4 a second earlier (not late).
    m3 = await member_figures(d.m[3], NOW, thresholds, LATE)
    m4 = await member_figures(d.m[4], NOW, thresholds, LATE)
    assert (m3.late_cancellations, m4.late_cancellations) == (1, 0)
    # One visit in the window is not frequent enough to be active: cooling.
    assert (m3.attended, m3.segment) == (1, Segment.cooling)


async def test_an_unknown_member_is_not_found() -> None:
    with pytest.raises(NotFound):
        await member_figures(999_999, NOW, SegmentThresholds(), LATE)
