"""Embedded mode and the `club` command, as a newcomer and an operator meet them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from club import urls
from club.ledger import balance_of
from club.server.app import create_app
from club.settings import Settings
from club.tables import Member, User
from events import urls as event_urls
from tests.conftest import LiveServer
from tests.factories import make_member
from tests.serving import free_port, serving


def _run_with(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "club.server.cli", *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def _club(*args: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "CLUB_DATA_DIR": str(settings.data_dir)}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "club.server.cli", *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


async def test_club_users_add_prints_a_coordinator_token_that_works(server: LiveServer) -> None:
    result = _club("users", "add", "--role", "coordinator", "--name", "Ines", "--email", "ines@club.test",
                   settings=server.settings)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    async with server.client(token) as http:
        me = (await http.get(urls.ME)).json()
    assert (me["role"], me["email"]) == ("coordinator", "ines@club.test")
    again = _club("users", "add", "--role", "coordinator", "--name", "Ines", "--email", "ines@club.test",
                  settings=server.settings)
    assert again.returncode != 0 and "already exists" in again.stderr


async def test_club_demo_loads_a_club_and_prints_three_working_tokens(server: LiveServer) -> None:
    result = _club("demo", settings=server.settings)
    assert result.returncode == 0, result.stderr
    tokens = dict(line.split() for line in result.stdout.splitlines() if line.startswith("  "))
    assert set(tokens) == {"member", "staff", "coordinator"}
    assert await Member.count() == 50
    async with server.client(tokens["coordinator"]) as http:
        tiers = {t["name"]: t["holders"] for t in (await http.get(urls.TIERS)).json()}
    assert sum(tiers.values()) == 50 and tiers["Gold"] > 0  # varied balances, several tiers
    async with server.client(tokens["member"]) as http:
        assert (await http.get(urls.ME)).json()["email"] == "member00@demo.club"
    # Loading again adds nobody and issues fresh tokens.
    assert _club("demo", settings=server.settings).returncode == 0
    assert await User.count().where(User.email.like("%@demo.club")) == 52


async def test_embedded_mode_runs_its_own_redis_and_worker(settings: Settings) -> None:
    """No REDIS_URL: the app starts a Redis server and an arq worker inside its own lifetime."""
    embedded = replace(settings, redis_url=None, data_dir=Path(tempfile.mkdtemp(prefix="club-embedded-")))
    birthday_today = datetime.now(UTC).astimezone(embedded.zone).date()
    # 1992 was a leap year, so any of today's dates is a real birthday.
    m = await make_member("Yuki Sato", birthday=date(1992, birthday_today.month, birthday_today.day),
                          time_zone=embedded.club_time_zone)
    app = create_app(embedded)
    async with serving(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            health = (await http.get(urls.HEALTH)).json()
        assert health == {"status": "ok", "database": "ok", "redis": "ok"}
        assert (embedded.data_dir / "redis" / "redis.log").exists()  # our own server, in our data folder
        await app.state.queue.enqueue_job("award_birthday_points")
        for _ in range(200):
            if await balance_of(m.member_id) > 0:  # type: ignore[arg-type]
                break
            await asyncio.sleep(0.05)
        assert await balance_of(m.member_id) == 100  # type: ignore[arg-type]


async def _serve_and_read_links(settings: Settings, port: int, **env_extra: str) -> tuple[str, str]:
    """`club serve --port N --demo` as a newcomer runs it: (the door page line it prints, the
    calendar feed URL the demo member is given)."""
    env = {
        **os.environ, "DATABASE_URL": settings.database_url, "SECRET_KEY": settings.secret_key,
        "CLUB_DATA_DIR": tempfile.mkdtemp(prefix="club-serve-"), "PYTHONUNBUFFERED": "1", **env_extra,
    }
    for name in ("REDIS_URL", *(() if "PUBLIC_BASE_URL" in env_extra else ("PUBLIC_BASE_URL",))):
        env.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "club.server.cli", "serve", "--port", str(port), "--demo",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        printed: list[str] = []
        while not printed or not printed[-1].startswith("serving on"):
            line = await asyncio.wait_for(process.stdout.readline(), timeout=120)  # type: ignore[union-attr]
            assert line, f"club serve ended early: {printed}"
            printed.append(line.decode().strip())
        door = next(line for line in printed if "door page" in line)
        member_token = next(line.split()[1] for line in printed if line.startswith("member "))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(urls.HEALTH)).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            feed = await http.post(event_urls.MY_CALENDAR_FEED, headers={"Authorization": f"Bearer {member_token}"})
        assert feed.status_code == 201, feed.text
        return door, feed.json()["url"]
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=30)


async def test_club_serve_on_another_port_prints_and_gives_links_on_that_port(settings: Settings) -> None:
    port = free_port()
    door, feed = await _serve_and_read_links(settings, port)
    assert f"http://127.0.0.1:{port}/door/" in door
    assert feed.startswith(f"http://127.0.0.1:{port}/calendar/")


async def test_an_explicit_public_base_url_still_names_the_links(settings: Settings) -> None:
    door, feed = await _serve_and_read_links(settings, free_port(), PUBLIC_BASE_URL="https://club.maison.example")
    assert "https://club.maison.example/door/" in door
    assert feed.startswith("https://club.maison.example/calendar/")


async def test_several_app_processes_are_refused_on_sqlite_with_why(settings: Settings) -> None:
    sqlite = replace(settings, database_url=f"sqlite:///{Path(tempfile.mkdtemp()) / 'club.sqlite3'}")
    env = {**os.environ, "DATABASE_URL": sqlite.database_url, "CLUB_DATA_DIR": str(sqlite.data_dir),
           "REDIS_URL": "redis://127.0.0.1:6390/0"}
    done = _run_with(env, "serve", "--workers", "2")
    assert done.returncode != 0
    assert "SQLite takes one writer at a time" in done.stderr and "PostgreSQL" in done.stderr
