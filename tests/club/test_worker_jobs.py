"""Jobs through a real arq worker on real Redis: birthday points land once, on the right day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from arq import create_pool

from club.ledger import balance_of
from club.server.worker import make_worker, redis_settings
from club.settings import Settings
from club.tables import PointsEntry
from tests.factories import make_member

# 17:30 UTC on 12 April: already 13 April in Shanghai (UTC+8), still 12 April in Paris.
NOW = datetime(2027, 4, 12, 17, 30, tzinfo=UTC)


async def _run_worker_until_idle(settings: Settings) -> None:
    worker = make_worker(settings, in_process=True, burst=True, poll_delay=0.05)
    try:
        await asyncio.wait_for(worker.async_run(), timeout=30)
    finally:
        await worker.close()


async def test_birthday_points_follow_each_members_own_date_and_land_once(settings: Settings) -> None:
    shanghai = await make_member("Mei Huang", birthday=date(1990, 4, 13), time_zone="Asia/Shanghai")
    paris = await make_member("Camille Dubois", birthday=date(1990, 4, 13), time_zone="Europe/Paris")
    queue = await create_pool(redis_settings(settings.redis_url))  # type: ignore[arg-type]
    try:
        # The same job enqueued three times, as a retry or a second scheduler would.
        for _ in range(3):
            await queue.enqueue_job("award_birthday_points", NOW)
        await _run_worker_until_idle(settings)
    finally:
        await queue.aclose()
    assert await balance_of(shanghai.member_id) == 100  # type: ignore[arg-type]
    assert await balance_of(paris.member_id) == 0  # type: ignore[arg-type]
    assert await PointsEntry.count().where(PointsEntry.reason == "birthday") == 1
