"""`/healthz`: the minimal public answer for anyone, the workers' state for coordinators."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from datetime import datetime, timedelta
from typing import Any

from club import clock, urls
from club.server.worker import make_worker
from club.settings import Settings
from club.worker_health import STALE_AFTER_S
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.reminders.helpers import awake, queue_of

PUBLIC_ANSWER = {"status": "ok", "database": "ok", "redis": "ok"}


async def _health(server: LiveServer, caller: Caller | None = None) -> dict[str, Any]:
    async with server.client(caller.token if caller else None) as http:
        response = await http.get(urls.HEALTH)
    assert response.status_code == 200, response.text
    return response.json()


async def _worker_state_becomes(server: LiveServer, coordinator: Caller, state: str) -> dict[str, Any]:
    for _ in range(100):
        report = (await _health(server, coordinator))["worker"]
        if report["state"] == state:
            return report
        await asyncio.sleep(0.1)
    raise AssertionError(f"the worker never showed as {state}: {report}")


async def test_coordinators_see_the_workers_heartbeat_and_the_queue_others_only_that_it_is_up(
    server: LiveServer, settings: Settings, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    async with queue_of(settings) as queue:
        await queue.flushdb()
        for n in range(2):
            await queue.enqueue_job("sweep_reminders", _job_id=f"later-{n}", _defer_by=3600)

    before = (await _health(server, coordinator))["worker"]
    assert (before["state"], before["workers"], before["last_heartbeat"]) == ("none", [], None)
    assert (before["queued_jobs"], before["due_jobs"]) == (2, 0)
    # Anyone else, or a token that is not one, gets the load balancer's answer and no more.
    for caller in (None, staff, member, Caller(user_id=0, token="club_not-a-token")):
        assert await _health(server, caller) == PUBLIC_ANSWER

    worker = make_worker(awake(settings), in_process=True, poll_delay=0.05)
    running = asyncio.create_task(worker.async_run())
    try:
        alive = await _worker_state_becomes(server, coordinator, "alive")
        [me] = alive["workers"]
        assert me["name"] == f"{socket.gethostname()}:{os.getpid()}" and me["redis_down_since"] is None
        age = clock.now() - datetime.fromisoformat(alive["last_heartbeat"])
        assert timedelta(0) <= age < timedelta(seconds=10)
        for caller in (None, staff, member):
            assert await _health(server, caller) == PUBLIC_ANSWER

        # The worker dies without a word: once its heartbeat is old enough, it is stale.
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        assert (await _health(server, coordinator))["worker"]["state"] == "alive"
        with clock.frozen_at(clock.now() + timedelta(seconds=STALE_AFTER_S + 1)):
            stale = (await _health(server, coordinator))["worker"]
        assert stale["state"] == "stale" and stale["workers"][0]["state"] == "stale"
    finally:
        with contextlib.suppress(asyncio.CancelledError):
            await worker.close()
        async with queue_of(settings) as queue:
            await queue.flushdb()  # its cron's next runs: a later burst worker would wait for them
    # A worker that stops cleanly says so.
    assert (await _health(server, coordinator))["worker"]["state"] == "stopped"
