"""What coordinators keep: a tier's factor on a kind of earning, and the club's bonus days.

Each change is one transaction. A bonus day keeps the instants its club date starts and ends (in
the club's zone at scheduling), which is what awarding and the door ask. A day that has begun is
history the statements explain: it cannot be cancelled any more.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from club import clock
from club.db import write_transaction
from club.errors import Conflict, NotFound
from club.multipliers.errors import BadFactor
from club.multipliers.rules import MULTIPLIED_KINDS, FactorRefusal, club_date, day_bounds, factor_text, kinds_of, kinds_text, permille_of
from club.multipliers.schemas import BonusDayIn, BonusDayOut, MultipliersOut, TierMultiplierIn, TierMultiplierOut
from club.multipliers.tables import BonusDay, TierMultiplier
from club.rows import Row, rows_as
from club.tables import PointsReason, Tier

__all__ = [
    "bonus_day_out", "cancel_bonus_day", "factor_of", "multipliers", "remove_tier_multiplier", "schedule_bonus_day",
    "set_tier_multiplier",
]

_REFUSALS = {
    FactorRefusal.not_a_number: "{factor} is not a factor; write one like 2 or 1.5.",
    FactorRefusal.out_of_range: "A factor must be above 1 and at most 10, not {factor}.",
    FactorRefusal.too_precise: "A factor has at most three decimals, not {factor}.",
}


def factor_of(text: str) -> int:
    """A factor as written, in per mille; BadFactor (400) says what is wrong."""
    permille = permille_of(text)
    if isinstance(permille, FactorRefusal):
        raise BadFactor(_REFUSALS[permille], factor=text)
    return permille


def _earning_kinds(kinds: list[PointsReason]) -> frozenset[PointsReason]:
    chosen = frozenset(kinds)
    if not chosen <= MULTIPLIED_KINDS:
        raise BadFactor(
            "Only earning is multiplied (attendance, referral, visit, spend, birthday), not {kind}.",
            kind=", ".join(sorted(k.value for k in chosen - MULTIPLIED_KINDS)),
        )
    return chosen


class _TierMultiplierRow(Row, frozen=True):
    id: int
    tier: int
    tier_name: str
    kind: str
    factor: int


class _BonusDayRow(Row, frozen=True):
    id: int
    name: str
    local_date: date
    factor: int
    kinds: str
    member: int | None
    starts_at: datetime


def _tier_multiplier_out(r: _TierMultiplierRow) -> TierMultiplierOut:
    return TierMultiplierOut(id=r.id, tier_id=r.tier, tier=r.tier_name, kind=PointsReason(r.kind), factor=factor_text(r.factor))


def bonus_day_out(r: _BonusDayRow) -> BonusDayOut:
    return BonusDayOut(id=r.id, name=r.name, date=r.local_date, factor=factor_text(r.factor),
                       kinds=sorted(kinds_of(r.kinds), key=list(PointsReason).index), member_id=r.member)


_BONUS_COLUMNS = (BonusDay.id, BonusDay.name, BonusDay.local_date, BonusDay.factor, BonusDay.kinds, BonusDay.member,
                  BonusDay.starts_at)


async def tier_multipliers() -> list[TierMultiplierOut]:
    rows = await TierMultiplier.select(
        TierMultiplier.id, TierMultiplier.tier, TierMultiplier.tier.name.as_alias("tier_name"), TierMultiplier.kind,
        TierMultiplier.factor,
    ).order_by(TierMultiplier.tier.rank).order_by(TierMultiplier.kind)
    return [_tier_multiplier_out(r) for r in rows_as(_TierMultiplierRow, rows)]


async def club_bonus_days(limit: int = 100) -> list[BonusDayOut]:
    """The club's bonus days, the latest date first."""
    rows = await BonusDay.select(*_BONUS_COLUMNS).where(BonusDay.member.is_null()).order_by(
        BonusDay.local_date, ascending=False).limit(limit)
    return [bonus_day_out(r) for r in rows_as(_BonusDayRow, rows)]


async def multipliers() -> MultipliersOut:
    return MultipliersOut(tiers=await tier_multipliers(), bonus_days=await club_bonus_days())


async def set_tier_multiplier(data: TierMultiplierIn, by: int | None) -> TierMultiplierOut:
    """Set (or change) the factor of one tier on one kind of earning; it applies from the next earning."""
    factor = factor_of(data.factor)
    _earning_kinds([data.kind])
    async with write_transaction():
        tier = await Tier.select(Tier.name).where(Tier.id == data.tier_id).first()
        if tier is None:
            raise NotFound("Tier {tier_id} does not exist.", text_values={"tier_id": data.tier_id})
        key = f"{data.tier_id}:{data.kind.value}"
        now = clock.now()
        await TierMultiplier.raw(
            "INSERT INTO tier_multiplier (tier_kind, tier, kind, factor, updated_at, updated_by) VALUES ({}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (tier_kind) DO UPDATE SET factor = excluded.factor, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by",
            key, data.tier_id, data.kind.value, factor, now, by,
        )
        row = await TierMultiplier.select(TierMultiplier.id).where(TierMultiplier.tier_kind == key).first()
    assert row is not None
    return TierMultiplierOut(id=int(row["id"]), tier_id=data.tier_id, tier=tier["name"], kind=data.kind, factor=factor_text(factor))


async def remove_tier_multiplier(multiplier_id: int) -> None:
    async with write_transaction():
        gone = await TierMultiplier.delete().where(TierMultiplier.id == multiplier_id).returning(TierMultiplier.id)
    if not gone:
        raise NotFound("Multiplier {multiplier_id} does not exist.", text_values={"multiplier_id": multiplier_id})


async def schedule_bonus_day(data: BonusDayIn, zone: ZoneInfo, by: int | None) -> BonusDayOut:
    """A bonus day of the club (a member day) on a club date, today or later."""
    factor = factor_of(data.factor)
    kinds = _earning_kinds(data.kinds)
    if data.date < club_date(clock.now(), zone):
        raise Conflict("A bonus day is scheduled ahead: {date} has passed.", date=data.date.isoformat())
    starts, ends = day_bounds(data.date, zone)
    async with write_transaction():
        inserted = await BonusDay.insert(BonusDay(
            member=None, own_key=None, name=data.name.strip(), local_date=data.date, starts_at=starts, ends_at=ends,
            factor=factor, kinds=kinds_text(kinds), created_at=clock.now(), created_by=by,
        )).returning(BonusDay.id)
    return BonusDayOut(id=int(inserted[0]["id"]), name=data.name.strip(), date=data.date, factor=factor_text(factor),
                       kinds=sorted(kinds, key=list(PointsReason).index))


async def cancel_bonus_day(day_id: int) -> None:
    """Cancel a club bonus day that has not begun (one that has explains entries already)."""
    async with write_transaction():
        row = await BonusDay.select(*_BONUS_COLUMNS).where((BonusDay.id == day_id) & BonusDay.member.is_null()).first()
        if row is None:
            raise NotFound("Bonus day {day_id} does not exist.", text_values={"day_id": day_id})
        if clock.aware(row["starts_at"]) <= clock.now():
            raise Conflict("Bonus day {name} has begun; it stays, as the points it multiplied do.", name=row["name"])
        await BonusDay.delete().where(BonusDay.id == day_id)
