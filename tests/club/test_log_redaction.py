"""Secrets in URLs never reach a log line: the calendar feed's token, `token=` parameters and
bearer tokens are `[redacted]` in uvicorn's access log and in our own messages, in the test
server (built by create_app) and in a real `club serve` process."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from uvicorn.logging import AccessFormatter

from club.log_redaction import redact
from events import urls
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.serving import free_port
from tests.support import backend_name, create_run_database, drop_run_database


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def access_log() -> Iterator[list[str]]:
    """uvicorn's access log of the live server, which the suite otherwise keeps at WARNING."""
    logger = logging.getLogger("uvicorn.access")
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def _feed_path(server: LiveServer, member: Caller) -> str:
    async with server.client(member.token) as http:
        issued = await http.post(urls.MY_CALENDAR_FEED)
    assert issued.status_code in (200, 201), issued.text
    return "/calendar/" + issued.json()["url"].split("/calendar/", 1)[1]


async def _until(lines: list[str], count: int) -> None:
    for _ in range(100):
        if len(lines) >= count:
            return
        await asyncio.sleep(0.01)


async def test_a_feed_fetch_leaves_its_token_out_of_the_access_log(server: LiveServer, member: Caller) -> None:
    path = await _feed_path(server, member)
    token = path.removeprefix("/calendar/")
    with access_log() as lines:
        async with server.client() as http:
            assert (await http.get(path)).status_code == 200
            assert (await http.get("/healthz?token=a-secret-in-a-query&x=1")).status_code == 200
        await _until(lines, 2)
    assert len(lines) == 2, lines
    assert all(token not in line and "a-secret-in-a-query" not in line for line in lines)
    assert '"GET /calendar/[redacted] HTTP/1.1" 200' in lines[0]
    assert '"GET /healthz?token=[redacted]&x=1 HTTP/1.1" 200' in lines[1]


async def test_our_own_log_lines_are_redacted_whatever_their_arguments(
    caplog: pytest.LogCaptureFixture, server: LiveServer, member: Caller
) -> None:
    path = await _feed_path(server, member)
    token = path.removeprefix("/calendar/")
    with caplog.at_level(logging.INFO, logger="club"):
        log = logging.getLogger("club.test")
        log.info("feed fetched: %s", f"https://club.example{path}")
        log.info("calling with Authorization: Bearer %s", member.token)
        log.info("as an object: %s", httpx.URL(f"https://club.example{path}?sig=abc"))
        log.info("redis at %s", "redis://default:s3cret-pass@10.0.0.9:6379/0")
    text = caplog.text
    for secret in (token, member.token, "sig=abc", "s3cret-pass"):
        assert secret not in text
    assert text.count("/calendar/[redacted]") == 2 and "Bearer [redacted]" in text
    assert "redis://default:[redacted]@10.0.0.9:6379/0" in text


def test_redaction_leaves_ordinary_lines_alone() -> None:
    for line in ('127.0.0.1:5000 - "GET /api/events/12/attendees?limit=50 HTTP/1.1" 200',
                 "applied club_2026_11_23t11_40_00_000000", "delivery_key=12:3:v2 sent"):
        assert redact(line) == line


async def test_club_serve_writes_no_feed_token_into_its_access_log() -> None:
    """The real process: `club serve` with uvicorn's own logging at INFO, as an operator runs it."""
    data_dir = Path(tempfile.mkdtemp(prefix="club-serve-log-"))
    env = {**os.environ, "CLUB_DATA_DIR": str(data_dir)}
    env.pop("REDIS_URL", None)  # embedded Redis and worker, as `club serve` on one machine
    server_url, pg_name = os.environ.get("DATABASE_URL", ""), None
    if backend_name() == "postgres":
        pg_name, env["DATABASE_URL"] = await create_run_database(server_url)
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir / 'club.sqlite3'}"
    port = free_port()
    log_path = data_dir / "serve.log"
    try:
        demo = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "club.server.cli", "demo"], env=env, capture_output=True, text=True, timeout=180
        )
        assert demo.returncode == 0, demo.stderr
        tokens = dict(line.split()[:2] for line in demo.stdout.splitlines() if line.startswith("  "))
        with log_path.open("w") as log_file:
            serve = subprocess.Popen(  # noqa: ASYNC220 - started once; the test then polls it without blocking
                [sys.executable, "-m", "club.server.cli", "serve", "--port", str(port)],
                env=env, stdout=log_file, stderr=subprocess.STDOUT,
            )
            try:
                token = await _fetch_feed_from(f"http://127.0.0.1:{port}", tokens["member"], serve, log_path)
            finally:
                serve.terminate()
                await asyncio.to_thread(serve.wait, 30)
    finally:
        if pg_name:
            await drop_run_database(server_url, pg_name)
    log = log_path.read_text()
    assert '"GET /calendar/[redacted] HTTP/1.1" 200' in log, log
    assert token not in log and tokens["member"] not in log


async def _fetch_feed_from(base_url: str, member_token: str, serve: subprocess.Popen[bytes], log_path: Path) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for _ in range(1200):  # a loaded machine can take a while to start it
            assert serve.poll() is None, f"club serve exited:\n{log_path.read_text()}"
            try:
                if (await http.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"club serve did not start:\n{log_path.read_text()}")
        issued = await http.post(urls.MY_CALENDAR_FEED, headers={"Authorization": f"Bearer {member_token}"})
        assert issued.status_code in (200, 201), issued.text
        path = "/calendar/" + issued.json()["url"].split("/calendar/", 1)[1]
        assert (await http.get(path)).status_code == 200
    return path.removeprefix("/calendar/")
