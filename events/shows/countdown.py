"""The time left to answer an invitation, as the member reads it: "还剩 2 天 5 小时".

Whole minutes, rounded down (a member is never told they have more time than they have); days
and hours while a day or more is left, hours and minutes under a day, "less than a minute" at
the end. The invitations page's little script counts down the same way, with the same words
(`unit_forms`), so the text it ticks to is the one the server would write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from club.i18n.catalogs import gettext, ngettext
from club.i18n.languages import Language

__all__ = ["TimeLeft", "time_left", "time_left_text", "unit_forms"]


@dataclass(frozen=True, slots=True)
class TimeLeft:
    days: int
    hours: int
    minutes: int


def time_left(now: datetime, deadline: datetime) -> TimeLeft | None:
    """What is left from `now` to `deadline` in whole minutes; None once it has passed."""
    seconds = (deadline - now).total_seconds()
    if seconds <= 0:
        return None
    minutes = int(seconds // 60)
    return TimeLeft(minutes // 1440, minutes % 1440 // 60, minutes % 60)


def _unit(language: Language, unit: str, n: int) -> str:
    if unit == "day":
        return ngettext(language, "{n} day", "{n} days", n)
    if unit == "hour":
        return ngettext(language, "{n} hour", "{n} hours", n)
    return ngettext(language, "{n} minute", "{n} minutes", n)


def _less(language: Language) -> str:
    return gettext(language, "less than a minute")


def time_left_text(language: Language, left: TimeLeft) -> str:
    parts = []
    if left.days:
        parts.append(_unit(language, "day", left.days))
    if left.hours:
        parts.append(_unit(language, "hour", left.hours))
    if not left.days and left.minutes:
        parts.append(_unit(language, "minute", left.minutes))
    return " ".join(parts) if parts else _less(language)


class _Unfilled(int):
    """A count that picks its plural form as the number it is but is written "{n}", so the
    page's script gets each form with its placeholder still in it."""

    def __format__(self, spec: str) -> str:
        return "{n}"


def unit_forms(language: Language) -> dict[str, object]:
    """The words of `time_left_text` for the page's script: each unit's form for one and for
    more, unfilled ("{n} 天"; the club's languages have at most these two), and the last minute's."""
    forms: dict[str, object] = {
        unit: [_unit(language, unit, _Unfilled(n)) for n in (1, 2)] for unit in ("day", "hour", "minute")
    }
    forms["less"] = _less(language)
    return forms
