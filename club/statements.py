"""Hand-written statements of the hot paths, run straight on the engine's connection.

`Table.raw` builds a Piccolo query around the same SQL on every call: a query object, its
template split into fragments again, the placeholders numbered again, each row copied into the
query's results. For a statement the hot paths run thousands of times a minute (an RSVP's
facts, a scan's admission) that cost more than the database spent answering. Here a template
(Piccolo's: `{}` for each value) is turned into the engine's placeholders once, and run on the
connection Piccolo would have used: the current transaction's, else the pool's (PostgreSQL) or
the shared reader (SQLite). What comes back is the same: one dict per row.
"""

from __future__ import annotations

from functools import lru_cache
from string import Formatter
from typing import Any

from piccolo.querystring import QueryString

from club.db import SharedReaderSQLiteEngine, current_engine

__all__ = ["compiled", "fetch"]


# Bounded: the hot paths' templates are a few dozen (a multi-row insert's by its row count).
@lru_cache(maxsize=256)
def _placeholders(template: str, engine_type: str) -> str:
    """`template` with its `{}` as `$1, $2, …` (PostgreSQL) or `?` (SQLite), as Piccolo compiles it."""
    parts: list[str] = []
    n = 0
    for literal, field, _, _ in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            if field:
                raise ValueError(f"a statement's placeholders are {{}}, not {{{field}}}")
            n += 1
            parts.append(f"${n}" if engine_type == "postgres" else "?")
    return "".join(parts)


def compiled(template: str) -> str:
    """`template` as the current engine runs it, for a caller that runs it on a connection itself
    (club.db.write_in_one_hop's work)."""
    return _placeholders(template, current_engine().engine_type)


async def fetch(template: str, *values: Any) -> list[dict[str, Any]]:
    """The rows of `template` run with `values`, in the current transaction if there is one."""
    engine = current_engine()
    sql = _placeholders(template, engine.engine_type)
    transaction = engine.current_transaction.get()
    if isinstance(engine, SharedReaderSQLiteEngine):
        connection = transaction.connection if transaction is not None else await engine._reader()
        return list(await connection.execute_fetchall(sql, values))  # its rows are dicts already
    if engine.engine_type != "postgres":  # an engine make_engine does not make: Piccolo's way
        return list(await engine.run_querystring(QueryString(template, *values)))
    if transaction is not None:
        return [dict(r) for r in await transaction.connection.fetch(sql, *values)]
    pool = getattr(engine, "pool", None)
    if pool is None:  # no pool started (a script): Piccolo opens a connection for the statement
        return [dict(r) for r in await engine.run_querystring(QueryString(template, *values))]
    async with pool.acquire() as connection:
        return [dict(r) for r in await connection.fetch(sql, *values)]
