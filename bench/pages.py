"""Prints pages per second for the member's home and events pages beside the JSON API for the same
data, and each page's first-load transfer size.

The app runs under uvicorn in a child process; the load comes from wrk (Debian's `wrk`, a C load
generator in its own process, installed here when missing and we are root), so the client's own
cost never caps the figures. Every target is measured the same way in the same run: the home page
(`/`, signed in by its session cookie) against `/api/me` and `/api/me/rsvps` (the member's record,
tier and points, and their RSVPs, by bearer token); the events page (`/events`) against `/api/events`.

The transfer size is what a phone downloads on its first visit: the page's HTML and the style sheet
it links (the ticket page's QR is inline, so its size is given with and without the QR image).

    .venv/bin/python bench/pages.py [--backend sqlite|postgres] [--events 30] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

import httpx

from bench.rsvp_storm import _free_port, _serve, _wait_ready, salon_fields
from bench.scratch import scratch_backend
from club.accounts import Principal
from club.db import connection_pool, current_engine
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Role, Tier
from club.web.sessions import COOKIE, start_session
from events.catalog import create_event, publish_event
from events.rsvp import rsvp
from tests.concurrency.bulk import bulk_members

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Member:
    member_id: int
    token: str
    cookie: str
    rsvp_ids: tuple[int, ...]


async def _prepare(settings: Settings, events: int) -> Member:
    """A Silver member with a session and a token, `events` published salons (every third for
    Gold and above, so the list shows refusals), and RSVPs to the first three."""
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        tiers = {row["name"]: row["id"] for row in await Tier.select(Tier.id, Tier.name)}
        (member,) = await bulk_members(1, tier_ids=[tiers["Silver"]])
        assert member.member_id is not None
        start = datetime.now(UTC) + timedelta(days=3)
        ids = []
        for n in range(events):
            extra = {"min_tier": "Gold"} if n % 3 == 2 else {}
            event = await create_event(
                salon_fields(start + timedelta(days=n), 40, title=f"沙龙 {n + 1}", **extra), created_by=None
            )
            await publish_event(event.id)
            ids.append(event.id)
        viewer = Principal(user_id=member.user_id, role=Role.member, name="bench", member_id=member.member_id)
        rsvps = [(await rsvp(event_id, member.member_id, 0, viewer)).rsvp.id for event_id in ids[:2]]
        cookie = await start_session(member.user_id, "bench")
        engine = current_engine()
        if engine.engine_type == "postgres" and engine.pool is not None:
            await engine.close_connection_pool()
    return Member(member.member_id, member.token, cookie, tuple(rsvps))


def _wrk() -> str:
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0:
        subprocess.run(["bash", str(ROOT / "scripts" / "apt-install"), "wrk"], check=True)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("this benchmark drives the server with wrk: install Debian's wrk (apt-get install wrk)")
    return found


_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_LATENCY = re.compile(r"Latency\s+([\d.]+)(us|ms|s)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


@dataclass(frozen=True)
class Rate:
    per_second: float
    mean_latency_ms: float
    failures: int


def _load(wrk: str, url: str, header: str, seconds: int, connections: int) -> Rate:
    """wrk's figures for `url` with `header` on every request (a cookie or a bearer token)."""
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", header, "-H", "Accept: text/html,application/json", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rate, latency = _RATE.search(out), _LATENCY.search(out)
    assert rate and latency, out
    value, unit = float(latency.group(1)), latency.group(2)
    millis = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    failed = _NON_2XX.search(out)
    return Rate(float(rate.group(1)), millis, int(failed.group(1)) if failed else 0)


_STYLE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_INLINE_IMAGE = re.compile(r'src="data:image/[^"]+"')


async def _first_load(base: str, path: str, cookie: str) -> tuple[int, int]:
    """(bytes with everything, bytes without inline images) of a first visit: HTML and style sheets."""
    # /sign-in is measured as a stranger sees it (a signed-in member is sent home).
    cookies = {} if path == "/sign-in" else {COOKIE: cookie}
    async with httpx.AsyncClient(base_url=base, cookies=cookies) as http:
        page = await http.get(path)
        page.raise_for_status()
        total = len(page.content)
        without_images = len(_INLINE_IMAGE.sub('src=""', page.text).encode())
        for href in _STYLE.findall(page.text):
            sheet = len((await http.get(href)).content)
            total += sheet
            without_images += sheet
    return total, without_images


async def bench(backend: str, events: int, seconds: int, connections: int) -> None:
    wrk = _wrk()
    async with scratch_backend(backend, "pages") as settings:
        member = await _prepare(settings, events)
        port = _free_port()
        server = _serve(settings, port)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base, server)
            cookie, bearer = f"Cookie: {COOKIE}={member.cookie}", f"Authorization: Bearer {member.token}"
            pairs = [
                ("home page /", "/", cookie), ("  API /api/me", "/api/me", bearer), ("  API /api/me/rsvps", "/api/me/rsvps", bearer),
                ("events page /events", "/events", cookie), ("  API /api/events", "/api/events", bearer),
            ]
            print(f"member pages on {backend}: {events} published events, wrk -t2 -c{connections} -d{seconds}s, one app process")
            print(f"{'target':<24} {'req/s':>8} {'mean ms':>8} {'failed':>7}  ratio to its page")
            page_rate = 0.0
            for label, path, header in pairs:
                rate = _load(wrk, base + path, header, seconds, connections)
                if not label.startswith(" "):
                    page_rate = rate.per_second
                ratio = "" if not label.startswith(" ") else f"page is {page_rate / rate.per_second:.2f}x the API"
                print(f"{label:<24} {rate.per_second:>8.0f} {rate.mean_latency_ms:>8.1f} {rate.failures:>7}  {ratio}")
            print("\nfirst-load transfer (HTML + style sheet), goal under 100 KB before the QR image:")
            paths = ["/sign-in", "/", "/events", "/points", "/preferences", *(f"/tickets/{r}" for r in member.rsvp_ids[:1])]
            for path in paths:
                try:
                    total, without = await _first_load(base, path, member.cookie)
                except httpx.HTTPStatusError as exc:
                    print(f"  {path:<16} answered {exc.response.status_code}")
                    continue
                note = f" ({without / 1024:.1f} KB without the inline QR)" if total != without else ""
                print(f"  {path:<16} {total / 1024:>6.1f} KB{note}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--events", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(bench(args.backend, args.events, args.seconds, args.connections))


if __name__ == "__main__":
    main()
