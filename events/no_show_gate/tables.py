"""The club's no-show rule (one row, `scope` "club") and the tiers it applies to.

No row, or `enabled` false, is no gate: the RSVP reads the rule with the event in the statement
it runs anyway, so a club without the rule pays nothing for it.
"""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete

from club.table import Table
from club.tables import Tier

__all__ = ["CLUB_SCOPE", "NoShowRule", "NoShowRuleTier"]

CLUB_SCOPE = "club"


class NoShowRule(Table, tablename="no_show_rule"):
    """`no_shows` or more no-shows in the last `months` months: the member's next RSVPs wait."""

    scope = Varchar(length=16, unique=True, default=CLUB_SCOPE)
    enabled = Boolean(default=False)
    no_shows = Integer(default=3)
    months = Integer(default=6)
    updated_by = Varchar(length=200, default="")
    updated_at = Timestamptz(null=True, default=None)


class NoShowRuleTier(Table, tablename="no_show_rule_tier"):
    """A tier the rule applies to; none listed: it applies to every member."""

    tier = ForeignKey(Tier, unique=True, on_delete=OnDelete.cascade)
