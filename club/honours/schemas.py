"""Request and response shapes of the honours API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.honours.rules import DISPLAY_NAME_MAX, Board, NextTier, Period
from club.schemas import NextTierOut, Strict

__all__ = ["HonoursIn", "HonoursOut", "LeaderboardOut", "LineOut", "MyStandingOut", "NextTierOut", "next_tier_out"]


class HonoursIn(Strict):
    """Whether I appear on the leaderboards, and the name they show (required to appear)."""

    opted_in: bool
    display_name: Annotated[str, Meta(max_length=DISPLAY_NAME_MAX)] = ""


class HonoursOut(Struct, kw_only=True):
    opted_in: bool
    display_name: str


class LineOut(Struct, kw_only=True):
    rank: int
    display_name: str
    score: int
    me: bool  # this line is the reader's
    member_id: int | None = None  # for coordinators only


class MyStandingOut(Struct, kw_only=True):
    score: int
    rank: int | None  # None while the period brought no score
    opted_in: bool
    listed: bool


class LeaderboardOut(Struct, kw_only=True):
    board: Board
    period: Period
    starts_at: datetime
    ends_at: datetime
    lines: list[LineOut]
    ranked: int  # opted-in members with a score in the period
    me: MyStandingOut | None  # the reader's standing (members only)


def next_tier_out(value: NextTier) -> NextTierOut:
    if value.spend is None:
        return NextTierOut(state=value.state, tier=value.tier, points=value.points)
    return NextTierOut(state=value.state, tier=value.tier, points=value.points, spend_threshold=value.spend.threshold,
                       spend_currency=value.spend.currency, spend=value.spend.spent)
