"""Segments at their thresholds: the SQL's counts per tier against the plain rule
(checkin.measures.rules.segment_of), on members whose visits sit on each edge."""

from __future__ import annotations

from datetime import datetime, timedelta

from checkin.measures.member_figures import member_figures
from checkin.measures.rules import Segment, SegmentThresholds, segment_of
from checkin.measures.segments import segment_counts
from club.tables import MemberStatus
from tests.measures.builders import admit, at, event, member, rsvp

NOW = at(20, 12)
T = SegmentThresholds(active_days=90, active_visits=2, window_days=365, dormant_days=180)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


async def _visits(member_id: int, *whens: datetime, reverted: tuple[datetime, ...] = ()) -> None:
    for when in whens:
        e = await event(when)
        r = await rsvp(e, member_id, created=when - 5 * DAY, confirmed=when - 5 * DAY)
        await admit(e, r, member_id, when, reverted=when in reverted)


async def _club() -> dict[str, tuple[int, Segment]]:
    """Members on each edge, with the segment the rule gives them."""
    edges: dict[str, tuple[int, Segment]] = {}

    async def one(name: str, expected: Segment, *whens: datetime, tier: str | None = "Silver",
                  reverted: tuple[datetime, ...] = (), status: MemberStatus = MemberStatus.active) -> None:
        member_id = await member(name, tier=tier, status=status)
        await _visits(member_id, *whens, reverted=reverted)
        edges[name] = (member_id, expected)

    await one("twice, last exactly 90 days ago", Segment.active, NOW - 90 * DAY, NOW - 100 * DAY, tier="Gold")
    await one("twice, last 90 days and a second ago", Segment.cooling, NOW - 90 * DAY - SECOND, NOW - 100 * DAY, tier="Gold")
    await one("once, 10 days ago", Segment.cooling, NOW - 10 * DAY)
    await one("last exactly 180 days ago", Segment.cooling, NOW - 180 * DAY)
    await one("last 180 days and a second ago", Segment.dormant, NOW - 180 * DAY - SECOND)
    await one("never", Segment.dormant, tier=None)
    await one("twice, one undone", Segment.cooling, NOW - 10 * DAY, NOW - 11 * DAY, reverted=(NOW - 11 * DAY,))
    await one("twice, one before the window", Segment.cooling, NOW - 5 * DAY, NOW - 365 * DAY - SECOND)
    await one("twice, one exactly at the window's start", Segment.active, NOW - 5 * DAY, NOW - 365 * DAY)
    await one("suspended, twice lately", Segment.active, NOW - 5 * DAY, NOW - 6 * DAY, status=MemberStatus.suspended)
    return edges


async def test_segments_per_tier_at_the_thresholds() -> None:
    await _club()
    counts = await segment_counts(NOW, T)
    by_tier = {t.tier_name: {s.segment: s.members for s in t.segments} for t in counts.tiers}
    # Highest tier first; the suspended member is in no count.
    assert list(by_tier) == ["Gold", "Silver", None]
    assert by_tier["Gold"] == {Segment.active: 1, Segment.cooling: 1, Segment.dormant: 0}
    assert by_tier["Silver"] == {Segment.active: 1, Segment.cooling: 4, Segment.dormant: 1}
    assert by_tier[None] == {Segment.active: 0, Segment.cooling: 0, Segment.dormant: 1}
    assert [t.members for t in counts.tiers] == [2, 6, 1]
    assert (counts.active_days, counts.active_visits, counts.window_days, counts.dormant_days) == (90, 2, 365, 180)


async def test_the_rule_and_the_sql_agree_member_by_member() -> None:
    edges = await _club()
    for name, (member_id, expected) in edges.items():
        figures = await member_figures(member_id, NOW, T, timedelta(hours=48))
        assert figures.segment is expected, name
        assert segment_of(figures.last_attended_at, figures.visits_in_window, T.cutoffs(NOW)) is expected, name
    # The same members counted by the SQL, tier by tier, land where the rule put them.
    counts = await segment_counts(NOW, T)
    total = {s: sum(x.members for t in counts.tiers for x in t.segments if x.segment is s) for s in Segment}
    expected_totals = {s: sum(1 for n, (_, e) in edges.items() if e is s and not n.startswith("suspended")) for s in Segment}
    assert total == expected_totals


async def test_other_thresholds_move_the_members() -> None:
    await _club()
    # One visit is enough, within 30 days: only those who came in the last month are active.
    counts = await segment_counts(NOW, SegmentThresholds(active_days=30, active_visits=1, window_days=365, dormant_days=180))
    silver = next(t for t in counts.tiers if t.tier_name == "Silver")
    assert {s.segment: s.members for s in silver.segments} == {Segment.active: 4, Segment.cooling: 1, Segment.dormant: 1}
