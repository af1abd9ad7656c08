"""`/healthz`: can this process reach its database and its Redis?"""

from __future__ import annotations

import asyncio

from litestar import Response, get

from club import urls
from club.db import current_engine
from arq.connections import ArqRedis


@get(urls.HEALTH, operation_id="health", summary="Database and Redis reachability", tags=["health"])
async def health(queue: ArqRedis) -> Response[dict]:
    database = await _check(_ping_database())
    redis = await _check(queue.ping())
    ok = database == "ok" and redis == "ok"
    return Response({"status": "ok" if ok else "degraded", "database": database, "redis": redis}, status_code=200 if ok else 503)


async def _ping_database() -> None:
    await current_engine().run_ddl("SELECT 1")


async def _check(probe) -> str:  # type: ignore[no-untyped-def]
    try:
        await asyncio.wait_for(probe, timeout=2.0)
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable", with its kind
        return f"unreachable ({type(exc).__name__})"
    return "ok"
