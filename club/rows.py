"""Rows leave a query as small frozen types, so a misspelled column is a type error.

Each domain declares its row types (msgspec Structs, `frozen=True`) beside the query that
fills them, and converts there: `row_as(EventRow, await Event.select(...).first())`. Only
the fields a type names are read; a missing one fails at the query, not three calls later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import msgspec

__all__ = ["Row", "row_as", "rows_as"]

T = TypeVar("T")


class Row(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every row type: frozen, keyword-built, comparable."""


def row_as(kind: type[T], row: Mapping[str, Any]) -> T:
    """One row as `kind`; values are taken as the driver gave them (datetimes, Decimals, enums' values)."""
    return msgspec.convert(row, kind, strict=False)


def rows_as(kind: type[T], rows: Iterable[Mapping[str, Any]]) -> list[T]:
    return msgspec.convert(list(rows), list[kind], strict=False)  # type: ignore[valid-type]
