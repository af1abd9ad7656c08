"""Reminder tests share the run's Redis: each starts and ends with an empty queue, so a
deferred job of one test never keeps another test's burst worker waiting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from club.settings import Settings


@pytest.fixture(autouse=True)
async def empty_queue(settings: Settings) -> AsyncIterator[None]:
    client = aioredis.Redis.from_url(settings.redis_url)  # type: ignore[arg-type]
    await client.flushdb()
    yield
    await client.flushdb()
    await client.aclose()
