"""Tables of multipliers: a tier's factor on a kind of earning, and bonus days (the club's, and
each member's own chosen day of a year).

A bonus day keeps its club date and the instants it starts and ends in the club's zone (computed
when it is scheduled), so awarding asks "is now inside a bonus day" without knowing a zone, and the
door's one statement can ask the same. Kinds are stored comma-separated (club.multipliers.rules.kinds_text).
"""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, Tier, User

__all__ = ["BonusDay", "TierMultiplier"]


class TierMultiplier(Table, tablename="tier_multiplier"):
    tier_kind = Varchar(length=40, unique=True)  # "<tier id>:<kind>": one factor per tier and kind
    tier = ForeignKey(Tier, index=True)
    kind = Varchar(length=16)  # a PointsReason of club.multipliers.rules.MULTIPLIED_KINDS
    factor = Integer()  # per mille, above 1000
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None)


class BonusDay(Table, tablename="bonus_day"):
    # Null for the club's day (everyone's); a member for their own chosen day.
    member = ForeignKey(Member, null=True, default=None, index=True)
    # "<member id>:<year>" for a member's own day (one per year); null for the club's days.
    own_key = Varchar(length=24, unique=True, null=True, default=None)
    name = Varchar(length=80)
    local_date = Date(index=True)  # the club's date
    starts_at = Timestamptz()
    ends_at = Timestamptz(index=True)
    factor = Integer()  # per mille
    kinds = Varchar(length=80)  # comma-separated PointsReason values
    used_at = Timestamptz(null=True, default=None)  # an own day: when it first multiplied an earning
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=True, default=None)
