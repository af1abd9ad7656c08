"""Requests and answers of multipliers (msgspec Structs): factors are written as decimals ("2", "1.5")."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta, Struct

from club.bounds import Id
from club.schemas import Strict
from club.tables import PointsReason

__all__ = [
    "BonusDayIn", "BonusDayOut", "MultipliersOut", "OwnDayIn", "OwnDayOut", "TierMultiplierIn", "TierMultiplierOut",
]

Factor = Annotated[str, Meta(min_length=1, max_length=12, pattern=r"^[0-9]{1,2}(\.[0-9]{1,3})?$",
                             description='A factor as a decimal: "2" doubles, "1.5" adds half; above 1, at most 10')]
DayName = Annotated[str, Meta(min_length=1, max_length=80)]
Kinds = Annotated[list[PointsReason], Meta(min_length=1, max_length=5)]


class TierMultiplierIn(Strict):
    tier_id: Id
    kind: PointsReason
    factor: Factor


class TierMultiplierOut(Struct, kw_only=True):
    id: int
    tier_id: int
    tier: str
    kind: PointsReason
    factor: str


class BonusDayIn(Strict):
    name: DayName
    date: date  # the club's date
    factor: Factor
    kinds: Kinds


class BonusDayOut(Struct, kw_only=True):
    id: int
    name: str
    date: date
    factor: str
    kinds: list[PointsReason]
    member_id: int | None = None  # a member's own day


class MultipliersOut(Struct, kw_only=True):
    tiers: list[TierMultiplierOut]
    bonus_days: list[BonusDayOut]


class OwnDayIn(Strict):
    date: date  # a date of the club's calendar, today or later, this year or next


class OwnDayOut(Struct, kw_only=True):
    year: int
    date: date | None
    factor: str
    kinds: list[PointsReason]
    used: bool
    may_change: bool
    time_zone: str  # the club's zone, whose date counts
