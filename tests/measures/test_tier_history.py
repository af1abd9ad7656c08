"""The tier history the database keeps: every change of member.tier, by a service's promotion or
a hand-written UPDATE, leaves a tier_change row in its transaction; an update that does not
change the tier leaves none; a member's figures show the history with the tiers' names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from checkin.measures.member_figures import member_figures
from checkin.measures.rules import SegmentThresholds
from checkin.measures.tables import TierChangeEntry
from checkin.measures.tier_history import tier_history
from club.db import write_transaction
from club.points import award
from club.tables import Member, PointsReason
from tests.measures.builders import at, member, points, tier_id


async def _changes(member_id: int) -> list[tuple[int | None, int | None]]:
    rows = await TierChangeEntry.select(TierChangeEntry.from_tier, TierChangeEntry.to_tier).where(
        TierChangeEntry.member == member_id).order_by(TierChangeEntry.id)
    return [(r["from_tier"], r["to_tier"]) for r in rows]


async def test_every_change_of_a_members_tier_is_written_by_the_database() -> None:
    silver, gold, platinum = [await tier_id(n) for n in ("Silver", "Gold", "Platinum")]
    m = await member("Climber", tier="Silver")
    other = await member("Bystander", tier="Silver")
    before = datetime.now(UTC) - timedelta(seconds=5)
    # A promotion by the service: 1,000 points reach Gold, in the award's transaction.
    outcome = await award(m, 1_000, PointsReason.adjustment, "test-climb")
    assert outcome.tier_change is not None
    # A coordinator's hand on the database, and a statement that changes nothing of the tier.
    await Member.raw("UPDATE member SET tier = {} WHERE id = {}", platinum, m)
    await Member.update({Member.tier: platinum, Member.name: "Climber P."}).where(Member.id == m)
    await Member.update({Member.language: "zh-Hans"}).where(Member.id == m)
    # Off the ladder, then back: none is a tier too.
    await Member.update({Member.tier: None}).where(Member.id == m)
    await Member.update({Member.tier: silver}).where(Member.id == m)
    assert await _changes(m) == [(silver, gold), (gold, platinum), (platinum, None), (None, silver)]
    assert await _changes(other) == []
    history = await tier_history(m)
    assert [(h.from_tier_name, h.to_tier_name) for h in history] == [
        ("Silver", "Gold"), ("Gold", "Platinum"), ("Platinum", None), (None, "Silver")]
    assert [(h.from_tier_rank, h.to_tier_rank) for h in history][:2] == [(1, 2), (2, 3)]
    # The database's clock, not the club's: within the seconds the test ran.
    after = datetime.now(UTC) + timedelta(seconds=5)
    assert all(before <= h.changed_at <= after for h in history)
    assert [h.changed_at for h in history] == sorted(h.changed_at for h in history)


async def test_a_change_undone_by_its_transaction_leaves_no_history() -> None:
    m = await member("Undone", tier="Silver")
    try:
        async with write_transaction():
            await Member.update({Member.tier: await tier_id("Gold")}).where(Member.id == m)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert await _changes(m) == []


async def test_a_members_figures_show_the_history_and_what_each_source_earned() -> None:
    m = await member("Counted", tier="Silver")
    await Member.update({Member.tier: await tier_id("Gold")}).where(Member.id == m)
    await points(m, 100, PointsReason.attendance, at(1, 10))
    await points(m, 100, PointsReason.attendance, at(2, 10))
    await points(m, -100, PointsReason.attendance, at(3, 10))  # an undone admission's taking back
    await points(m, 300, PointsReason.spend, at(4, 10))
    await points(m, -50, PointsReason.refund, at(5, 10))
    figures = await member_figures(m, at(20, 12), SegmentThresholds(), timedelta(hours=48))
    assert [(p.reason, p.points, p.entries, p.earned, p.earned_entries) for p in figures.points] == [
        (PointsReason.spend, 300, 1, 300, 1), (PointsReason.attendance, 100, 3, 200, 2),
        (PointsReason.refund, -50, 1, 0, 0),
    ]
    assert [(h.from_tier_name, h.to_tier_name) for h in figures.tier_history] == [("Silver", "Gold")]
