"""A segment's one statement against a hand-built club (tests/segments/helpers.py: who is who),
on both backends: each filter alone and together, with the members written here."""

from __future__ import annotations

import pytest

from checkin.measures.rules import Segment, SegmentThresholds
from checkin.segments.query import Filters, preview
from tests.measures.builders import tier_id
from tests.segments.helpers import DAY, NOW, build_club

T = SegmentThresholds(active_days=90, active_visits=2, window_days=365, dormant_days=180)


async def _names(filters: Filters) -> list[str]:
    club = await build_club()
    total, rows = await preview(filters, NOW, T, first=50)
    assert total == len(rows)
    return club.names([int(r["id"]) for r in rows])


async def test_no_filter_is_every_active_member() -> None:
    assert await _names(Filters()) == ["Amélie", "Bo", "Chen", "Dora", "Emil"]


@pytest.mark.parametrize(("activity", "expected"), [
    (Segment.active, ["Amélie"]),
    (Segment.cooling, ["Chen"]),
    (Segment.dormant, ["Bo", "Dora", "Emil"]),
])
async def test_activity(activity: Segment, expected: list[str]) -> None:
    assert await _names(Filters(activity=activity)) == expected


async def test_dormant_platinum_members() -> None:
    platinum = await tier_id("Platinum")
    assert await _names(Filters(tier_id=platinum, activity=Segment.dormant)) == ["Bo", "Dora"]


@pytest.mark.parametrize(("rate", "expected"), [
    (0.0, ["Amélie", "Bo", "Chen", "Emil"]),  # Dora never came nor missed: no rate
    (0.5, ["Bo", "Chen"]),  # 3/4 and exactly 1/2
    (0.51, ["Bo"]),
    (0.75, ["Bo"]),
    (0.76, []),
])
async def test_no_show_rate_at_least(rate: float, expected: list[str]) -> None:
    assert await _names(Filters(min_no_show_rate=rate)) == expected


async def test_last_attended_before_and_after() -> None:
    # Never came counts as "before" any instant; exactly 30 days ago is "after" 30 days ago.
    assert await _names(Filters(attended_before=NOW - 100 * DAY)) == ["Bo", "Dora", "Emil"]


async def test_last_attended_after() -> None:
    assert await _names(Filters(attended_after=NOW - 30 * DAY)) == ["Amélie", "Chen"]


async def test_language_and_points_range() -> None:
    assert await _names(Filters(language="en", min_points=1000)) == ["Amélie", "Emil"]


async def test_points_range_both_ends_included() -> None:
    assert await _names(Filters(min_points=200, max_points=1200)) == ["Bo", "Chen", "Emil"]


async def test_preview_counts_all_and_lists_the_first_by_id() -> None:
    club = await build_club()
    total, rows = await preview(Filters(), NOW, T, first=2)
    assert total == 5
    assert club.names([int(r["id"]) for r in rows]) == ["Amélie", "Bo"]
    assert [int(r["points"]) for r in rows] == [5000, 200]
