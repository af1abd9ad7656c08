"""The database engine: one per process, SQLite or PostgreSQL, and the one way to write to it.

Every state change goes through `write_transaction()`. On SQLite it opens the transaction as
IMMEDIATE (so the write lock is taken up front and never upgraded mid-way, which is what
produces "database is locked") and queues writers of this process on an asyncio lock, since
SQLite admits one writer at a time anyway; other processes wait on the busy timeout. A hot write
of a few statements may instead run whole on the writer's thread (`write_in_one_hop`). On
PostgreSQL, rows are locked with `club.locking.lock_objects()`, which is a no-op on SQLite.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

if TYPE_CHECKING:
    from piccolo.table import Table

    from club.settings import Settings

__all__ = [
    "configure_database",
    "connection_pool",
    "current_engine",
    "keep_parameters_out_of_logs",
    "make_engine",
    "set_table_source",
    "write_in_one_hop",
    "write_transaction",
]

SQLITE_BUSY_TIMEOUT_S = 30.0

_engine: Engine | None = None
_engine_url: str | None = None
# A hook the wiring fills (club.server.wiring): this layer cannot know the domains' tables.
_table_source: tuple[Callable[[], Iterable[type[Table]]], Callable[[Engine], None]] | None = None


def set_table_source(tables: Callable[[], Iterable[type[Table]]], on_engine: Callable[[Engine], None]) -> None:
    """Which tables `configure_database` binds, and who else is told of the new engine (Piccolo's conf)."""
    global _table_source
    _table_source = (tables, on_engine)
_sqlite_writer_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


class SharedReaderSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, but queries outside a transaction share one connection.

    Piccolo opens a new connection (and a thread) for every such query, ~3 ms each, which
    dominated every request. In WAL mode one autocommit connection sees each committed
    write at its next statement, so sharing it changes nothing but the cost. Write
    transactions, which take turns anyway, take turns on one kept connection too; other
    transactions (a read transaction) still get a connection of their own.
    """

    _readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]
    _writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._readers = weakref.WeakKeyDictionary()
        self._writers = weakref.WeakKeyDictionary()

    async def _reader(self) -> Any:
        loop = asyncio.get_running_loop()
        connection = self._readers.get(loop)
        if connection is None:
            connection = await self._open()
            self._readers[loop] = connection
        return connection

    async def _open(self) -> Any:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # A daemon thread: a process that never closes it must still be able to exit.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]  # any callable, as in sqlite3
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> Any:
        connection = await self._reader()
        return await connection.execute_fetchall(query, args or [])  # one hop to its thread

    async def _run_in_existing_connection(
        self, connection: Any, query: str, args: list[Any] | None = None, query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        """A statement in a transaction in one hop to the connection's thread, not Piccolo's four
        (its `PRAGMA foreign_keys = 1` before each statement, the statement, the fetch, the
        cursor's close). The pragma is a no-op in a transaction anyway; every connection this
        engine or Piccolo opens sets it, and the rows' dict factory, when it opens."""
        if query_type == "insert" and self.get_version_sync() < 3.35:  # no RETURNING: Piccolo's way
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return await connection.execute_fetchall(query, args or [])

    async def _writer(self) -> Any:
        """The connection this loop's writers take turns on (under `_sqlite_writer_lock`): a
        write transaction no longer opens a connection and a thread, sets its pragma and closes
        them again, four hops to another thread that each waited for the busy loop to come round
        while the one writer held the write lock."""
        loop = asyncio.get_running_loop()
        connection = self._writers.get(loop)
        if connection is None:
            connection = await self._open()
            self._writers[loop] = connection
        elif connection.in_transaction:
            # A transaction cancelled while it ended can leave one open: it had failed, so it goes.
            await connection.rollback()
        return connection

    async def _drop_writer(self, connection: Any) -> None:
        """A connection whose transaction could not end goes; closing it rolls the rest back."""
        loop = asyncio.get_running_loop()
        if self._writers.get(loop) is connection:
            del self._writers[loop]
        await connection.close()

    def writer_transaction(self) -> KeptWriterTransaction:
        return KeptWriterTransaction(engine=self, transaction_type=TransactionType.immediate)


class KeptWriterTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction on the loop's kept writer connection, which outlives it."""

    engine: SharedReaderSQLiteEngine

    async def get_connection(self) -> Any:
        return await self.engine._writer()

    async def __aexit__(
        self, exception_type: type[BaseException] | None, exception: BaseException | None, traceback: TracebackType | None,
    ) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            await self.engine._drop_writer(self.connection)
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None


def make_engine(database_url: str, lock_timeout_s: float | None = None) -> Engine:
    """The engine for `database_url`. On PostgreSQL, `lock_timeout_s` bounds every statement's
    wait for a row lock on every connection (club.locking adds a SET LOCAL only when the timeout
    was configured otherwise since), so a plain UPDATE behind a long transaction becomes a 503
    busy answer, not a hung request."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        _enable_wal(path)
        return SharedReaderSQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_S)
    parsed = urlparse(database_url)
    return PostgresEngine(
        config={
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "user": parsed.username or "postgres",
            "password": parsed.password or None,
            "database": parsed.path.lstrip("/") or "postgres",
            **(
                {"server_settings": {"lock_timeout": str(max(1, int(lock_timeout_s * 1000)))}}
                if lock_timeout_s
                else {}
            ),
        }
    )


def _enable_wal(path: str) -> None:
    """WAL lets readers go on while one writer writes; the mode is stored in the file."""
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


class _DropStatementRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_STATEMENT_FILTER = _DropStatementRecords()


def keep_parameters_out_of_logs() -> None:
    """aiosqlite logs every statement at DEBUG with its bound parameters, so a process logging
    at DEBUG would write call notes and passport numbers into its log as they are saved. Those
    records are dropped at their source. Idempotent."""
    logger = logging.getLogger("aiosqlite")
    if _STATEMENT_FILTER not in logger.filters:
        logger.addFilter(_STATEMENT_FILTER)


def configure_database(settings: Settings) -> Engine:
    """Create this process's engine and bind every table (ours and Piccolo's) to it.

    Calling it again with the same database keeps the engine (and its connection pool).
    It also binds the keys of the values sealed in the database (club.sealing), so every
    process that can read a row can open it, migrations included."""
    global _engine, _engine_url
    from club.locking import configure_locking
    from club.sealing import configure_sealing

    keep_parameters_out_of_logs()
    configure_sealing(settings)
    configure_locking(settings)
    if _engine is not None and _engine_url == settings.database_url:
        return _engine
    if _table_source is None:
        raise RuntimeError("no tables to bind: the wiring (club.server.wiring.install) has not run in this process")
    tables, on_engine = _table_source
    engine = make_engine(settings.database_url, settings.lock_timeout_s)
    on_engine(engine)
    for table in tables():
        table._meta.db = engine
    _engine, _engine_url = engine, settings.database_url
    return engine


def current_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("configure_database(settings) has not been called in this process")
    return _engine


@asynccontextmanager
async def connection_pool(max_size: int = 20) -> AsyncIterator[None]:
    """A PostgreSQL connection pool for the duration of the block, unless one is open already
    (then the block uses it and leaves it open). Nothing to pool on SQLite."""
    engine = current_engine()
    if not isinstance(engine, PostgresEngine) or engine.pool is not None:
        yield
        return
    await engine.start_connection_pool(min_size=1, max_size=max_size, reset=_keep_session)
    try:
        yield
    finally:
        await engine.close_connection_pool()


async def _keep_session(connection: Any) -> None:
    """asyncpg's default reset sends RESET ALL, UNLISTEN, CLOSE ALL and an advisory unlock on
    every release: a round trip after each query. We keep no session state on pooled
    connections (the migration lock uses a connection of its own), so there is nothing to
    reset; asyncpg still rolls back any transaction left open before calling this."""


def is_sqlite() -> bool:
    return current_engine().engine_type == "sqlite"


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """One transaction for one state change; nested calls join the outer transaction."""
    engine = current_engine()
    outer = engine.current_transaction.get()
    if outer is not None:
        yield outer
        return
    if isinstance(engine, SharedReaderSQLiteEngine):  # make_engine's only SQLite engine
        async with _sqlite_writer_lock(), engine.writer_transaction() as tx:
            yield tx
    else:
        async with engine.transaction() as tx:
            yield tx


T = TypeVar("T")


async def write_in_one_hop(work: Callable[[sqlite3.Connection], T]) -> T:
    """A whole write transaction on SQLite as one plain function, run in one hop to the kept
    writer connection's thread: BEGIN IMMEDIATE, `work(connection)`, COMMIT (ROLLBACK if it
    raises, and the exception comes out here). For a hot write of a few statements (a storm's
    waitlist places, events.rsvp): in `write_transaction` each statement is a hop of its own,
    and between them the write lock waits for the busy event loop to come round. `work` runs
    off the event loop, so it may only run statements on `connection` and compute; not within
    a transaction (its statements would not be that transaction's)."""
    engine = current_engine()
    if not isinstance(engine, SharedReaderSQLiteEngine) or engine.current_transaction.get() is not None:
        raise RuntimeError("write_in_one_hop is for SQLite, outside any transaction")
    async with _sqlite_writer_lock():
        connection = await engine._writer()
        # aiosqlite's own way to run a function on its thread (what each of its methods does).
        hop = asyncio.ensure_future(connection._execute(_whole_transaction, connection._conn, work))
        try:
            return await asyncio.shield(hop)  # type: ignore[no-any-return]
        finally:
            if not hop.done():
                # Cancelled: the thread goes on with the transaction; the next writer may only
                # take the connection once it has ended (else it would find it open and roll it back).
                await asyncio.wait([hop])


def _whole_transaction(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")  # should it fail, the next writer finds it open and rolls it back
    return result


def _sqlite_writer_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _sqlite_writer_locks.get(loop)
    if lock is None:
        lock = _sqlite_writer_locks[loop] = asyncio.Lock()
    return lock
