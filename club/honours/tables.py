"""Tables of the honours: a member's choice to appear on the leaderboards, and the name shown."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar

from club.table import Table
from club.tables import Member

__all__ = ["HonoursProfile"]


class HonoursProfile(Table, tablename="honours_profile"):
    """A member's leaderboard choice; no row is the default: not on the boards."""

    member = ForeignKey(Member, unique=True)
    opted_in = Boolean(default=False)
    display_name = Varchar(length=24, default="")  # club.honours.rules.DISPLAY_NAME_MAX
    updated_at = Timestamptz()
