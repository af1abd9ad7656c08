"""Awarding points: one ledger entry per award, idempotent, multiplied where the club's multipliers
say so (here and nowhere else), and the tier it earns at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from club import clock
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.ledger import balance_of
from club.locking import lock_objects
from club.multipliers.earning import mark_used, multiplication_for
from club.suspension import MemberSuspended, earns_while_suspended, is_suspended
from club.tables import Member, PointsEntry, PointsReason
from club.tiers import TierChange, reevaluate_member

__all__ = ["Award", "adjust", "award"]


@dataclass(frozen=True, slots=True)
class Award:
    entry_id: int
    created: bool  # False: this award had already been made, nothing changed
    balance: int
    tier_change: TierChange | None
    points: int = 0  # what the entry holds: the delta asked for, multiplied where a factor applied


async def _lock_member(member_id: int) -> None:
    # Member row first: inserting an entry takes a key-share lock on it, and taking our
    # update lock after that would deadlock against a concurrent award for the member.
    locked = await lock_objects((Member, member_id))
    exists = member_id in locked["member"] if locked is not None else await Member.exists().where(Member.id == member_id)
    if not exists:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})


# Every point earned goes through here (each door admission among them): the entry's INSERT is
# SQL written once, its key making a second call for the same (reason, source) insert nothing.
_INSERT_SQL = (
    "INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_by, created_at) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (award_key) DO NOTHING RETURNING id"
)


async def award(
    member_id: int,
    delta: int,
    reason: PointsReason,
    source: str,
    note: str = "",
    created_by: int | None = None,
) -> Award:
    """Record `delta` points for (reason, source) once, however often it is called.

    Safe to retry and to race: a second call with the same reason and source returns the
    first entry with created=False. Promotion happens in the same transaction.
    Positive earning (club.multipliers.rules.MULTIPLIED_KINDS) is multiplied by the member's tier
    factor and the day's bonus factor; the entry's note then ends with its base and factors.
    A suspended member earns nothing (`MemberSuspended`); see `club.suspension` for the entries
    that still land.
    """
    award_key = f"{reason.value}:{source}"
    async with write_transaction():
        await _lock_member(member_id)
        # Read under the member's lock, so a suspension that commits first is seen.
        if not earns_while_suspended(reason, delta) and await is_suspended(member_id):
            raise MemberSuspended(
                "Member {member_id} is suspended and earns no {reason} points until reactivated.", text_values={"member_id": member_id, "reason": reason.value}
            )
        now = clock.now()
        done = await multiplication_for(member_id, reason, delta, now)
        explained = done.explained()
        if explained:
            note = f"{note} [{explained}]" if note else f"[{explained}]"
        inserted = await PointsEntry.raw(
            _INSERT_SQL, member_id, done.points, reason.value, source, award_key, note, created_by, now
        )
        balance = await balance_of(member_id)
        if not inserted:
            existing = await PointsEntry.select(PointsEntry.id, PointsEntry.delta).where(
                PointsEntry.award_key == award_key
            ).first()
            assert existing is not None  # the key's conflict is a committed entry
            return Award(existing["id"], False, balance, None, int(existing["delta"]))
        await mark_used(done, now)
        change = await reevaluate_member(member_id, balance)
        return Award(inserted[0]["id"], True, balance, change, done.points)


async def adjust(member_id: int, delta: int, note: str, created_by: int) -> Award:
    """A coordinator's correction, always with a written reason; each one is a new entry."""
    if delta == 0:
        raise InvalidInput("An adjustment of zero points changes nothing.")
    if not note.strip():
        raise InvalidInput("An adjustment needs a written reason.")
    async with write_transaction():
        await _lock_member(member_id)
        balance = await balance_of(member_id)
        if balance + delta < 0:
            raise Conflict(
                "The member has {balance} points; {taken} cannot be taken away.", balance=balance, text_values={"taken": -delta}
            )
        source = f"adj-{uuid.uuid4().hex}"
        return await award(member_id, delta, PointsReason.adjustment, source, note.strip(), created_by)
