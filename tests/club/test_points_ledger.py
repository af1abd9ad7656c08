"""The points ledger against the real database: idempotent awards, derived balances, promotion."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from club.errors import Conflict, InvalidInput, NotFound
from club.ledger import balance_of
from club.points import adjust, award
from club.schemas import TierUpdate
from club.tables import Member, PointsEntry, PointsReason, Tier
from club.tiers import review_tiers, update_tier
from tests.factories import make_member


async def tier_of(member_id: int) -> str | None:
    row = await Member.select(Member.tier.name).where(Member.id == member_id).first()
    return row["tier.name"]  # type: ignore[index]


async def test_a_new_member_starts_on_the_lowest_tier() -> None:
    m = await make_member()
    assert await tier_of(m.member_id) == "Silver"  # type: ignore[arg-type]


async def test_the_same_award_raced_twenty_times_lands_once() -> None:
    m = await make_member()
    results = await asyncio.gather(
        *[award(m.member_id, 50, PointsReason.attendance, "event-7") for _ in range(20)]  # type: ignore[arg-type]
    )
    assert sum(r.created for r in results) == 1
    assert len({r.entry_id for r in results}) == 1
    assert await PointsEntry.count().where(PointsEntry.member == m.member_id) == 1
    assert await balance_of(m.member_id) == 50  # type: ignore[arg-type]


async def test_different_awards_for_one_member_raced_all_land() -> None:
    m = await make_member()
    await asyncio.gather(
        *[award(m.member_id, 10, PointsReason.visit, f"visit-{i}") for i in range(25)]  # type: ignore[arg-type]
    )
    assert await balance_of(m.member_id) == 250  # type: ignore[arg-type]


async def test_the_balance_is_the_sum_of_the_ledger() -> None:
    m = await make_member()
    await award(m.member_id, 300, PointsReason.attendance, "e1")  # type: ignore[arg-type]
    await award(m.member_id, 200, PointsReason.referral, "member-99")  # type: ignore[arg-type]
    await award(m.member_id, -100, PointsReason.expiry, "2026")  # type: ignore[arg-type]
    assert await balance_of(m.member_id) == 400  # type: ignore[arg-type]


async def test_crossing_a_threshold_promotes_in_the_same_award() -> None:
    m = await make_member()
    result = await award(m.member_id, 1_200, PointsReason.attendance, "gala")  # type: ignore[arg-type]
    assert result.tier_change is not None
    assert (result.tier_change.old, result.tier_change.new) == ("Silver", "Gold")
    assert await tier_of(m.member_id) == "Gold"  # type: ignore[arg-type]


async def test_awarding_an_unknown_member_is_not_found_and_writes_nothing() -> None:
    with pytest.raises(NotFound):
        await award(999_999, 10, PointsReason.visit, "x")
    assert await PointsEntry.count() == 0


async def test_a_capped_tier_admits_only_its_cap_even_when_raced() -> None:
    diamond = await Tier.select(Tier.id).where(Tier.name == "Diamond").first()
    await update_tier(diamond["id"], TierUpdate(member_cap=3))  # type: ignore[index]
    members = [await make_member() for _ in range(8)]
    await asyncio.gather(
        *[award(m.member_id, 20_000, PointsReason.adjustment, f"big-{m.member_id}") for m in members]  # type: ignore[arg-type]
    )
    assert await Member.count().where(Member.tier.name == "Diamond") == 3
    queued = await Member.select(Member.id).where(Member.queued_tier.name == "Diamond")
    assert len(queued) == 5
    # The five who waited hold the best tier with room: Platinum has no cap.
    assert await Member.count().where(Member.tier.name == "Platinum") == 5


async def test_review_downgrades_and_the_freed_place_goes_to_the_oldest_in_queue() -> None:
    diamond = await Tier.select(Tier.id).where(Tier.name == "Diamond").first()
    await update_tier(diamond["id"], TierUpdate(member_cap=1))  # type: ignore[index]
    holder, first, second = [await make_member() for _ in range(3)]
    await award(holder.member_id, 16_000, PointsReason.visit, "h")  # type: ignore[arg-type]
    await award(first.member_id, 16_000, PointsReason.visit, "f")  # type: ignore[arg-type]
    await award(second.member_id, 16_000, PointsReason.visit, "s")  # type: ignore[arg-type]
    assert await tier_of(first.member_id) == "Platinum"  # type: ignore[arg-type]
    # The holder's points expire below Diamond; nothing changes until the review.
    await award(holder.member_id, -10_000, PointsReason.expiry, "h-2026")  # type: ignore[arg-type]
    assert await tier_of(holder.member_id) == "Diamond"  # type: ignore[arg-type]
    changes = await review_tiers(datetime.now(UTC))
    moved = {(c.member_id, c.old, c.new) for c in changes}
    assert (holder.member_id, "Diamond", "Platinum") in moved
    assert (first.member_id, "Platinum", "Diamond") in moved
    assert await tier_of(second.member_id) == "Platinum"  # type: ignore[arg-type]


async def test_an_adjustment_needs_a_reason_and_cannot_go_below_zero() -> None:
    m = await make_member()
    with pytest.raises(InvalidInput):
        await adjust(m.member_id, 10, "   ", created_by=m.user_id)  # type: ignore[arg-type]
    await adjust(m.member_id, 100, "welcome gift", created_by=m.user_id)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await adjust(m.member_id, -101, "too much", created_by=m.user_id)  # type: ignore[arg-type]
    assert await balance_of(m.member_id) == 100  # type: ignore[arg-type]


async def test_a_member_promoted_out_of_a_capped_tier_hands_the_place_on_at_once() -> None:
    platinum = await Tier.select(Tier.id).where(Tier.name == "Platinum").first()
    await update_tier(platinum["id"], TierUpdate(member_cap=1))  # type: ignore[index]
    climber, waiting = await make_member(), await make_member()
    await award(climber.member_id, 6_000, PointsReason.visit, "c1")  # type: ignore[arg-type]
    await award(waiting.member_id, 6_000, PointsReason.visit, "w1")  # type: ignore[arg-type]
    assert await tier_of(waiting.member_id) == "Gold"  # type: ignore[arg-type]
    # The Platinum holder climbs to Diamond: their Platinum place goes to the one waiting.
    await award(climber.member_id, 10_000, PointsReason.visit, "c2")  # type: ignore[arg-type]
    assert await tier_of(climber.member_id) == "Diamond"  # type: ignore[arg-type]
    assert await tier_of(waiting.member_id) == "Platinum"  # type: ignore[arg-type]


async def test_the_balance_kept_on_the_member_row_agrees_with_the_ledger() -> None:
    """Awards raced for several members, a correction, an entry written by hand (as an import
    or a bench does) and one deleted by hand: each member's row says what their entries sum to."""
    members = [await make_member() for _ in range(3)]
    ids = [m.member_id for m in members]
    await asyncio.gather(*[
        award(member_id, 10 + i, PointsReason.visit, f"visit-{member_id}-{i}")  # type: ignore[arg-type]
        for member_id in ids for i in range(15)
    ])
    await adjust(ids[0], -40, "returned a gift", created_by=None)  # type: ignore[arg-type]
    await PointsEntry.insert(PointsEntry(member=ids[1], delta=7, reason=PointsReason.adjustment.value, source="by-hand",
                                         award_key="adjustment:by-hand", created_at=datetime(2026, 12, 1, tzinfo=UTC)))
    await PointsEntry.delete().where(PointsEntry.source == f"visit-{ids[2]}-0")
    sums = {r["member"]: r["total"] for r in await PointsEntry.raw(
        "SELECT member, SUM(delta) AS total FROM points_entry GROUP BY member")}
    kept = {r["id"]: r["points_balance"] for r in await Member.select(Member.id, Member.points_balance).where(Member.id.is_in(ids))}
    assert kept == {member_id: sums[member_id] for member_id in ids}
    assert kept[ids[0]] == sum(10 + i for i in range(15)) - 40 and kept[ids[2]] == sum(11 + i for i in range(14))
    assert [await balance_of(member_id) for member_id in ids] == [kept[member_id] for member_id in ids]  # type: ignore[arg-type]
