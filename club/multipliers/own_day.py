"""A member's own bonus day: one date a year they choose, on which their earnings are multiplied.

The date is the club's (club.multipliers.rules says why). Choosing again moves the day, until it has
passed or it multiplied an earning (award() marks it used under the member's lock; choosing takes
the same lock, so a move never races the earning that uses the day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.locking import lock_objects
from club.multipliers.errors import OwnDayRefused
from club.multipliers.rules import ONE, OwnDayRefusal, OwnDayState, club_date, day_bounds, factor_text, kinds_of, own_day_refusal
from club.multipliers.schemas import OwnDayOut
from club.multipliers.tables import BonusDay
from club.settings import Settings
from club.tables import Member, PointsReason

__all__ = ["OwnDayPolicy", "choose_own_day", "own_day"]

OWN_DAY_NAME = "own bonus day"

_REFUSALS = {
    OwnDayRefusal.in_the_past: "A bonus day is chosen ahead: {date} has passed.",
    OwnDayRefusal.too_far: "Choose a bonus day this year or next, not {date}.",
    OwnDayRefusal.passed: "Your bonus day of {year} has passed; it cannot move now.",
    OwnDayRefusal.used: "Your bonus day of {year} already multiplied your points; it cannot move now.",
}


@dataclass(frozen=True, slots=True)
class OwnDayPolicy:
    """The club's setting: the own day's factor (per mille; 1000 is off) and the kinds it multiplies."""

    factor: int
    kinds: str
    zone: ZoneInfo

    @classmethod
    def of(cls, settings: Settings) -> OwnDayPolicy:
        return cls(settings.own_bonus_day_factor, settings.own_bonus_day_kinds, settings.zone)

    @property
    def offered(self) -> bool:
        return self.factor > ONE


def _key(member_id: int, year: int) -> str:
    return f"{member_id}:{year}"


async def _state(member_id: int, year: int) -> OwnDayState | None:
    row = await BonusDay.select(BonusDay.local_date, BonusDay.used_at).where(BonusDay.own_key == _key(member_id, year)).first()
    return None if row is None else OwnDayState(row["local_date"], row["used_at"] is not None)


async def own_day(member_id: int, policy: OwnDayPolicy, year: int | None = None) -> OwnDayOut:
    """The member's own bonus day of `year` (by default this year of the club's calendar, or next
    year's when only that one is chosen)."""
    today = club_date(clock.now(), policy.zone)
    if year is None:
        # This year's day, or, when none is chosen for it, one already chosen for next year.
        year = today.year
        if await _state(member_id, year) is None and await _state(member_id, year + 1) is not None:
            year += 1
    state = await _state(member_id, year)
    chosen = state.day if state else None
    return OwnDayOut(
        year=year, date=chosen, factor=factor_text(policy.factor),
        kinds=sorted(kinds_of(policy.kinds), key=list(PointsReason).index), used=bool(state and state.used),
        may_change=policy.offered and (state is None or not (state.used or state.day < today)),
        time_zone=policy.zone.key,
    )


async def choose_own_day(member_id: int, chosen: date, policy: OwnDayPolicy) -> OwnDayOut:
    """Choose (or move) the member's own bonus day of `chosen`'s year."""
    if not policy.offered:
        raise NotFound("This club offers no bonus day of one's own.")
    today = club_date(clock.now(), policy.zone)
    async with write_transaction():
        locked = await lock_objects((Member, member_id))
        exists = member_id in locked["member"] if locked is not None else await Member.exists().where(Member.id == member_id)
        if not exists:
            raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
        refusal = own_day_refusal(chosen, today, await _state(member_id, chosen.year))
        if refusal is not None:
            raise OwnDayRefused(_REFUSALS[refusal], date=chosen.isoformat(), year=chosen.year)
        starts, ends = day_bounds(chosen, policy.zone)
        await BonusDay.raw(
            "INSERT INTO bonus_day (member, own_key, name, local_date, starts_at, ends_at, factor, kinds, used_at, created_at, "
            "created_by) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, NULL, {}, NULL) ON CONFLICT (own_key) DO UPDATE SET "
            "local_date = excluded.local_date, starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
            "factor = excluded.factor, kinds = excluded.kinds",
            member_id, _key(member_id, chosen.year), OWN_DAY_NAME, chosen, starts, ends, policy.factor, policy.kinds, clock.now(),
        )
    return await own_day(member_id, policy, chosen.year)
