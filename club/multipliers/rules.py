"""The multiplier rules as plain decisions, no I/O: which factors apply to an earning, how they
combine, which date counts, and when a member may choose (or change) their own bonus day.

The rule, stated once:
- Only earning is multiplied: attendance, referral, visit, spend and birthday points
  (`MULTIPLIED_KINDS`), and only a positive amount. Adjustments, redemptions, returned points,
  refunds and expiry are never multiplied.
- The tier factor is the one the club set for the member's tier and that kind of earning, the tier
  they hold when they earn (before any promotion the earning brings); none set is x1.
- The day factor is the highest among the bonus days that apply to that kind on that date: the
  club's days (a member day) and the member's own chosen day alike; they do not stack with each
  other (two bonus days on one date are one bonus day, the better one). None is x1.
- points = floor(base x tier factor x day factor): whole points, rounded down, so a factor never
  gives a fraction of a point. Factors are kept as per-mille integers (2000 is x2, 1500 is x1.5),
  so no float touches a balance.
- The date that counts is the club's date (the club's zone), for every member wherever they are:
  a member day is announced in the club's calendar, the till's receipt and the door's check-in are
  the club's records, and one calendar means a member abroad never gets a bonus day twice as long
  (or two of them) by being in another zone. A member choosing their own day picks a date of the
  club's calendar, and their page says so with the club's city.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import Enum
from zoneinfo import ZoneInfo

from club.tables import PointsReason

__all__ = [
    "MULTIPLIED_KINDS",
    "ONE",
    "BonusDayRule",
    "FactorRefusal",
    "Multiplication",
    "OwnDayRefusal",
    "OwnDayState",
    "club_date",
    "day_bounds",
    "factor_text",
    "kinds_of",
    "kinds_text",
    "multiply",
    "own_day_refusal",
    "permille_of",
]

ONE = 1000  # x1, in per mille
MAX_FACTOR = 10_000  # x10: beyond that it is a typing error, not a programme
MULTIPLIED_KINDS: frozenset[PointsReason] = frozenset({
    PointsReason.attendance, PointsReason.referral, PointsReason.visit, PointsReason.spend, PointsReason.birthday,
})


@dataclass(frozen=True, slots=True)
class BonusDayRule:
    """A bonus day as the rule reads it: its factor, the kinds it multiplies and its name."""

    factor: int  # per mille
    kinds: frozenset[PointsReason]
    name: str
    own: bool = False  # the member's own chosen day
    id: int = 0  # its row, where it has one


@dataclass(frozen=True, slots=True)
class Multiplication:
    """What an earning becomes: the base, the factors that applied (per mille) and the points."""

    base: int
    tier_factor: int = ONE
    day_factor: int = ONE
    day: BonusDayRule | None = None  # the bonus day whose factor applied

    @property
    def points(self) -> int:
        return self.base * self.tier_factor * self.day_factor // (ONE * ONE) if self.multiplied else self.base

    @property
    def multiplied(self) -> bool:
        return self.tier_factor != ONE or self.day_factor != ONE

    def explained(self) -> str:
        """What the ledger entry's note adds, so a statement shows how the points came about:
        "base 100 x tier 2 x day 1.5 (Member day) = 300"."""
        if not self.multiplied:
            return ""
        parts = [f"base {self.base}", f"x tier {factor_text(self.tier_factor)}"]
        if self.day is not None:
            parts.append(f"x day {factor_text(self.day_factor)} ({self.day.name})")
        return " ".join(parts) + f" = {self.points}"


def multiply(
    base: int, kind: PointsReason, tier_factors: Mapping[PointsReason, int], days: Sequence[BonusDayRule],
) -> Multiplication:
    """The factors that apply to `base` points of `kind`, given the member's tier's factors and the
    bonus days of the date (see the module's rule)."""
    if base <= 0 or kind not in MULTIPLIED_KINDS:
        return Multiplication(base)
    tier = tier_factors.get(kind, ONE)
    applying = [d for d in days if kind in d.kinds and d.factor > ONE]
    # The highest factor; of equal ones the club's day before the member's own, then by name, so
    # the statement names the same day every time.
    best = min(applying, key=lambda d: (-d.factor, d.own, d.name), default=None)
    return Multiplication(base, max(tier, ONE), best.factor if best else ONE, best)


def club_date(instant: datetime, zone: ZoneInfo | str) -> date:
    """The club's date at `instant`: the date a bonus day is looked up by."""
    return instant.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()


def day_bounds(day: date, zone: ZoneInfo | str) -> tuple[datetime, datetime]:
    """The instants a club date starts and ends (end excluded), in the club's zone: 23 or 25 hours
    on a night the clocks change."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    # In UTC: aware datetimes of one zone subtract as wall clocks, which would hide the 25th hour.
    return (datetime.combine(day, time(0), tz).astimezone(UTC),
            datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC))


class FactorRefusal(str, Enum):
    not_a_number = "not_a_number"
    out_of_range = "out_of_range"  # must be above x1 and at most x10
    too_precise = "too_precise"  # at most three decimals (per mille)


def permille_of(text: str | int | Decimal) -> int | FactorRefusal:
    """A factor as written ("2", "1.5", Decimal("1.25")) in per mille, or why it cannot be one."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return FactorRefusal.not_a_number
    if not value.is_finite():
        return FactorRefusal.not_a_number
    scaled = value * ONE
    if scaled != scaled.to_integral_value(rounding=ROUND_DOWN):
        return FactorRefusal.too_precise
    permille = int(scaled)
    if not ONE < permille <= MAX_FACTOR:
        return FactorRefusal.out_of_range
    return permille


def factor_text(permille: int) -> str:
    """A per-mille factor as a reader writes it: 2000 -> "2", 1500 -> "1.5"."""
    return format((Decimal(permille) / ONE).normalize(), "f")


def kinds_text(kinds: Collection[PointsReason]) -> str:
    """Kinds as stored: comma-separated, in a fixed order (the door's statement matches ",kind,")."""
    return ",".join(k.value for k in PointsReason if k in kinds)


def kinds_of(text: str) -> frozenset[PointsReason]:
    return frozenset(PointsReason(k) for k in text.split(",") if k)


class OwnDayRefusal(str, Enum):
    in_the_past = "in_the_past"  # a bonus day is chosen ahead, today at the earliest
    too_far = "too_far"  # this year or next, no further
    passed = "passed"  # the chosen day of that year has passed: it cannot move now
    used = "used"  # it already multiplied an earning: it cannot move now


@dataclass(frozen=True, slots=True)
class OwnDayState:
    """The member's own bonus day already chosen for a year, if any."""

    day: date
    used: bool


def own_day_refusal(chosen: date, today: date, existing: OwnDayState | None) -> OwnDayRefusal | None:
    """Whether a member may choose `chosen` as their bonus day of its year (`today` is the club's
    date). One day per year; choosing again moves it, until that day has passed or was used."""
    if chosen < today:
        return OwnDayRefusal.in_the_past
    if chosen.year > today.year + 1:
        return OwnDayRefusal.too_far
    if existing is not None:
        if existing.used:
            return OwnDayRefusal.used
        if existing.day < today:
            return OwnDayRefusal.passed
    return None
