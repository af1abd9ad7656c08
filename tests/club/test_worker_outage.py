"""A job worker outlives its Redis: it says so in its log, coordinators see it waiting, and
the jobs queued once Redis is back run. Each test stops a Redis server of its own (on its
own port and data folder), never the run's shared one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from club import clock, urls
from club.embedded_redis import EmbeddedRedis
from club.ledger import balance_of
from club.server.app import create_app
from club.settings import Settings
from events.reminders.scheduling import dispatch
from events.reminders.tables import ReminderMessage
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import (
    attach,
    event_starting_in,
    queue_of,
    rsvp,
    sequence,
    step,
)
from tests.serving import free_port, serving

HORIZON = 6 * 3600.0


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def _afternoon_zone() -> str:
    """A zone where it is early afternoon now, so no quiet hours can hold a reminder back."""
    offset = (14 - clock.now().hour + 12) % 24 - 12  # UTC-12 … UTC+11
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")  # Etc/GMT-2 is UTC+2


async def _worker_report(server: LiveServer, coordinator: Caller) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        return (await http.get(urls.HEALTH)).json()["worker"]


async def _sms_sent(member_id: int) -> int:
    return await ReminderMessage.count().where(
        (ReminderMessage.member == member_id) & ReminderMessage.delivery_key.not_like("outbox:%")
        & (ReminderMessage.intended_channel == "sms")
    )


async def test_a_worker_process_waits_out_a_redis_outage_and_then_sends_the_sms(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    own_redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="club-outage-redis-")), port=free_port())
    redis_url = own_redis.start()
    log_path = settings.data_dir / f"outage-worker-{own_redis.port}.log"
    env = {
        **os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": redis_url,
        "CLUB_DATA_DIR": str(settings.data_dir), "SECRET_KEY": settings.secret_key,
        "QUIET_HOURS_START": "00:00", "QUIET_HOURS_END": "00:00",
    }
    with open(log_path, "ab") as log:  # noqa: ASYNC230 - a local file opened once, before the loop runs anything
        worker = subprocess.Popen(  # noqa: ASYNC220 - started once; the test then polls it without blocking
            [sys.executable, "-m", "club.server.cli", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=log
        )

    async def logged(text: str, times: int = 1) -> bool:
        return log_path.read_text().count(text) >= times

    async def worker_is(state: str) -> bool:
        return (await _worker_report(server, coordinator))["state"] == state

    try:
        await _until(lambda: worker_is("alive"), 30, "the worker's first heartbeat")
        own_redis.stop()
        unreachable = f"Redis unreachable at {redis_url} (ConnectionError); retrying in"
        await _until(lambda: logged(unreachable, times=3), 30, "three retries in the worker's log")
        assert worker.poll() is None, log_path.read_text()
        text = log_path.read_text()
        assert f"{unreachable} 1 s" in text and f"{unreachable} 2 s" in text  # backing off
        await _until(lambda: worker_is("waiting_for_redis"), 10, "healthz to show the worker waiting")
        [waiting] = (await _worker_report(server, coordinator))["workers"]
        assert waiting["name"].endswith(f":{worker.pid}") and waiting["redis_down_since"] is not None

        # While Redis is away a member books; her SMS is due in three seconds.
        event = await event_starting_in(server, coordinator, timedelta(minutes=10, seconds=3))
        seq = await sequence(server, coordinator, step(offset_minutes=-10, channel="sms"))
        await attach(server, coordinator, event["id"], seq["id"])
        member = await make_member("Sofia Rossi", phone="+33612345678", time_zone=_afternoon_zone())
        await rsvp(server, member, event["id"])

        own_redis.start()  # the same port and append-only file
        async with queue_of(replace(settings, redis_url=redis_url)) as queue:
            await dispatch(queue, HORIZON)  # as the web app would; the worker's cron does it too
        await _until(lambda: _sms_sent(member.member_id), 60, "the SMS after Redis came back")  # type: ignore[arg-type]
        assert worker.poll() is None
        assert await logged(f"Redis at {redis_url} answers again")
        await _until(lambda: worker_is("alive"), 10, "healthz to show the worker alive again")
    finally:
        worker.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(20)
        if worker.poll() is None:
            worker.kill()
        own_redis.stop()
    assert await _sms_sent(member.member_id) == 1  # type: ignore[arg-type]


async def test_the_worker_inside_the_web_process_survives_a_redis_outage(
    settings: Settings, coordinator: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    """`club serve` with the worker in-process (embedded mode's path), on a Redis that goes away."""
    caplog.set_level("INFO", logger="club.worker")
    own_redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="club-outage-redis-")), port=free_port())
    redis_url = own_redis.start()
    local = replace(settings, redis_url=redis_url)
    today = clock.today(local.zone)
    app = create_app(local, run_worker=True)
    try:
        async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url, headers=_bearer(coordinator)) as http:
            own_redis.stop()
            await _until(
                lambda: _said(caplog, f"Redis unreachable at {redis_url}", times=2), 30, "two retries logged"
            )
            down = await http.get(urls.HEALTH)
            assert down.status_code == 503 and down.json()["redis"].startswith("unreachable")
            assert down.json()["worker"]["state"] == "waiting_for_redis"
            own_redis.start()
            # 1992 was a leap year, so any of today's dates is a real birthday.
            m = await make_member("Yuki Sato", birthday=date(1992, today.month, today.day), time_zone=local.club_time_zone)
            await _until(lambda: _enqueued(app.state.queue, "award_birthday_points"), 10, "the job to be queued")
            await _until(lambda: _balance_is(m.member_id, 100), 60, "the job to run after the outage")  # type: ignore[arg-type]
            assert (await http.get(urls.HEALTH)).json()["worker"]["state"] == "alive"
    finally:
        own_redis.stop()


def _bearer(caller: Caller) -> dict[str, str]:
    return {"Authorization": f"Bearer {caller.token}"}


async def _said(caplog: pytest.LogCaptureFixture, text: str, times: int) -> bool:
    return sum(text in r.getMessage() for r in caplog.records) >= times


async def _enqueued(queue: Any, function: str) -> bool:
    """Enqueue on the app's own connection; its first command after the restart may fail."""
    try:
        return await queue.enqueue_job(function) is not None
    except Exception:  # noqa: BLE001 - a stale connection; the next try reconnects
        return False


async def _balance_is(member_id: int, points: int) -> bool:
    return await balance_of(member_id) == points
