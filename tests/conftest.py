"""Test harness: a real database and a real Redis, and the app served over real HTTP.

Backends follow the environment, as the service does:
- no DATABASE_URL: a fresh SQLite file; DATABASE_URL=postgresql://…: a fresh database named
  after this run is created on that server (and dropped at the end);
- no REDIS_URL: an embedded Redis server for the run; REDIS_URL: that server and db number
  (CI gives each run its own db number), emptied before every test.
The app runs under uvicorn in the tests' own event loop, so tests send real HTTP requests
over loopback and can also call services directly against the same engine.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from litestar import Litestar

os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")
# The commands the tests run (`club reseal`, `club serve --demo`) speak English too, as the app does here.
os.environ.setdefault("CLUB_LOCALE", "en")

# The app is imported only once PICCOLO_CONF is set, as the entry points do.
from club.db import connection_pool, current_engine
from club.embedded_redis import EmbeddedRedis
from club.i18n.languages import Language
from club.server.app import create_app
from club.server.migrate import migrate
from club.server.registry import all_tables
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Role
from events.reminders.delivery import quiet_hours_of
from events.reminders.scheduling import configure_quiet_hours
from tests.factories import Caller, make_member, make_user
from tests.serving import serving
from tests.support import (
    backend_name,  # noqa: F401 - re-exported: some tests still import it from here
    create_run_database,
    drop_run_database,
)

DATA_TABLE_ORDER_SKIP = {"migration"}


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    server = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="club-test-redis-")))
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
async def settings(redis_url: str) -> AsyncIterator[Settings]:
    data_dir = Path(tempfile.mkdtemp(prefix="club-test-"))
    server_url = os.environ.get("DATABASE_URL", "")
    pg_name = None
    if server_url.startswith("postgres"):
        pg_name, database_url = await create_run_database(server_url)
    else:
        database_url = f"sqlite:///{data_dir / 'club.sqlite3'}"
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        secret_key="test-secret-key",
        public_base_url="http://testserver",
        club_time_zone="Europe/Paris",
        # English for whoever has no language of their own, so the tests written in English keep
        # their meaning; tests about languages give their members and requests one (zh-Hans, zh-Hant).
        club_locale=Language.en,
        # No night by default, so a test's outcome never depends on the hour it runs at; tests
        # about quiet hours turn the club's night on and freeze the clock (tests/reminders/helpers.py: club_night, with_night).
        quiet_hours_start="00:00",
        quiet_hours_end="00:00",
        # Storms on a shared 2-core machine queue for one event's lock for seconds; their tests
        # are about exact counts, not waiting times (test_lock_objects sets a short timeout).
        lock_timeout_s=10.0,
    )
    configure_database(settings)
    async with connection_pool(max_size=60):
        await migrate()
        yield settings
    if pg_name is not None:
        await drop_run_database(server_url, pg_name)


@dataclass
class LiveServer:
    base_url: str
    settings: Settings
    app: Litestar

    def client(self, token: str | None = None, **kwargs: object) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        return httpx.AsyncClient(
            base_url=self.base_url, headers=headers, timeout=60, limits=limits, **kwargs  # type: ignore[arg-type]
        )


@pytest.fixture(scope="session")
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The app under uvicorn on a free loopback port, in this event loop, for the whole run."""
    app = create_app(settings, run_worker=False)  # same engine and pool as the tests
    # Keep-alive longer than any lull in a flood: uvicorn closing an idle connection the
    # client is about to reuse shows up as a ReadError that is not the server's answer.
    async with serving(app, timeout_keep_alive=120) as base_url:
        yield LiveServer(base_url, settings, app)


@pytest.fixture(scope="session")
async def queue_redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(autouse=True)
async def empty_queue(queue_redis: aioredis.Redis) -> None:
    """Every test starts with the run's Redis db empty, so no job or cron run that an
    earlier test left keeps this test's burst worker busy or waiting, whatever the test order."""
    await queue_redis.flushdb()


@pytest.fixture(autouse=True)
async def fresh_club(settings: Settings) -> None:
    """Every test starts from an empty club with the default tier ladder, and plans reminders
    with the run's night (none), whatever an earlier test configured."""
    from club.ladder import DEFAULT_LADDER
    from club.tables import Tier

    configure_quiet_hours(quiet_hours_of(settings))
    engine = current_engine()
    tables = [t for t in all_tables() if t._meta.tablename not in DATA_TABLE_ORDER_SKIP]
    if engine.engine_type == "postgres":
        await _empty_postgres(engine, [t._meta.tablename for t in tables])
    else:
        for table in reversed(tables):  # children first: foreign keys are enforced
            await table.delete(force=True)
    await Tier.insert(
        *[Tier(name=t.name, rank=t.rank, points_threshold=t.points_threshold, member_cap=t.member_cap) for t in DEFAULT_LADDER]
    )


async def _empty_postgres(engine: Any, names: list[str]) -> None:
    """The tables a test wrote to emptied, and every table's ids started again from 1, as
    TRUNCATE … RESTART IDENTITY would: a TRUNCATE of every table cost 0.2 s a test (new files
    for each table and index, made durable at commit), a fifth of the PostgreSQL suite. A DELETE
    of the few rows a test leaves costs milliseconds; with the session's replication role, no
    trigger or foreign key runs, so the order of the deletes does not matter. SET LOCAL: should a
    delete fail, the role ends with the transaction, never on a pooled connection."""
    written = await engine.run_ddl(" UNION ALL ".join(f"SELECT '{n}' AS name WHERE EXISTS (SELECT 1 FROM {n})" for n in names))
    deletes = "".join(f"DELETE FROM {row['name']}; " for row in written)
    quoted = ", ".join(f"'{n}'" for n in names)
    await _simple_query(
        engine,
        f"BEGIN; SET LOCAL session_replication_role = replica; {deletes}"
        "SELECT setval(d.objid::regclass, 1, false) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
        f"AND s.relkind = 'S' WHERE d.refobjid IN (SELECT c.oid FROM pg_class c WHERE c.relname IN ({quoted}) "
        "AND c.relnamespace = 'public'::regnamespace) AND d.deptype IN ('a', 'i'); COMMIT",
    )


async def _simple_query(engine: Any, sql: str) -> None:
    """Several statements in one round trip (asyncpg's execute without arguments)."""
    if engine.pool is not None:
        async with engine.pool.acquire() as connection:
            await connection.execute(sql)
        return
    connection = await engine.get_new_connection()
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture
async def coordinator() -> Caller:
    return await make_user(Role.coordinator)


@pytest.fixture
async def staff() -> Caller:
    return await make_user(Role.staff)


@pytest.fixture
async def member() -> Caller:
    return await make_member("Amélie Laurent")
