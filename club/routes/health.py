"""`/healthz`: can this process reach its database and its Redis, and (for coordinators) how
are the job workers?

Anyone gets the minimal answer a load balancer needs. A coordinator's token adds the workers'
heartbeats and the queue's length; the route stays public, so it reads the token itself, and
a database it cannot reach makes the caller anonymous rather than the answer an error.
"""

from __future__ import annotations

import asyncio
from typing import Any

from arq.connections import ArqRedis
from arq.constants import default_queue_name
from litestar import Request, Response, get

from club import clock, urls, worker_health
from club.accounts import Principal, authenticate
from club.db import current_engine
from club.schemas import HealthOut, WorkerOut, WorkerReportOut
from club.tables import Role

_PROBE_TIMEOUT_S = 2.0


@get(urls.HEALTH, operation_id="health", summary="Database and Redis reachability; workers for coordinators", tags=["health"])
async def health(request: Request[Any, Any, Any], queue: ArqRedis) -> Response[HealthOut]:
    database = await _check(_ping_database())
    redis = await _check(queue.ping())
    ok = database == "ok" and redis == "ok"
    body = HealthOut(status="ok" if ok else "degraded", database=database, redis=redis)
    if database == "ok" and await _is_coordinator(request):
        body.worker = await _worker_report(queue if redis == "ok" else None)
    return Response(body, status_code=200 if ok else 503)


async def _ping_database() -> None:
    await current_engine().run_ddl("SELECT 1")


async def _check(probe) -> str:  # type: ignore[no-untyped-def]
    try:
        await asyncio.wait_for(probe, timeout=_PROBE_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable", with its kind
        return f"unreachable ({type(exc).__name__})"
    return "ok"


async def _is_coordinator(request: Request[Any, Any, Any]) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    try:
        principal: Principal | None = await asyncio.wait_for(authenticate(token.strip()), _PROBE_TIMEOUT_S)
    except Exception:  # noqa: BLE001 - a health check answers, whoever cannot be told apart
        return False
    return principal is not None and principal.role is Role.coordinator


async def _worker_report(queue: ArqRedis | None) -> WorkerReportOut:
    """The workers' state from their heartbeats, and what waits in the queue (None: no Redis)."""
    workers = await worker_health.worker_states()
    queued = due = None
    if queue is not None:
        try:
            queued = await asyncio.wait_for(queue.zcard(default_queue_name), _PROBE_TIMEOUT_S)
            now_ms = clock.now().timestamp() * 1000
            due = await asyncio.wait_for(queue.zcount(default_queue_name, "-inf", now_ms), _PROBE_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - Redis went away between the ping and now
            queued = due = None
    return WorkerReportOut(
        state=worker_health.overall_state([w.state for w in workers]),
        last_heartbeat=workers[0].last_heartbeat.isoformat() if workers else None,
        stale_after_s=worker_health.STALE_AFTER_S,
        queued_jobs=queued,
        due_jobs=due,
        workers=[
            WorkerOut(
                name=w.name,
                state=w.state,
                last_heartbeat=w.last_heartbeat.isoformat(),
                started_at=w.started_at.isoformat(),
                redis_down_since=w.redis_down_since.isoformat() if w.redis_down_since else None,
                jobs_complete=w.jobs_complete,
                jobs_failed=w.jobs_failed,
                jobs_ongoing=w.jobs_ongoing,
            )
            for w in workers
        ],
    )
