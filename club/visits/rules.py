"""The rules of visit points, on plain values: the store's local day of a scan, and what a visit
earns under the club's daily cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

__all__ = ["VisitEarning", "VisitResult", "local_day", "visit_earning", "visit_key"]


class VisitResult(str, Enum):
    earned = "earned"  # the visit is counted and earned points
    already_counted = "already_counted"  # this member's visit to this store today is counted already
    cap_reached = "cap_reached"  # counted visits today earned the daily cap; this one earns nothing
    not_a_card = "not_a_card"  # not a member card of this club (a ticket, a forgery, a reissued card)
    suspended = "suspended"  # the member is suspended: their card earns nothing


def local_day(instant: datetime, time_zone: str) -> date:
    """The day on the store's clock at `instant` (an aware datetime)."""
    if instant.tzinfo is None:
        raise ValueError("an instant needs its time zone")
    return instant.astimezone(ZoneInfo(time_zone)).date()


def visit_key(member_id: int, store_code: str, day: date) -> str:
    """What makes a visit once per member per store per local day."""
    return f"{member_id}:{store_code}:{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class VisitEarning:
    points: int
    capped: bool  # the cap cut this visit's points (to fewer, or to none)


def visit_earning(per_visit: int, daily_cap: int, earned_today: int) -> VisitEarning:
    """What one more visit earns when the member's visits today earned `earned_today`: the club's
    points for a visit, never past the daily cap across stores (a cap of 0 earns nothing). The cap counts
    the visits' own points, the same for every tier: a multiplier multiplies what it lets through."""
    if per_visit < 0 or daily_cap < 0 or earned_today < 0:
        raise ValueError("points, cap and earnings are never negative")
    room = max(daily_cap - earned_today, 0)
    points = min(per_visit, room)
    return VisitEarning(points=points, capped=points < per_visit)
