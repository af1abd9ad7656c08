"""Migrations: every table change has one, and they build an empty database from nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

import asyncpg
from piccolo.apps.migrations.commands.new import AutoMigrationManager

from club.registry import PICCOLO_APPS, all_tables
from tests.conftest import _create_pg_database, _drop_pg_database, backend_name


async def test_every_table_change_has_a_migration() -> None:
    for app in PICCOLO_APPS:
        config = import_module(f"{app}.piccolo_app").APP_CONFIG
        pending = await AutoMigrationManager().get_alter_statements(app_config=config)
        statements = [s for alter in pending for s in alter.statements]
        assert statements == [], f"app {app!r} has table changes without a migration: {statements}"


def _club(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "club.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_club_migrate_builds_an_empty_database_and_is_repeatable() -> None:
    data_dir = tempfile.mkdtemp(prefix="club-migrate-")
    env = {**os.environ, "CLUB_DATA_DIR": data_dir}
    env.pop("REDIS_URL", None)
    pg_name = None
    server_url = os.environ.get("DATABASE_URL", "")
    if backend_name() == "postgres":
        pg_name, env["DATABASE_URL"] = await _create_pg_database(server_url)
    else:
        env["DATABASE_URL"] = f"sqlite:///{Path(data_dir) / 'fresh.sqlite3'}"
    try:
        first = _club("migrate", env=env)
        assert first.returncode == 0, first.stderr
        second = _club("migrate", env=env)
        assert second.returncode == 0, second.stderr
        expected = {t._meta.tablename for t in all_tables()}
        tables, tiers = await _inspect(env["DATABASE_URL"])
        assert expected <= tables
        assert tiers == ["Silver", "Gold", "Platinum", "Diamond"]
    finally:
        if pg_name:
            await _drop_pg_database(server_url, pg_name)


async def _inspect(database_url: str) -> tuple[set[str], list[str]]:
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            tiers = [r[0] for r in conn.execute("SELECT name FROM tier ORDER BY rank")]
        return tables, tiers
    conn = await asyncpg.connect(database_url.replace("postgresql://", "postgres://"))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tiers = await conn.fetch("SELECT name FROM tier ORDER BY rank")
    finally:
        await conn.close()
    return {r["tablename"] for r in rows}, [r["name"] for r in tiers]


