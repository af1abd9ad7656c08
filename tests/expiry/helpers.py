"""What the expiry tests share: ledger entries written at a given instant, and the club's rule set."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.db import write_transaction
from club.expiry.policy import save_rule
from club.expiry.rules import ExpiryMode
from club.expiry.schemas import ExpiryRuleIn
from club.tables import PointsEntry, PointsReason

__all__ = ["PARIS_APRIL_1", "entry", "rolling_rule"]

# 00:30 on 1 April 2027 in Paris (summer time): the end of 31 March has passed.
PARIS_APRIL_1 = datetime(2027, 3, 31, 22, 30, tzinfo=UTC)


async def entry(member_id: int | None, delta: int, at: datetime, reason: PointsReason = PointsReason.adjustment,
                source: str = "") -> None:
    """One ledger entry as if written at `at` (the trigger keeps the balance)."""
    assert member_id is not None
    source = source or f"t-{member_id}-{delta}-{at.isoformat()}"
    async with write_transaction():
        await PointsEntry.insert(PointsEntry(
            member=member_id, delta=delta, reason=reason.value, source=source, award_key=f"{reason.value}:{source}",
            note="test", created_at=at,
        ))


async def rolling_rule(months: int = 24, days: tuple[int, ...] = (30, 7),
                       saved_at: datetime = datetime(2027, 1, 10, tzinfo=UTC)) -> None:
    with clock.frozen_at(saved_at):
        await save_rule(ExpiryRuleIn(mode=ExpiryMode.rolling, window_months=months, reminder_days=list(days)), by=None)
