"""Prints door scans per second and p50/p99 latency at 4 and 32 concurrent scanners.

Each scan is a real admission (a distinct confirmed ticket: signature check, row lock, check-in,
points ledger, tier check), sent over HTTP to the app under uvicorn in a child process. Beside
it, the same load against a bare Litestar JSON endpoint in the same run: the framework's
ceiling on this machine, and the ratio to it.

    .venv/bin/python bench/checkin.py [--backend postgres|sqlite] [--scans 600]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")
# One staff token sends every scan: the limiter still counts each one (its cost is measured),
# but the door's own limit per device would stop the run.
os.environ.setdefault("RATE_LIMIT_SCANS", "1000000/60")

import httpx

from bench.rsvp_storm import _free_port, _serve, _wait_ready, salon_fields
from bench.scratch import scratch_backend
from checkin import urls as door
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club.accounts import Principal, create_user, issue_token
from club.db import connection_pool, current_engine
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Role, Tier
from events import urls
from events.catalog import create_event, publish_event
from events.rsvp import rsvp
from tests.concurrency.bulk import bulk_members

SCANNERS = (4, 32)


@dataclass
class Figures:
    label: str
    scanners: int
    count: int
    seconds: float
    latencies_ms: list[float]
    results: dict[str, int]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[int(p) - 1]


async def _prepare(settings: Settings, tickets: int) -> tuple[int, list[str], str]:
    """An event with its doors open, `tickets` confirmed members, and a door-staff token."""
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        # Members hold a tier already, as in a real club: an admission is rarely a promotion.
        silver = await Tier.select(Tier.id).order_by(Tier.rank).first()
        members = await bulk_members(tickets, tier_ids=[silver["id"]])  # type: ignore[index]
        start = datetime.now(UTC) + timedelta(minutes=50)
        event = await create_event(
            salon_fields(start, tickets, title="Bench gala", ends_at=start + timedelta(hours=3), attendance_points=100),
            created_by=None,
        )
        await publish_event(event.id)
        signer = TicketSigner(settings.secret_key)
        tokens = []
        for m in members:
            viewer = Principal(user_id=m.user_id, role=Role.member, name="bench", member_id=m.member_id)
            placed = await rsvp(event.id, m.member_id, 0, viewer)  # type: ignore[arg-type]
            tokens.append(signer.issue(TicketClaims(event.id, placed.rsvp.id, 1)))
        staff = await create_user(Role.staff, "Bench door", f"door-{uuid.uuid4().hex[:6]}@bench.test")
        staff_token = (await issue_token(staff)).token
        engine = current_engine()
        if engine.engine_type == "postgres" and engine.pool is not None:
            await engine.close_connection_pool()
    return event.id, tokens, staff_token


async def _load(base: str, path: str, bodies: list[dict[str, str]], scanners: int, token: str | None, label: str) -> Figures:
    """`scanners` clients, each scanning its share one after another, as door staff do."""
    queue = list(reversed(bodies))
    latencies: list[float] = []
    results: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=scanners, max_keepalive_connections=scanners)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as http:
        async def scanner() -> None:
            while queue:
                body = queue.pop()
                t0 = time.perf_counter()
                response = await http.post(path, json=body)
                latencies.append((time.perf_counter() - t0) * 1000)
                key = response.json().get("result", str(response.status_code)) if response.status_code == 200 else str(response.status_code)
                results[key] = results.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*[scanner() for _ in range(scanners)])
        seconds = time.perf_counter() - started
    return Figures(label, scanners, len(bodies), seconds, latencies, results)


def _bare_server(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.bare_app:create", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "60"],
        cwd=str(Path(__file__).resolve().parent.parent), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def _wait_bare(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(300):
            try:
                await http.post("/scan", json={})
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError("bare server did not start")


async def bench(backend: str, scans_per_level: int) -> list[tuple[Figures, Figures]]:
    async with scratch_backend(backend, "checkin") as settings:
        event_id, tokens, staff_token = await _prepare(settings, scans_per_level * len(SCANNERS))
        app_port, bare_port = _free_port(), _free_port()
        servers = [_serve(settings, app_port), _bare_server(bare_port)]
        try:
            app, bare = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
            await _wait_ready(app, servers[0])
            await _wait_bare(bare)
            path = urls.link(door.SCANS, event_id=event_id)
            rows = []
            for level, scanners in enumerate(SCANNERS):
                share = tokens[level * scans_per_level:(level + 1) * scans_per_level]
                bodies = [{"token": t, "nonce": uuid.uuid4().hex, "gate": "main"} for t in share]
                real = await _load(app, path, bodies, scanners, staff_token, "scan")
                ceiling = await _load(bare, "/scan", bodies, scanners, None, "bare")
                rows.append((real, ceiling))
            return rows
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--scans", type=int, default=600, help="admissions per concurrency level")
    args = parser.parse_args()
    rows = asyncio.run(bench(args.backend, args.scans))
    print(f"door scans on {args.backend}: {args.scans} admissions per level, each a distinct ticket")
    print(f"{'scanners':>8} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} | {'bare/s':>7} {'p50 ms':>7} {'p99 ms':>7} | {'ratio':>5}  results")
    for real, bare in rows:
        print(
            f"{real.scanners:>8} {real.per_second:>8.0f} {real.percentile(50):>7.1f} {real.percentile(99):>7.1f} | "
            f"{bare.per_second:>7.0f} {bare.percentile(50):>7.1f} {bare.percentile(99):>7.1f} | "
            f"{real.per_second / bare.per_second:>5.2f}  {real.results}"
        )


if __name__ == "__main__":
    main()
