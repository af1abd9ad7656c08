"""A reward's stock counter: taken one piece at a time by a conditional UPDATE, given back by another.

Why a conditional UPDATE rather than locking the reward row with club.locking.lock_objects: the
only decision the row holds is "is a piece left", and `UPDATE … SET stock = stock - 1 WHERE
stock > 0 RETURNING` makes it in the one statement that writes it. On PostgreSQL, a second
redemption's UPDATE waits for the first one's transaction and re-reads the row it committed
before checking `stock > 0` again, so a stock of 20 gives exactly 20 pieces whatever the storm.
It is taken last in the redemption's transaction (after the member lock, the balance and the
ledger entry), so the row is held only from there to the commit, not for the whole redemption:
200 members redeeming one reward queue on it for the shortest time. And an unlimited reward is
never written at all, so its redemptions do not queue on one row. Every path that changes stock
takes the member's lock first (club.rewards.redeeming, club.rewards.redemptions), then this row:
one order, no deadlock. On SQLite the IMMEDIATE write transaction already serialises writers.

Only control tests turn `club.locking.LOCKING` off; this module then does what the UPDATE
replaces, a read and a write of what was read, to show the oversale that happens without it.
"""

from __future__ import annotations

from club import locking
from club.rewards.tables import Reward

__all__ = ["give_back_one", "take_one"]


async def take_one(reward_id: int) -> bool:
    """Take one piece of a reward with a stock; False when none is left. Call inside the
    redemption's write transaction, as its last write."""
    if not locking.LOCKING:
        return await _take_one_unguarded(reward_id)
    taken = await Reward.raw(
        "UPDATE reward SET stock = stock - 1 WHERE id = {} AND stock IS NOT NULL AND stock > 0 RETURNING stock",
        reward_id,
    )
    return bool(taken)


async def _take_one_unguarded(reward_id: int) -> bool:
    # The control's race: between this read and the write, others read the same number.
    found = await Reward.select(Reward.stock).where(Reward.id == reward_id).first()
    left = None if found is None else found["stock"]
    if left is None or left <= 0:
        return False
    await Reward.update({Reward.stock: left - 1}).where(Reward.id == reward_id)
    return True


async def give_back_one(reward_id: int) -> None:
    """Return one piece of a cancelled redemption (none to return to an unlimited reward)."""
    await Reward.raw("UPDATE reward SET stock = stock + 1 WHERE id = {} AND stock IS NOT NULL", reward_id)
