"""A member's segment at the end of each of the last twelve months, drawn by the database from
their admissions: hand-built visits whose segments each month's end are counted in the test."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from checkin.measures.rules import Segment, SegmentThresholds
from checkin.measures.segment_history import segment_history
from club.errors import NotFound
from tests.measures.builders import admit, event, member, rsvp

NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)
T = SegmentThresholds(active_days=90, active_visits=2, window_days=365, dormant_days=180)
A, C, D = Segment.active, Segment.cooling, Segment.dormant


def _utc(y: int, mo: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


async def _visit(member_id: int, when: datetime, reverted: bool = False) -> None:
    e = await event(when)
    r = await rsvp(e, member_id, created=when, confirmed=when)
    await admit(e, r, member_id, when, reverted=reverted)


async def test_a_members_segment_at_each_months_end() -> None:
    m = await member("Regular", joined_on=date(2025, 6, 1))
    for when in (_utc(2026, 1, 10), _utc(2026, 2, 10), _utc(2026, 10, 1, 0), _utc(2026, 11, 30, 23, 59)):
        await _visit(m, when)
    await _visit(m, _utc(2026, 8, 1), reverted=True)  # undone: never came
    history = await segment_history(m, NOW, T, "UTC")
    assert [h.month for h in history] == ["2025-12", *[f"2026-{n:02d}" for n in range(1, 12)]]
    # December 2025: never came. January: once (cooling); February to April: twice, the last
    # within 90 days (10 February to 1 May is 80 days); May to July: the last more than 90 days
    # ago; August and September: more than 180 days (the admission at 00:00 on 1 October is
    # October's); October and November: back, with three and four visits in the window.
    assert [h.segment for h in history] == [D, C, A, A, A, C, C, C, D, D, A, A]
    assert [h.visits for h in history] == [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4]
    assert history[-1].last_attended_at == _utc(2026, 11, 30, 23, 59)
    assert history[8].last_attended_at == _utc(2026, 2, 10)
    assert history[0].ends_at == _utc(2026, 1, 1, 0) and history[-1].ends_at == _utc(2026, 12, 1, 0)


async def test_before_joining_no_segment_and_the_clubs_clock() -> None:
    m = await member("Newcomer", joined_on=date(2026, 6, 15))
    await _visit(m, _utc(2026, 11, 30, 20))
    history = await segment_history(m, NOW, T, "UTC")
    # Not a member until 15 June: no segment for the months that ended before.
    assert [h.segment for h in history] == [None] * 6 + [D] * 5 + [C]
    # On Shanghai's clock the visit was on 1 December at 04:00: November ended without it.
    shanghai = await segment_history(m, NOW, T, "Asia/Shanghai")
    assert shanghai[-1].segment is D and shanghai[-1].ends_at == datetime(2026, 11, 30, 16, tzinfo=UTC)
    with pytest.raises(NotFound):
        await segment_history(999_999, NOW, T, "UTC")
