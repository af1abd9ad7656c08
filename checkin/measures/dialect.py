"""The few words the measures' SQL says differently on SQLite and PostgreSQL, and running it.

Each statement is written once with these fragments; everything else in it is the SQL both speak.
"""

from __future__ import annotations

from typing import Any

from club.db import is_sqlite
from club.tables import Member

__all__ = ["fetch", "seconds_between", "typed"]


def seconds_between(earlier: str, later: str) -> str:
    """Seconds from one timestamp column to another. SQLite keeps timestamps as ISO text (UTC) and
    counts whole seconds; PostgreSQL counts them exactly."""
    if is_sqlite():
        return f"(CAST(strftime('%s', {later}) AS INTEGER) - CAST(strftime('%s', {earlier}) AS INTEGER))"
    return f"(EXTRACT(EPOCH FROM {later}) - EXTRACT(EPOCH FROM {earlier}))"


def typed(sql_type: str) -> str:
    """A parameter of a column PostgreSQL cannot infer (a row of literals: `SELECT {} AS at`),
    cast to `sql_type` there. SQLite takes the value as Python wrote it: a cast would read a
    date's text as a number."""
    return "{}" if is_sqlite() else f"CAST({{}} AS {sql_type})"


async def fetch(sql: str, *values: Any) -> list[dict[str, Any]]:
    """Rows of a read-only statement whose `{}` are filled with `values` as parameters."""
    return list(await Member.raw(sql, *values))
