"""The one way a transaction locks rows: `lock_objects(...)`, once, with all it will touch.

As pretix's `lock_objects`: it takes every row the transaction's decision depends on, locks them
in one global order, refuses to run outside a transaction, and on PostgreSQL waits at most
`lock_timeout_s` (settings) for a lock, so a row held too long becomes a 503 `/problems/busy`
answer with Retry-After instead of a hung request. On SQLite there is nothing to lock: the
IMMEDIATE write transaction (club.db) already holds the database's only write lock.

The global order is by type, then by id: `LOCK_ORDER` ranks the tables, parents before the rows
that hang off them, in the order the paths learn of them (a booking before its slot's event, an
event before its RSVPs, whose rows the RSVP path writes under the event lock; an RSVP before the
member its scan pays; a member before the tier ladder a promotion locks). Two transactions that
both follow this order never wait for each other in a circle.

A path that only learns what else to lock from a row read under a first lock (a health booking's
current slot) calls `lock_objects` again; the later call must only reach types ranked after the
first (or rows it already holds, which cost nothing). Each such call site says why.

The names in `LOCK_ORDER` are table names, not classes: this bottom layer cannot import the
domains' tables. A table missing from it cannot be locked (LockOrderError), so a new lockable
table is placed in the order on purpose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import asyncpg

from club.db import current_engine
from club.errors import DomainError

if TYPE_CHECKING:
    from piccolo.table import Table

    from club.settings import Settings

__all__ = [
    "LOCKING",
    "LOCK_ORDER",
    "LockOrderError",
    "LockOutsideTransaction",
    "LockTimeout",
    "configure_locking",
    "lock_objects",
    "lock_order",
    "row_lock_cte",
    "statement_locking",
]

# The global lock order, first locked first. See the module docstring for why each stands where it does.
LOCK_ORDER: tuple[str, ...] = (
    "health_program",  # a programme's own settings (preparation)
    "health_booking",  # a booking, then the slot events it moves between
    "event",  # an event (or show, trip, clinic slot), then its RSVPs and invitations
    "rsvp",  # an RSVP, then its travelers, its ticket, the member a scan of it pays
    "trip_traveler",
    "trip_room",
    "scheduled_reminder",
    "call_task",
    "member",  # a member, then the tier ladder their promotion takes
    "tier",
    "sign_in_code",  # a one-time code being tried; nothing is locked after it
)

# Only control tests turn this off, to show the race a lock prevents really happens. Every
# locked path goes through `lock_objects` or `row_lock_cte`, so this one switch turns them all off.
LOCKING = True

# The two strengths of `lock_objects` (see `_lock_rows`).
_ORDINARY, _SHARED = "NO KEY UPDATE", "SHARE"

DEFAULT_LOCK_TIMEOUT_S = 3.0
_lock_timeout_s = DEFAULT_LOCK_TIMEOUT_S
# The transaction whose lock_timeout is already set (held, so its identity cannot be reused).
_timed_transaction: ContextVar[object | None] = ContextVar("timed_transaction", default=None)

Target = tuple["type[Table]", "int | Iterable[int]"]


class LockOutsideTransaction(RuntimeError):
    """A programming error: a lock outside a transaction would be released at once."""


class LockOrderError(RuntimeError):
    """A programming error: a table to lock that has no place in `LOCK_ORDER`."""


class LockTimeout(DomainError):
    """Another request held a row this one needed for longer than the lock timeout."""

    status_code = 503
    slug = "busy"
    title = "Busy"
    retry_after_s = 1

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


def configure_locking(settings: Settings) -> None:
    """Take the lock timeout from the settings (configure_database calls this)."""
    global _lock_timeout_s
    _lock_timeout_s = settings.lock_timeout_s


def lock_order(targets: Iterable[tuple[str, Iterable[int]]]) -> list[tuple[str, list[int]]]:
    """(table name, ids) in the global order: tables by `LOCK_ORDER`, ids ascending, each once."""
    wanted: dict[str, set[int]] = {}
    for name, ids in targets:
        if name not in LOCK_ORDER:
            raise LockOrderError(f"table {name!r} has no place in club.locking.LOCK_ORDER")
        wanted.setdefault(name, set()).update(ids)
    return [(name, sorted(wanted[name])) for name in sorted(wanted, key=LOCK_ORDER.index) if wanted[name]]


async def lock_objects(*targets: Target, shared: bool = False) -> dict[str, set[int]] | None:
    """Lock every (table, id or ids) given until the transaction ends, in the global order.

    Returns, per table name, the ids that exist (and are now locked) on PostgreSQL; None when
    nothing was locked (SQLite, or locking turned off by a control test), so callers that
    need existence ask for it themselves.

    `shared` takes the rows FOR SHARE: held by many transactions at once, it excludes every
    ordinary lock of `lock_objects` and every writer of the rows. A shared holder never asks for
    the ordinary lock later in its transaction (two of them would wait for each other): it ends
    its transaction and starts again with the ordinary lock instead.
    """
    engine = current_engine()
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise LockOutsideTransaction("lock_objects() must run inside write_transaction()")
    tables = {t._meta.tablename: t for t, _ in targets}
    ordered = lock_order((t._meta.tablename, [ids] if isinstance(ids, int) else ids) for t, ids in targets)
    if not LOCKING or engine.engine_type == "sqlite":
        return None
    locked: dict[str, set[int]] = {}
    async with _timed(engine, transaction):
        for name, ids in ordered:
            locked[name] = await _lock_rows(tables[name], ids, _SHARED if shared else _ORDINARY)
    return locked


def row_lock_cte(table: type[Table]) -> str | None:
    """`lock_objects`' ordinary lock of rows of `table` (their ids a `{}`), as the first CTE of a
    statement that decides under it, run within `statement_locking`; None when nothing would be
    locked (SQLite, or locking turned off), for the caller to take its lock the ordinary way.

    It must be the transaction's first lock (the global order), and the reads that must see
    what the lock's last holder committed go through a VOLATILE PL/pgSQL function of the
    statement, called on the locked row: each query in one takes a snapshot of its own, where
    the statement's own reads would see the database as it stood before the lock was waited for.
    """
    if not LOCKING or current_engine().engine_type == "sqlite":
        return None
    return f'"locked" AS ({_lock_sql(table, _ORDINARY)})'


@asynccontextmanager
async def statement_locking() -> AsyncIterator[None]:
    """Around a statement that takes its lock itself (`row_lock_cte`): the transaction's lock
    timeout, and a lock not had in time as LockTimeout, as `lock_objects` gives them."""
    engine = current_engine()
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise LockOutsideTransaction("a statement that locks must run inside write_transaction()")
    async with _timed(engine, transaction):
        yield


@asynccontextmanager
async def _timed(engine: Any, transaction: Any) -> AsyncIterator[None]:
    """The transaction's lock timeout set, and a lock not had within it raised as LockTimeout."""
    await _set_timeout(engine, transaction)
    try:
        yield
    except asyncpg.exceptions.LockNotAvailableError as exc:
        raise LockTimeout("Someone else is changing this right now; please try again in a moment.") from exc


async def _set_timeout(engine: Any, transaction: Any) -> None:
    if _timed_transaction.get() is transaction:
        return
    timeout_ms = str(max(1, int(_lock_timeout_s * 1000)))
    # Every connection of the engine starts with the settings' lock_timeout (club.db.make_engine
    # passes it as a server setting, and nothing changes it for the session), so a transaction
    # needs its own SET LOCAL, a round trip, only when the timeout was configured otherwise since.
    if _session_lock_timeout_ms(engine) != timeout_ms:
        # SET takes no parameters; the value is a number of milliseconds we computed.
        await transaction.connection.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
    _timed_transaction.set(transaction)


def _session_lock_timeout_ms(engine: Any) -> str | None:
    """The lock_timeout every connection of `engine` starts its session with, if it sets one."""
    config = getattr(engine, "config", None) or {}
    return (config.get("server_settings") or {}).get("lock_timeout")


async def _lock_rows(table: type[Table], ids: list[int], strength: str) -> set[int]:
    # NO KEY UPDATE: excludes our other lockers and writers of the row, yet lets other
    # transactions insert rows that point at it (a foreign key takes KEY SHARE), so locking a
    # member or event never deadlocks against someone adding an RSVP or a ledger entry for it.
    # Its own statement, before the reads: under READ COMMITTED a read that waited for the lock
    # inside the same statement would not see the change it waited for.
    # Plain SQL: building the Piccolo query cost more than running it, on every scan and booking.
    rows = await table.raw(_lock_sql(table, strength), ids)
    return {r["id"] for r in rows}


def _lock_sql(table: type[Table], strength: str) -> str:
    """The lock of the rows of `table` whose ids are the array `{}`, in id order."""
    pk = table._meta.primary_key._meta.db_column_name
    return f'SELECT "{pk}" AS id FROM "{table._meta.tablename}" WHERE "{pk}" = ANY({{}}) ORDER BY "{pk}" FOR {strength}'
