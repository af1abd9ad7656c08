"""The ranges every number, date and instant a client sends must fall in, so none overflows a column.

Numbers are bounded with msgspec's `Meta` (the OpenAPI document shows those bounds). Meta cannot
bound a date or a datetime, so every request body (`club.schemas.Strict`) calls `check_dates` once
it is decoded: the check walks the decoded fields themselves, so no date field can be forgotten.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from msgspec import Meta, Struct
from piccolo.columns import Varchar

from club import clock

__all__ = [
    "EARLIEST_INSTANT",
    "INT32_MAX",
    "LATEST_INSTANT",
    "Day",
    "Id",
    "Instant",
    "PastDay",
    "Within",
    "check_dates",
    "date_fields",
    "fit",
]

# Every id is a PostgreSQL SERIAL, every count a 4-byte INTEGER: nothing above this fits a row.
INT32_MAX = 2**31 - 1
Id = Annotated[int, Meta(ge=1, le=INT32_MAX)]

# Nothing the club schedules (events, slots, trips, reminders, offers) lies before the service
# existed or beyond this century. Inside these bounds every sum the service makes (a reminder a
# year ahead, a passport's six months, a zone's offset, an iCal date) stays a valid date; outside
# them Python overflows at years 1 and 9999 and PostgreSQL stores +/-infinity.
EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Within:
    """The days a date field accepts (an `Annotated` marker; msgspec ignores it, `check_dates`
    reads it). `latest=None` is today on the latest clock on Earth: a day that is today anywhere
    is not in the future."""

    earliest: date
    latest: date | None

    def last(self) -> date:
        return self.latest if self.latest is not None else clock.today("Etc/GMT-14")


SCHEDULE_DAYS = Within(EARLIEST_INSTANT.date(), LATEST_INSTANT.date())
# Birthdays and joining days are history: the oldest living member was born after 1900.
HISTORY_DAYS = Within(date(1900, 1, 1), None)

# Naive datetimes are refused: a time means nothing without its offset.
Instant = Annotated[
    datetime,
    Meta(tz=True, description=f"With its UTC offset, from {EARLIEST_INSTANT:%Y-%m-%d} to {LATEST_INSTANT:%Y-%m-%d} (UTC)."),
]
Day = Annotated[date, SCHEDULE_DAYS, Meta(description="From 2000-01-01 to 2100-01-01.")]
PastDay = Annotated[date, HISTORY_DAYS, Meta(description="From 1900-01-01 to today.")]

_rules: dict[type, tuple[tuple[str, Within], ...]] = {}


def check_dates(body: Struct) -> None:
    """Raise ValueError (a 400 through msgspec) for a naive instant or one outside the club's
    range, or a date outside its field's `Within` (the schedule's range unless marked)."""
    for name, days in date_fields(type(body)):
        value = getattr(body, name)
        for item in value if isinstance(value, (list, tuple, set, frozenset)) else (value,):
            _check_one(name, item, days)


def _check_one(name: str, value: Any, days: Within) -> None:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"`{name}` needs a UTC offset, e.g. 2030-01-31T19:00:00+01:00")
        if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
            raise ValueError(
                f"`{name}` must be between {EARLIEST_INSTANT:%Y-%m-%d} and {LATEST_INSTANT:%Y-%m-%d} (UTC)"
            )
    elif isinstance(value, date) and not days.earliest <= value <= days.last():
        last = "today" if days.latest is None else days.latest.isoformat()
        raise ValueError(f"`{name}` must be between {days.earliest.isoformat()} and {last}")


def date_fields(cls: type) -> tuple[tuple[str, Within], ...]:
    """The fields of `cls` that hold dates or datetimes, each with its days (worked out once)."""
    if cls not in _rules:
        hints = typing.get_type_hints(cls, include_extras=True)
        found = []
        for name in cls.__struct_fields__:  # type: ignore[attr-defined]
            kinds, marks = _scan(hints[name])
            if kinds:
                found.append((name, marks[0] if marks else SCHEDULE_DAYS))
        _rules[cls] = tuple(found)
    return _rules[cls]


def _scan(hint: Any) -> tuple[set[type], list[Within]]:
    """The date types inside a type hint (through unions, lists, Annotated) and its Within marks."""
    kinds: set[type] = set()
    marks: list[Within] = []
    if typing.get_origin(hint) is Annotated:
        marks.extend(m for m in hint.__metadata__ if isinstance(m, Within))
        hint = typing.get_args(hint)[0]
    if hint in (date, datetime):
        kinds.add(hint)
    for arg in typing.get_args(hint):
        more_kinds, more_marks = _scan(arg)
        kinds |= more_kinds
        marks.extend(more_marks)
    return kinds, marks


def fit(text: str, column: Varchar) -> str:
    """`text` cut to what `column` holds: for text the service composes from a client's (a name
    plus a suffix), which the client's own bounds cannot keep within the column."""
    return text[: column.length]
