"""Migrations: every table change has one, and they build an empty database from nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import uuid
from importlib import import_module
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg
import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager

from club.server.registry import PICCOLO_APPS, all_tables
from tests.support import backend_name, create_run_database, drop_run_database


async def test_every_table_change_has_a_migration() -> None:
    for app in PICCOLO_APPS:
        config = import_module(f"{app}.piccolo_app").APP_CONFIG
        pending = await AutoMigrationManager().get_alter_statements(app_config=config)
        statements = [s for alter in pending for s in alter.statements]
        assert statements == [], f"app {app!r} has table changes without a migration: {statements}"


def _club(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "club.server.cli", *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


async def test_club_migrate_builds_an_empty_database_and_is_repeatable() -> None:
    data_dir = tempfile.mkdtemp(prefix="club-migrate-")
    env = {**os.environ, "CLUB_DATA_DIR": data_dir}
    env.pop("REDIS_URL", None)
    pg_name = None
    server_url = os.environ.get("DATABASE_URL", "")
    if backend_name() == "postgres":
        pg_name, env["DATABASE_URL"] = await create_run_database(server_url)
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
            await drop_run_database(server_url, pg_name)


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




def _problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What `club` said on stderr, less its log lines (which start with a date)."""
    return [line for line in result.stderr.splitlines() if line.strip() and not line[:4].isdigit()]


def _on_database(server_url: str, name: str, user: str | None = None) -> str:
    parsed = urlparse(server_url)
    netloc = parsed.netloc.rsplit("@", 1)[-1]
    return urlunparse(parsed._replace(netloc=f"{user}@{netloc}" if user else parsed.netloc, path=f"/{name}"))


@pytest.mark.skipif(backend_name() != "postgres", reason="needs DATABASE_URL on a PostgreSQL server")
async def test_club_migrate_creates_a_postgres_database_that_does_not_exist_yet() -> None:
    server_url = os.environ["DATABASE_URL"]
    name = f"club_fresh_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CLUB_DATA_DIR": tempfile.mkdtemp(prefix="club-migrate-"), "DATABASE_URL": _on_database(server_url, name)}
    env.pop("REDIS_URL", None)
    try:
        result = _club("migrate", env=env)
        assert result.returncode == 0, result.stderr
        assert f'created database "{name}"' in result.stdout and "Traceback" not in result.stderr
        tables, tiers = await _inspect(env["DATABASE_URL"])
        assert {t._meta.tablename for t in all_tables()} <= tables and len(tiers) == 4
        again = _club("migrate", env=env)
        assert again.returncode == 0 and "created database" not in again.stdout
    finally:
        await drop_run_database(server_url, name)


@pytest.mark.skipif(backend_name() != "postgres", reason="needs DATABASE_URL on a PostgreSQL server")
async def test_club_migrate_says_in_one_line_how_to_get_a_database_it_may_not_create() -> None:
    server_url = os.environ["DATABASE_URL"]
    role, name = f"club_no_createdb_{uuid.uuid4().hex[:8]}", f"club_fresh_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server_url.replace("postgresql://", "postgres://"))
    await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'door-code' NOCREATEDB")
    env = {
        **os.environ, "CLUB_DATA_DIR": tempfile.mkdtemp(prefix="club-migrate-"),
        "DATABASE_URL": _on_database(server_url, name, user=f"{role}:door-code"),
    }
    env.pop("REDIS_URL", None)
    try:
        result = _club("migrate", env=env)
        assert result.returncode != 0
        [said] = _problem_lines(result)
        assert said.startswith(f'Error: database "{name}" does not exist') and f'user "{role}" may not create it' in said
        assert "CREATE DATABASE" in said and "door-code" not in said
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.close()


def test_club_migrate_says_in_one_line_when_postgres_cannot_be_reached() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ, "CLUB_DATA_DIR": tempfile.mkdtemp(prefix="club-migrate-"),
        "DATABASE_URL": f"postgresql://club:secret-pw@127.0.0.1:{port}/club",
    }
    env.pop("REDIS_URL", None)
    result = _club("migrate", env=env)
    assert result.returncode != 0
    [said] = _problem_lines(result)
    assert said.startswith(f"Error: cannot reach PostgreSQL at 127.0.0.1:{port}") and "DATABASE_URL" in said
    assert "secret-pw" not in said
