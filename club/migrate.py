"""Applying Piccolo migrations, safely when several processes start at once."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from piccolo.apps.migrations.commands.forwards import run_forwards

from club.db import current_engine

__all__ = ["MigrationFailed", "migrate"]

# Any fixed number: every process of this service agrees on it.
_ADVISORY_LOCK_KEY = 727_011_2026


class MigrationFailed(RuntimeError):
    pass


async def migrate(verbose: bool = False) -> None:
    """Bring the database to the newest schema; a no-op when it is there already."""
    os.environ.setdefault("PICCOLO_CONF", "club.piccolo_conf")
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

    connection = await asyncpg.connect(**engine.config)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _ADVISORY_LOCK_KEY)
        yield
    finally:
        try:
            await connection.execute("SELECT pg_advisory_unlock($1)", _ADVISORY_LOCK_KEY)
        finally:
            await connection.close()
