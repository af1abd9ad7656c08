"""Makers for reminder tests: sequences over HTTP, RSVPs, a quiet-hours-free club, a burst worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from arq import create_pool
from arq.connections import ArqRedis

from club import clock
from club.server.worker import make_worker, redis_settings
from club.settings import Settings
from events import urls as event_urls
from events.reminders import urls
from events.reminders.rules import QuietHours, parse_clock
from events.reminders.scheduling import configure_quiet_hours, quiet_hours
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller

__all__ = [
    "NIGHT",
    "attach",
    "awake",
    "burst_worker",
    "club_night",
    "event_starting_in",
    "queue_of",
    "rsvp",
    "sequence",
    "step",
    "with_night",
]

# The club's night in the tests that are about it (the shipped default).
NIGHT = QuietHours(parse_clock("21:00"), parse_clock("08:00"))


def awake(settings: Settings, **overrides: Any) -> Settings:
    """The test settings with no quiet hours, so tests pass at any hour of the day."""
    return replace(settings, quiet_hours_start="00:00", quiet_hours_end="00:00", **overrides)


def with_night(settings: Settings, **overrides: Any) -> Settings:
    """The test settings with the club's night, 21:00 to 08:00 on each member's clock."""
    return replace(settings, quiet_hours_start="21:00", quiet_hours_end="08:00", **overrides)


@contextmanager
def club_night() -> Iterator[None]:
    """Planning (in the live server, which shares this process) knows the club's night, as a
    server started with QUIET_HOURS_START=21:00 and QUIET_HOURS_END=08:00 does."""
    before = quiet_hours()
    configure_quiet_hours(NIGHT)
    try:
        yield
    finally:
        configure_quiet_hours(before)


def step(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"channel": "email", "template": "Dear {member_name}, {event_title} is at {local_time}."}
    body.update(fields)
    return body


async def sequence(server: LiveServer, coordinator: Caller, *steps: dict[str, Any], **fields: Any) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.SEQUENCES, json={"name": "Salon reminders", "steps": list(steps), **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def attach(server: LiveServer, coordinator: Caller, event_id: int, sequence_id: int) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.put(event_urls.link(urls.EVENT_SEQUENCE, event_id=event_id, sequence_id=sequence_id))
    assert response.status_code == 200, response.text


async def event_starting_in(server: LiveServer, coordinator: Caller, delta: timedelta, **overrides: Any) -> dict[str, Any]:
    start = clock.now() + delta
    return await published_event(
        server, coordinator, starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(), **overrides
    )


async def rsvp(server: LiveServer, member: Caller, event_id: int) -> dict[str, Any]:
    async with server.client(member.token) as http:
        response = await http.post(event_urls.link(event_urls.EVENT_RSVP, event_id=event_id), json={})
    assert response.status_code in (200, 201), response.text
    return response.json()


@asynccontextmanager
async def queue_of(settings: Settings) -> AsyncIterator[ArqRedis]:
    queue = await create_pool(redis_settings(settings.redis_url))  # type: ignore[arg-type]
    try:
        yield queue
    finally:
        await queue.aclose()


async def burst_worker(settings: Settings, timeout: float = 30, **overrides: Any) -> None:
    """A real arq worker that runs until the queue is empty (deferred jobs included)."""
    worker = make_worker(settings, in_process=True, burst=True, poll_delay=0.05, **overrides)
    try:
        await asyncio.wait_for(worker.async_run(), timeout=timeout)
    finally:
        await worker.close()
