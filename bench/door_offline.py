"""Prints what the offline door costs: the door list of an event of 5,000 tickets (time to build
and send it, its size on the wire with and without gzip, the 304 a refresh costs), and the time
the door page takes to decide one scan on the phone, in Chromium.

(1) The app runs under uvicorn in a child process, on a club with one event of `--tickets`
confirmed tickets (Chinese names, as a door list carries them), a few cancelled, and a fifth
already admitted. The load comes from wrk (Debian's, a C load generator in its own process), so
the client's own cost never caps the figures; sizes and one fetch's time from curl. Beside it, in
the same run and the same way: the ticket public-key endpoint (the same token check and framework,
no database work) and the door view (one event read), whose ratios say what the list itself costs.

(2) Debian's Chromium opens the door page on that server, lets it download and keep the list,
and times in the page (performance.now) `--decisions` offline decisions, each a real ticket's
code read, its Ed25519 signature checked and the scan decided against the list and this phone's
scans: once with WebCrypto's Ed25519, once with the vendored @noble/ed25519; then the same
number of queue writes to IndexedDB (the durable part of an offline scan).

    .venv/bin/python bench/door_offline.py [--backend sqlite|postgres] [--tickets 5000] [--seconds 10] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

from bench.pages import _wrk
from bench.rsvp_storm import _free_port, _serve, _wait_ready, salon_fields
from bench.scratch import scratch_backend
from checkin import urls as door
from checkin.scanning import ScanRequest, scan
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club.accounts import Principal, create_user, issue_token
from club.db import connection_pool, current_engine, write_transaction
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Member, Role, Tier
from events import urls
from events.catalog import create_event, publish_event
from events.rsvp import cancel_rsvp, rsvp
from tests.concurrency.bulk import bulk_members

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"


@dataclass(frozen=True)
class Door:
    event_id: int
    staff_token: str
    tokens: list[str]  # every confirmed ticket's code, for the page's decisions


async def _prepare(settings: Settings, tickets: int) -> Door:
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        tiers = [row["id"] for row in await Tier.select(Tier.id).order_by(Tier.rank)]
        members = await bulk_members(tickets, tier_ids=tiers[:3])
        async with write_transaction():
            for n, m in enumerate(members):
                name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + GIVEN[(n // 3) % len(GIVEN)]
                await Member.update({Member.name: name}).where(Member.id == m.member_id)
        start = datetime.now(UTC) + timedelta(minutes=50)
        event = await create_event(
            salon_fields(start, tickets * 2, title="周年晚宴", venue="上海 · 外滩 18 号", venue_time_zone="Asia/Shanghai",
                         ends_at=start + timedelta(hours=3), max_guests=1),
            created_by=None,
        )
        await publish_event(event.id)
        signer = TicketSigner(settings.secret_key)
        staff = await create_user(Role.staff, "Bench door", f"door-{uuid.uuid4().hex[:6]}@bench.test")
        staff_principal = Principal(user_id=staff, role=Role.staff, name="Bench door", member_id=None)
        tokens = []
        for n, m in enumerate(members):
            viewer = Principal(user_id=m.user_id, role=Role.member, name="bench", member_id=m.member_id)
            placed = await rsvp(event.id, m.member_id, 1 if n % 3 == 0 else 0, viewer)  # type: ignore[arg-type]
            token = signer.issue(TicketClaims(event.id, placed.rsvp.id, 1))
            if n % 50 == 49:  # a few cancel: the list's refusals
                await cancel_rsvp(placed.rsvp.id, viewer)
            elif n % 5 == 0:  # a fifth is in already
                await scan(ScanRequest(event.id, token, uuid.uuid4().hex, "A", staff_principal), signer)
            else:
                tokens.append(token)
        staff_token = (await issue_token(staff)).token
        engine = current_engine()
        if engine.engine_type == "postgres" and engine.pool is not None:
            await engine.close_connection_pool()
    return Door(event.id, staff_token, tokens)


_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_LATENCY = re.compile(r"Latency\s+([\d.]+)(us|ms|s)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_TRANSFER = re.compile(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)")


@dataclass(frozen=True)
class Rate:
    per_second: float
    mean_ms: float
    odd: int  # answers that were not 2xx/3xx
    mb_per_second: float


def _load(wrk: str, url: str, headers: list[str], seconds: int, connections: int) -> Rate:
    args = [wrk, "-t1" if connections == 1 else "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rate, latency, transfer = _RATE.search(out), _LATENCY.search(out), _TRANSFER.search(out)
    assert rate and latency and transfer, out
    value, unit = float(latency.group(1)), latency.group(2)
    millis = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    size = float(transfer.group(1)) * {"B": 1e-6, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
    odd = _NON_2XX.search(out)
    return Rate(float(rate.group(1)), millis, int(odd.group(1)) if odd else 0, size)


def _curl(url: str, headers: list[str]) -> tuple[int, int, float, str]:
    """(status, bytes on the wire, seconds, ETag) of one fetch by curl."""
    args = ["curl", "-s", "-o", "/dev/null", "-D", "-", "-w", "\n%{http_code} %{size_download} %{time_total}"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    status, size, seconds = out.strip().splitlines()[-1].split()
    etag = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.lower().startswith("etag:")), "")
    return int(status), int(size), float(seconds), etag


_IN_THE_PAGE = """
async ({tokens, engine}) => {
  const {core} = window.door;
  const list = window.door.index.list;
  let started = performance.now();
  const index = core.indexList(list);
  const indexMs = performance.now() - started;
  const verifier = await core.makeVerifier(core.base64urlBytes(list.public_key.raw), engine);
  const results = {};
  await core.judge(tokens[0], index, verifier, new Map(), Date.now());  // warm: the library loaded, the key imported
  started = performance.now();
  for (const token of tokens) {
    const decided = await core.judge(token, index, verifier, new Map(), Date.now());
    results[decided.result] = (results[decided.result] || 0) + 1;
  }
  const ms = performance.now() - started;
  return {engine: verifier.engine, ms, perScanMs: ms / tokens.length, indexMs, results, tickets: list.tickets.length};
}
"""

_QUEUE_WRITES = """
async ({tokens}) => {
  const store = await import(new URL("/door-static/door-store.js?v=" + new URL(document.querySelector('script[type=module]').src).searchParams.get("v"), location.href).href);
  const started = performance.now();
  let n = 0;
  for (const token of tokens) {
    await store.keepScan({nonce: "bench-" + (n++), event_id: -1, token, rsvp_id: 0, item: null, gate: "A",
                          at: Date.now(), scanned_at: "", result: "admitted", sent: 0});
  }
  const ms = performance.now() - started;
  return {ms, perScanMs: ms / tokens.length};
}
"""


async def _in_chromium(base: str, door_: Door, decisions: int) -> list[dict[str, object]]:
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE

    if CHROMIUM is None:
        raise SystemExit("part (2) runs in Debian's chromium: apt-get install chromium")
    tokens = (door_.tokens * (decisions // max(1, len(door_.tokens)) + 1))[:decisions]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(**PHONE)).new_page()
            await page.goto(f"{base}/door/{door_.event_id}#token={door_.staff_token}")
            await page.wait_for_function("window.door && window.door.index !== null", timeout=60000)
            rows = [await page.evaluate(_IN_THE_PAGE, {"tokens": tokens, "engine": engine})
                    for engine in ("webcrypto", "noble")]
            rows.append({"engine": "IndexedDB queue write", **await page.evaluate(_QUEUE_WRITES, {"tokens": tokens})})
            return rows
        finally:
            await browser.close()


async def bench(backend: str, tickets: int, seconds: int, decisions: int) -> None:
    wrk = _wrk()
    if shutil.which("curl") is None:
        raise SystemExit("this benchmark reads sizes with curl: apt-get install curl")
    async with scratch_backend(backend, "door-offline") as settings:
        t0 = time.perf_counter()
        door_ = await _prepare(settings, tickets)
        print(f"seeded {tickets} tickets on {backend} in {time.perf_counter() - t0:.0f} s")
        port = _free_port()
        server = _serve(settings, port)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base, server)
            bearer = f"Authorization: Bearer {door_.staff_token}"
            door_list = base + urls.link(door.DOOR_LIST, event_id=door_.event_id)
            status, plain_size, plain_s, etag = _curl(door_list, [bearer])
            assert status == 200, status
            _, gzip_size, gzip_s, _ = _curl(door_list, [bearer, "Accept-Encoding: gzip"])
            not_modified, _, _, _ = _curl(door_list, [bearer, "Accept-Encoding: gzip", f"If-None-Match: {etag}"])
            assert not_modified == 304, not_modified
            print(f"\n(1) the door list of {tickets} tickets, one app process, wrk -d{seconds}s")
            print(f"  size on the wire: {plain_size / 1024:.0f} KB as JSON, {gzip_size / 1024:.0f} KB gzipped "
                  f"({plain_size / gzip_size:.1f}x smaller); one fetch by curl: {plain_s * 1000:.0f} ms plain, {gzip_s * 1000:.0f} ms gzipped")
            targets = [
                ("door list, gzip", door_list, [bearer, "Accept-Encoding: gzip"]),
                ("door list, plain JSON", door_list, [bearer]),
                ("door list, 304 refresh", door_list, [bearer, "Accept-Encoding: gzip", f"If-None-Match: {etag}"]),
                ("baseline: public key", base + door.PUBLIC_KEY, [bearer]),
                ("baseline: door view", base + urls.link(door.DOOR_EVENT, event_id=door_.event_id), [bearer]),
            ]
            print(f"  {'target':<24} {'conns':>5} {'req/s':>8} {'mean ms':>8} {'MB/s':>7} {'odd':>4}  vs the public key")
            for connections in (1, 8):
                key_rate = _load(wrk, targets[3][1], targets[3][2], seconds, connections)
                for label, url, headers in targets:
                    rate = key_rate if label.endswith("public key") else _load(wrk, url, headers, seconds, connections)
                    ratio = "" if label.endswith("public key") else (
                        f"{key_rate.per_second / rate.per_second:.1f}x slower, {rate.mean_ms / key_rate.mean_ms:.1f}x the latency")
                    print(f"  {label:<24} {connections:>5} {rate.per_second:>8.0f} {rate.mean_ms:>8.1f} {rate.mb_per_second:>7.1f} {rate.odd:>4}  {ratio}")

            print(f"\n(2) deciding a scan offline in the door page, Chromium {_chromium_version()}, {decisions} scans one after another")
            for row in await _in_chromium(base, door_, decisions):
                extra = f"  (index of the list: {row['indexMs']:.1f} ms once; {json.dumps(row['results'])})" if "indexMs" in row else ""
                print(f"  {row['engine']:<22} {row['perScanMs'] * 1000:>8.0f} µs a scan, {row['ms']:.0f} ms in all{extra}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _chromium_version() -> str:
    from tests.browser import CHROMIUM

    out = subprocess.run([CHROMIUM or "chromium", "--version"], capture_output=True, text=True, check=False).stdout.split()
    return next((word for word in out if word[:1].isdigit()), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--decisions", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(bench(args.backend, args.tickets, args.seconds, args.decisions))


if __name__ == "__main__":
    main()
