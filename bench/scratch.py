"""A throwaway club for one benchmark run: its settings, database and Redis, removed afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from club.embedded_redis import EmbeddedRedis
from club.settings import Settings
from tests.scratch_db import create_scratch_database, drop_scratch_database

__all__ = ["DEFAULT_PG", "scratch_backend"]

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextlib.asynccontextmanager
async def scratch_backend(backend: str, label: str) -> AsyncIterator[Settings]:
    """Settings for a fresh club: on "sqlite" a temp file and an embedded Redis; on "postgres" a
    new database on DATABASE_URL's server (or the local default) and REDIS_URL, if set, else an
    embedded Redis. The database is dropped and the Redis stopped on the way out."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"club-bench-{label}-{backend}-"))
    async with contextlib.AsyncExitStack() as cleanup:
        redis_url = os.environ.get("REDIS_URL") if backend == "postgres" else None
        if not redis_url:
            redis = EmbeddedRedis(data_dir / "redis")
            redis_url = redis.start()
            cleanup.callback(redis.stop)
        if backend == "postgres":
            server_url = os.environ.get("DATABASE_URL") or DEFAULT_PG
            name, database_url = await create_scratch_database(server_url, "club_bench")
            cleanup.push_async_callback(drop_scratch_database, server_url, name)
            cleanup.push_async_callback(_close_pool)  # runs first: a pooled database cannot be dropped
        else:
            database_url = f"sqlite:///{data_dir / 'club.sqlite3'}"
        yield Settings(
            data_dir=data_dir, database_url=database_url, redis_url=redis_url, secret_key="bench",
            public_base_url="http://bench", club_time_zone="Europe/Paris",
        )


async def _close_pool() -> None:
    from club import db

    with contextlib.suppress(RuntimeError):  # no engine was ever configured
        engine = db.current_engine()
        if getattr(engine, "pool", None) is not None:
            await engine.close_connection_pool()
