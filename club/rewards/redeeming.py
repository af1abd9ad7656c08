"""Redeeming a reward: one transaction that decides, spends the points and takes the piece.

In order (the lock order of club.rewards.stock: the member, then the reward's stock):
1. the member's row is locked (club.locking.lock_objects), so this member's redemptions run one
   at a time: their balance and their count against the reward's limit cannot change under us;
2. a redemption already made with the same key is the answer to a retried request (nothing new);
3. the rules decide (club.rewards.rules.redeem_refusal) on the reward and the member's facts;
4. the redemption row, then its ledger entry (club.points.award, reason `redemption`, keyed by
   the redemption: lands once), then one piece of stock, the last write (club.rewards.stock);
   none left rolls all of it back and the member is told it is out of stock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput
from club.i18n.languages import Language
from club.locking import lock_objects
from club.points import award
from club.rewards.catalogue import facts_of, load_reward, member_facts, redeemed_counts
from club.rewards.codes import voucher_code
from club.rewards.errors import IdempotencyKeyReused, OutOfStock, refusal_error
from club.rewards.redemptions import redemption_out, redemption_source
from club.rewards.rules import redeem_refusal
from club.rewards.schemas import RedemptionOut
from club.rewards.stock import take_one
from club.rewards.tables import Redemption, RedemptionStatus, RewardKind
from club.tables import Member, PointsReason

__all__ = ["KEY_PATTERN", "Redeemed", "check_request_key", "redeem"]

# What a client's Idempotency-Key may be: letters, digits and - _ . : (a UUID fits), 1 to 64.
KEY_PATTERN = r"^[A-Za-z0-9_.:\-]{1,64}$"
_KEY_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")


@dataclass(frozen=True, slots=True)
class Redeemed:
    redemption: RedemptionOut
    created: bool  # False: the same request again, answered with the first one's redemption


def check_request_key(key: str | None) -> str:
    """The client's key for this request, or a fresh one when it sent none (each such request is new)."""
    if key is None:
        return uuid.uuid4().hex
    if not 1 <= len(key) <= 64 or not set(key) <= _KEY_CHARACTERS:
        raise InvalidInput("An Idempotency-Key is 1 to 64 letters, digits or - _ . : characters.")
    return key


async def redeem(member_id: int, reward_id: int, request_key: str, language: Language) -> Redeemed:
    key = f"{member_id}:{request_key}"
    async with write_transaction():
        await lock_objects((Member, member_id))
        earlier = await Redemption.select(Redemption.id, Redemption.reward).where(Redemption.redemption_key == key).first()
        if earlier is not None:
            if int(earlier["reward"]) != reward_id:
                raise IdempotencyKeyReused("This Idempotency-Key was already used for another reward.")
            return Redeemed(await redemption_out(int(earlier["id"]), language), created=False)
        reward = await load_reward(reward_id)
        balance, tier_rank, suspended = await member_facts(member_id)
        redeemed = (await redeemed_counts(member_id, [reward_id])).get(reward_id, 0)
        refusal = redeem_refusal(facts_of(reward, balance, tier_rank, suspended, redeemed))
        if refusal is not None:
            raise refusal_error(refusal, price=reward.price, balance=balance)
        inserted = await Redemption.insert(Redemption(
            reward=reward_id, member=member_id, redemption_key=key, points=reward.price,
            status=RedemptionStatus.pending.value,
            voucher_code=voucher_code() if reward.kind is RewardKind.voucher else None, created_at=clock.now(),
        )).returning(Redemption.id)
        redemption_id = int(inserted[0]["id"])
        await award(member_id, -reward.price, PointsReason.redemption, redemption_source(redemption_id),
                    note=f"reward {reward_id}")
        if reward.stock is not None and not await take_one(reward_id):
            raise OutOfStock("This reward is out of stock.")
    return Redeemed(await redemption_out(redemption_id, language), created=True)
