"""A fast maker of many members with tokens, for races and benchmarks (make_member is one at a time)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from club.accounts import TOKEN_PREFIX, hash_token
from club.db import write_transaction
from club.tables import ApiToken, Member, MemberStatus, Role, User
from tests.factories import Caller

__all__ = ["bulk_members"]

BATCH = 500


async def bulk_members(count: int, tier_ids: Sequence[int | None] = (None,)) -> list[Caller]:
    """`count` active members with a user and a bearer token each; tiers cycle through `tier_ids`.

    Rows are inserted in batches directly: no ledger entries, so tiers are set, not earned.
    """
    callers: list[Caller] = []
    run = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    for start in range(0, count, BATCH):
        indexes = range(start, min(count, start + BATCH))
        async with write_transaction():
            members = await Member.insert(
                *[
                    Member(
                        name=f"Member {run}-{i}",
                        email=f"m{i}-{run}@bulk.test",
                        status=MemberStatus.active.value,
                        joined_on=date(2024, 1, 1),
                        tier=tier_ids[i % len(tier_ids)],
                    )
                    for i in indexes
                ]
            ).returning(Member.id, Member.email)
            users = await User.insert(
                *[
                    User(role=Role.member.value, name=m["email"], email=m["email"], member=m["id"], created_at=now)
                    for m in members
                ]
            ).returning(User.id, User.member)
            tokens = [TOKEN_PREFIX + secrets.token_urlsafe(24) for _ in users]
            await ApiToken.insert(
                *[
                    ApiToken(user=u["id"], token_hash=hash_token(t), label="bulk", created_at=now)
                    for u, t in zip(users, tokens, strict=True)
                ]
            )
        callers.extend(Caller(u["id"], t, u["member"]) for u, t in zip(users, tokens, strict=True))
    return callers
