"""Scratch PostgreSQL databases for a test run or a benchmark: made fresh, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse, urlunparse

import asyncpg

__all__ = ["create_scratch_database", "drop_scratch_database"]


@asynccontextmanager
async def _admin(server_url: str) -> AsyncIterator[Any]:
    parsed = urlparse(server_url)
    connection = await asyncpg.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, database=parsed.path.lstrip("/") or "postgres",
    )
    try:
        yield connection
    finally:
        await connection.close()


async def create_scratch_database(server_url: str, prefix: str) -> tuple[str, str]:
    """A new empty database on the server of `server_url`: (its name, its URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    async with _admin(server_url) as admin:
        await admin.execute(f'CREATE DATABASE "{name}"')
    return name, urlunparse(urlparse(server_url)._replace(path=f"/{name}"))


async def drop_scratch_database(server_url: str, name: str) -> None:
    async with _admin(server_url) as admin:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
