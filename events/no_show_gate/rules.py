"""The no-show gate's decision, with no I/O: whether the rule asks about a member, where its
window starts, whether their no-shows close the seat, and the words that tell them why.

The programme has no seasons (only check-up programmes do), so the rule's window is the last N
calendar months, counted back from the moment of the RSVP.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from club.errors import Said
from club.i18n.catalogs import N_

__all__ = ["GateRule", "gate_text", "gated", "rule_applies", "tier_listed", "window_start"]


@dataclass(frozen=True, slots=True)
class GateRule:
    enabled: bool = False
    no_shows: int = 3
    months: int = 6
    tier_ids: frozenset[int] = frozenset()  # empty: every member


def rule_applies(enabled: bool, tier_listed: bool | None) -> bool:
    """Whether an RSVP must count the member's no-shows: the rule is on and names their tier
    (`tier_listed` is what the RSVP's statement read: their tier is listed, or no tier is)."""
    return bool(enabled) and bool(tier_listed)


def tier_listed(rule: GateRule, tier_id: int | None) -> bool:
    """The same question asked of a rule in hand: no tiers listed is every member."""
    return not rule.tier_ids or (tier_id is not None and tier_id in rule.tier_ids)


def window_start(now: datetime, months: int) -> datetime:
    """`months` calendar months before `now`, the day kept where the month has it (31 March less
    one month is 28 or 29 February)."""
    month_index = now.year * 12 + (now.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def gated(no_shows_needed: int, no_shows: int) -> bool:
    """Whether `no_shows` in the window send the member to the waitlist."""
    return no_shows >= max(1, no_shows_needed)


def gate_text(no_shows: int, months: int) -> Said:
    """Why the member waits, as they read it on their RSVP."""
    return Said(
        N_("You have missed {count} events in the last {months} months, so this time you join the waitlist first."),
        {"count": no_shows, "months": months},
    )
