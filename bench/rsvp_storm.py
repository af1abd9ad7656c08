"""Prints how many RSVPs per second the service takes over HTTP, on SQLite and on PostgreSQL.

For each backend it prepares a fresh database (a temp SQLite file; a temp PostgreSQL database on
DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres), creates the members and one
published event, starts the app under uvicorn in a child process (so the load generator does
not share the server's CPU), fires every RSVP at once with a bounded number in flight, and
measures a trivial authenticated GET (/api/me) the same way as a baseline.

    .venv/bin/python bench/rsvp_storm.py [--members 1000] [--capacity 100] [--in-flight 64] [--backend both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

import httpx

from bench.scratch import scratch_backend
from club.db import connection_pool
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from events import urls
from tests.concurrency.bulk import bulk_members


@dataclass
class Run:
    backend: str
    requests: int
    seconds: float
    codes: Counter[int]
    confirmed: int = 0
    waitlisted: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def salon_fields(start: datetime, capacity: int, **overrides: Any) -> Any:
    """A bench event as the events service takes it (an `events.schemas.EventCreate`)."""
    from events.schemas import EventCreate
    from events.tables import EventKind

    fields: dict[str, Any] = {
        "kind": EventKind.salon, "title": "Bench salon", "venue": "Salon", "venue_time_zone": "Europe/Paris",
        "starts_at": start, "ends_at": start + timedelta(hours=2), "capacity": capacity,
    }
    fields.update(overrides)
    return EventCreate(**fields)


async def _prepare(settings: Settings, members: int, capacity: int) -> tuple[int, list[str]]:
    """Schema, members with tokens, and one published salon; returns (event id, tokens)."""
    from events.catalog import create_event, publish_event

    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        callers = await bulk_members(members)
        start = datetime.now(UTC) + timedelta(days=7)
        event = await create_event(salon_fields(start, capacity), created_by=None)
        await publish_event(event.id)
    return event.id, [c.token for c in callers]


def _serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url or "",
        "CLUB_DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": settings.secret_key,
        "PICCOLO_CONF": "club.server.piccolo_conf",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "club.server.app:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "60"],
        env=env, stdout=subprocess.DEVNULL, stderr=(settings.data_dir / "server.log").open("wb"),
    )


async def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError("server exited; see its log")
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def _fire(base: str, method: str, paths_tokens: list[tuple[str, str]], in_flight: int) -> tuple[float, list[httpx.Response]]:
    gate = asyncio.Semaphore(in_flight)
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        async def one(path: str, token: str) -> httpx.Response:
            async with gate:
                return await http.request(
                    method, path, json={} if method == "POST" else None, headers={"Authorization": f"Bearer {token}"}
                )

        started = time.perf_counter()
        responses = await asyncio.gather(*[one(p, t) for p, t in paths_tokens])
        return time.perf_counter() - started, list(responses)


async def bench(backend: str, members: int, capacity: int, in_flight: int) -> tuple[Run, Run]:
    async with scratch_backend(backend, "rsvp") as settings:
        event_id, tokens = await _prepare(settings, members, capacity)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(settings, port)
        try:
            await _wait_ready(base, server)
            baseline_seconds, baseline = await _fire(base, "GET", [("/api/me", t) for t in tokens], in_flight)
            path = urls.link(urls.EVENT_RSVP, event_id=event_id)
            seconds, responses = await _fire(base, "POST", [(path, t) for t in tokens], in_flight)
        finally:
            server.terminate()
            server.wait(timeout=30)
    statuses = Counter(r.json().get("status") for r in responses if r.status_code < 300)
    rsvps = Run(backend, len(tokens), seconds, Counter(r.status_code for r in responses),
                statuses["confirmed"], statuses["waitlisted"])
    return rsvps, Run(backend, len(tokens), baseline_seconds, Counter(r.status_code for r in baseline))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"{args.members} members, one RSVP each, capacity {args.capacity}, {args.in_flight} requests in flight")
    print(f"{'backend':<9} {'RSVPs/s':>8} {'GET /api/me/s':>14} {'ratio':>6} {'confirmed':>9} {'waitlisted':>10}  statuses")
    for backend in backends:
        rsvps, baseline = asyncio.run(bench(backend, args.members, args.capacity, args.in_flight))
        ratio = rsvps.per_second / baseline.per_second
        print(
            f"{backend:<9} {rsvps.per_second:>8.0f} {baseline.per_second:>14.0f} {ratio:>6.2f} "
            f"{rsvps.confirmed:>9} {rsvps.waitlisted:>10}  rsvp {dict(rsvps.codes)} get {dict(baseline.codes)}"
        )
        if rsvps.confirmed != args.capacity:
            print(f"  !! {rsvps.confirmed} confirmed for a capacity of {args.capacity}")


if __name__ == "__main__":
    main()
