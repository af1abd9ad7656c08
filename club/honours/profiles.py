"""A member's choice to appear on the leaderboards and the name shown there: off until they
turn it on, one row per member, written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput
from club.honours.rules import DisplayNameRefused, clean_display_name
from club.honours.tables import HonoursProfile
from club.rows import Row, row_as

__all__ = ["Profile", "profile_of", "set_profile"]


@dataclass(frozen=True, slots=True)
class Profile:
    opted_in: bool
    display_name: str


class _ProfileRow(Row, frozen=True):
    opted_in: bool
    display_name: str


async def profile_of(member_id: int) -> Profile:
    found = await HonoursProfile.select(HonoursProfile.opted_in, HonoursProfile.display_name).where(
        HonoursProfile.member == member_id
    ).first()
    if found is None:
        return Profile(opted_in=False, display_name="")
    row = row_as(_ProfileRow, found)
    return Profile(opted_in=bool(row.opted_in), display_name=row.display_name)


_UPSERT_SQL = (
    "INSERT INTO honours_profile (member, opted_in, display_name, updated_at) VALUES ({}, {}, {}, {}) "
    "ON CONFLICT (member) DO UPDATE SET opted_in = excluded.opted_in, display_name = excluded.display_name, "
    "updated_at = excluded.updated_at"
)


async def set_profile(member_id: int, opted_in: bool, display_name: str) -> Profile:
    """Appear (with a name that club.honours.rules.clean_display_name accepts) or not. Leaving the
    boards keeps the name for next time, unless another is given; an empty one is allowed then."""
    name = display_name
    if opted_in or display_name.strip():
        try:
            name = clean_display_name(display_name)
        except DisplayNameRefused as refusal:
            raise InvalidInput(refusal.message) from refusal
    async with write_transaction():
        if not opted_in and not name:
            name = (await profile_of(member_id)).display_name
        await HonoursProfile.raw(_UPSERT_SQL, member_id, opted_in, name, clock.now())
    return Profile(opted_in=opted_in, display_name=name)
