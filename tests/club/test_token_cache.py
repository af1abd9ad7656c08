"""Checked tokens are kept a few seconds per app process (club.token_cache), and a revocation in
one process is refused at once in another: a second app process of its own, on the same
database and Redis, is asked with a token it has just admitted, after the first revoked it.

The control switches off the message between processes (the revoking process has no Redis to
publish on): the other process then goes on admitting the revoked token from its cache, which
is the stale answer the message prevents.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from club import token_cache as cache_module
from club import urls
from club.accounts import issue_token
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.serving import free_port


def _app_process(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "club.server.app:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture
async def other_process(server: LiveServer) -> AsyncIterator[str]:
    """A second app process on the same database and Redis (as `club serve --workers 2` runs)."""
    settings, port = server.settings, free_port()
    env = {
        **os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url or "",
        "SECRET_KEY": settings.secret_key, "CLUB_DATA_DIR": str(settings.data_dir),
        "CLUB_TIME_ZONE": settings.club_time_zone, "PICCOLO_CONF": "club.server.piccolo_conf",
    }
    process = _app_process(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(300):
                assert process.poll() is None, "the second app process did not start"
                try:
                    if (await http.get(urls.HEALTH)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _warm_then_revoke(server: LiveServer, coordinator: Caller, other: str) -> tuple[int, int, str]:
    """(status of the other process's answer before the revocation, and just after it; the token)."""
    member = await make_member("Hélène Dubois")
    issued = await issue_token(member.user_id)
    headers = {"Authorization": f"Bearer {issued.token}"}
    async with httpx.AsyncClient(base_url=other, headers=headers) as http:
        # Its subscription may take a moment after /healthz answers: ask a few times over a
        # second (well inside the cache's 5 s), as a client calling the API does.
        for _ in range(20):
            before = (await http.get(urls.ME)).status_code
            await asyncio.sleep(0.05)
        async with server.client(coordinator.token) as admin:
            revoked = await admin.delete(urls.TOKEN.replace("{token_id:int}", str(issued.id)))
            assert revoked.status_code in (200, 204), revoked.text
        after = (await http.get(urls.ME)).status_code
    return before, after, issued.token


async def test_a_token_revoked_in_one_process_is_refused_at_once_in_another(
    server: LiveServer, coordinator: Caller, other_process: str
) -> None:
    before, after, _ = await _warm_then_revoke(server, coordinator, other_process)
    assert (before, after) == (200, 401)


async def test_control_without_the_message_the_other_process_admits_a_revoked_token(
    server: LiveServer, coordinator: Caller, other_process: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module.token_cache, "publishers", [])  # this process tells no one
    before, after, token = await _warm_then_revoke(server, coordinator, other_process)
    assert (before, after) == (200, 200), "without the message the other process should still admit it"
    await asyncio.sleep(cache_module.TTL_S + 0.5)
    async with httpx.AsyncClient(base_url=other_process, headers={"Authorization": f"Bearer {token}"}) as http:
        expired = await http.get(urls.ME)
    assert expired.status_code == 401  # and at worst it ends when the entry expires
