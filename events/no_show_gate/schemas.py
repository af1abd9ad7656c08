"""Request and response shapes of the no-show rule (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.schemas import Strict, TierName

__all__ = ["NoShowRuleIn", "NoShowRuleOut"]

NoShows = Annotated[int, Meta(ge=1, le=100)]
Months = Annotated[int, Meta(ge=1, le=36)]


class NoShowRuleIn(Strict):
    """The club's rule: when `enabled`, a member of one of `tiers` (none named: every member)
    with `no_shows` or more no-shows in the last `months` calendar months joins the waitlist of
    an event instead of taking a seat, and their RSVP says why."""

    enabled: bool
    no_shows: NoShows = 3
    months: Months = 6
    tiers: Annotated[list[TierName], Meta(max_length=50)] = []


class NoShowRuleOut(Struct, frozen=True, kw_only=True):
    enabled: bool
    no_shows: int
    months: int
    tiers: list[str]
    updated_by: str
    updated_at: datetime | None
