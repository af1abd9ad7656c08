"""Applying Piccolo migrations, safely when several processes start at once, to a PostgreSQL
database made first when it does not exist yet."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.postgres import PostgresEngine

from club.db import current_engine

__all__ = ["DatabaseUnavailable", "MigrationFailed", "ensure_database", "migrate"]

_CONNECT_TIMEOUT_S = 10.0

# Any fixed number: every process of this service agrees on it.
_ADVISORY_LOCK_KEY = 727_011_2026


class MigrationFailed(RuntimeError):
    pass


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or made; the message is one line saying how to fix it."""


async def ensure_database(database_url: str) -> str | None:
    """Make the PostgreSQL database of `database_url` if it does not exist, through the
    server's `postgres` database. Returns a line saying so when it made it, None when it was
    there; raises DatabaseUnavailable when it cannot be reached or made."""
    import asyncpg

    target = urlparse(database_url)
    name = target.path.lstrip("/") or "postgres"
    user = target.username or "postgres"
    server = f"{target.hostname or '127.0.0.1'}:{target.port or 5432}"
    try:
        connection = await _connect(target, name)
    except asyncpg.InvalidCatalogNameError:
        pass  # does not exist: make it below
    else:
        await connection.close()
        return None
    try:
        admin = await _connect(target, "postgres")
    except asyncpg.InvalidCatalogNameError as exc:
        raise DatabaseUnavailable(
            f'database "{name}" does not exist on {server}, nor the "postgres" database to create it from: '
            f'create it with `createdb -h {target.hostname or "127.0.0.1"} -p {target.port or 5432} -U {user} {name}`'
        ) from exc
    try:
        quoted = '"' + name.replace('"', '""') + '"'
        await admin.execute(f"CREATE DATABASE {quoted}")
    except asyncpg.DuplicateDatabaseError:
        return None  # another process made it meanwhile
    except asyncpg.InsufficientPrivilegeError as exc:
        raise DatabaseUnavailable(
            f'database "{name}" does not exist on {server} and user "{user}" may not create it: '
            f'have an administrator run CREATE DATABASE {quoted} OWNER "{user}", or use a DATABASE_URL user with CREATEDB'
        ) from exc
    finally:
        await admin.close()
    return f'created database "{name}" on {server}'


async def _connect(target: Any, database: str) -> Any:
    """A connection to `database` on the server of `target`; unreachable servers and refused
    logins become DatabaseUnavailable, a missing database stays asyncpg's own error."""
    import asyncpg

    server = f"{target.hostname or '127.0.0.1'}:{target.port or 5432}"
    try:
        return await asyncpg.connect(
            host=target.hostname or "127.0.0.1", port=target.port or 5432, user=target.username or "postgres",
            password=target.password or None, database=database, timeout=_CONNECT_TIMEOUT_S,
        )
    except asyncpg.InvalidCatalogNameError:
        raise
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError) as exc:
        raise DatabaseUnavailable(
            f'PostgreSQL at {server} refused user "{target.username or "postgres"}" ({exc}): '
            "fix the user or password in DATABASE_URL"
        ) from exc
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {server} ({reason}): start it, or fix the host and port in DATABASE_URL"
        ) from exc


async def migrate(verbose: bool = False) -> None:
    """Bring the database to the newest schema; a no-op when it is there already."""
    os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")
    output = io.StringIO()
    async with _exclusive():
        # Piccolo prints its progress; keep it for the error message unless asked to show it.
        quiet = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(output)
        with quiet:
            result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationFailed(f"{result.message}\n{output.getvalue()}")


@asynccontextmanager
async def _exclusive() -> AsyncIterator[None]:
    """On PostgreSQL, an advisory lock so two app processes starting together migrate once.
    SQLite needs none: its migration transactions already exclude each other."""
    engine = current_engine()
    if engine.engine_type != "postgres":
        yield
        return
    import asyncpg

    assert isinstance(engine, PostgresEngine)
    connection = await asyncpg.connect(**engine.config)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _ADVISORY_LOCK_KEY)
        yield
    finally:
        try:
            await connection.execute("SELECT pg_advisory_unlock($1)", _ADVISORY_LOCK_KEY)
        finally:
            await connection.close()
