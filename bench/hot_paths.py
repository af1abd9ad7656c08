"""Prints the hot paths' rates beside the database's own ceiling, with wrk as the load generator.

The app runs under uvicorn in a child process, one process; the load comes from wrk (Debian's
`wrk`, a C load generator in its own process), so the client's cost never caps the figures.
Beside the app, in the same run, a bare Litestar endpoint doing one primary-key SELECT of a member
over the same database (bench/bare_app.py:create_select) is the ceiling each path is a ratio of.

- reads: `GET /api/me` and `GET /api/events` as a member (32 connections, a few seconds each);
- door scans: each a distinct confirmed ticket (admission, points, tier check), 32 connections;
- the RSVP storm: 2,000 members RSVP at once to one salon of capacity 100, 64 in flight; the salon
  has a club's usual reminders (the day before at 18:00, and three hours before by SMS), which
  each seat gets with it.

Each is measured in `--rounds` interleaved rounds and the median printed; the scans' admissions
and the storm's confirmed seats are then counted in the database (exactly the tickets, exactly
the capacity), so a fast wrong answer cannot pass.

    .venv/bin/python bench/hot_paths.py [--backend postgres|sqlite] [--rounds 3] [--seconds 5]
    .venv/bin/python bench/hot_paths.py --only door --profile /tmp/door.txt   # py-spy's stacks of one path
    .venv/bin/python bench/profile_summary.py /tmp/door.txt                  # where its time goes
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")
# One staff token sends every scan: the limiter still counts each one, but the door's own limit
# per device would stop the run.
os.environ.setdefault("RATE_LIMIT_SCANS", "100000000/60")

from bench.pages import _wrk
from bench.rsvp_storm import _free_port, _serve, _wait_ready, salon_fields
from bench.scratch import scratch_backend
from checkin import urls as door
from checkin.tables import CheckIn
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club.accounts import Principal, create_user, issue_token
from club.db import connection_pool, current_engine
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Role, Tier
from events import urls
from events.catalog import create_event, publish_event
from events.reminders.schemas import SequenceIn, StepIn
from events.reminders.sequences import create_sequence
from events.reminders.tables import Channel, EventReminderSequence, ScheduledReminder
from events.rsvp import rsvp
from events.tables import Rsvp, RsvpStatus
from tests.concurrency.bulk import bulk_members

ROOT = Path(__file__).resolve().parent.parent
READ_CONNECTIONS, SCAN_CONNECTIONS, STORM_IN_FLIGHT = 32, 32, 64

# Each wrk thread sends its own share of the lines of BENCH_LINES (a token, or a ticket and its
# nonce), one request per line, then only a cheap static file (/sw.js) now and then; when its last real answer is in
# it leaves a file in BENCH_DONE. wrk runs for its duration whatever its threads do, so the run
# is timed from the outside, to the last of those files, and wrk is then stopped (SIGINT: it
# prints its figures).
_SHARE_SCRIPT = r"""
local lines = {}
for line in io.lines(os.getenv("BENCH_LINES")) do lines[#lines + 1] = line end
local path, method = os.getenv("BENCH_PATH"), os.getenv("BENCH_METHOD")
local threads = tonumber(os.getenv("BENCH_THREADS"))
local staff = os.getenv("BENCH_STAFF")
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args) next_line = tid + 1; share = 0; answered = 0; verified = tid ~= 0
  for k = tid + 1, #lines, threads do share = share + 1 end end
function request()
  -- wrk calls the first thread's request() once before the run, to check it, and drops it.
  if not verified then verified = true; return wrk.format("GET", "/sw.js") end
  if next_line > #lines then return wrk.format("GET", "/sw.js") end
  local token, body = lines[next_line]:match("([^\t]*)\t?(.*)")
  next_line = next_line + threads
  local bearer = staff ~= nil and staff ~= "" and staff or token
  local headers = {["Authorization"] = "Bearer " .. bearer, ["Content-Type"] = "application/json"}
  if staff ~= nil and staff ~= "" then body = '{"token":"' .. token .. '","nonce":"' .. body .. '","gate":"A"}' end
  if body == "" then body = "{}" end
  return wrk.format(method, path, headers, body)
end
-- Once its lines are sent a thread idles: a filler every 50 ms per connection, not a flood.
function delay() if next_line > #lines then return 50 end return 0 end
function response(status, headers, body)
  if body:sub(1, 2) == "/*" then return end  -- a filler's answer (the service worker's script)
  answered = answered + 1
  if answered == share then
    local f = io.open(os.getenv("BENCH_DONE") .. "/" .. tid, "w"); f:write("done"); f:close()
  end
end
"""

_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_REQUESTS = re.compile(r"(\d+) requests in ")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


@dataclass(frozen=True)
class Rate:
    per_second: float
    p50_ms: float
    p99_ms: float
    failures: int
    requests: int = 0
    app_ms: float = 0.0  # the app process's CPU per request
    db_ms: float = 0.0  # the database server's CPU per request (PostgreSQL's processes on this machine)


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    return total


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _costed(app_pid: int, measure: Callable[[], Rate]) -> Rate:
    """`measure`, with the CPU the app process and the database spent on it, per request."""
    db = _postgres_pids()
    app_before, db_before = _cpu_seconds([app_pid]), _cpu_seconds(db)
    rate = measure()
    app_after, db_after = _cpu_seconds([app_pid]), _cpu_seconds(db)
    n = max(1, rate.requests)
    return dataclasses.replace(rate, app_ms=1000 * (app_after - app_before) / n, db_ms=1000 * (db_after - db_before) / n)


def _millis(value: str, unit: str) -> float:
    number = float(value)
    return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number


def _run_wrk(args: list[str], env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}).stdout


def _percentiles(out: str) -> dict[str, float]:
    return {m.group(1): _millis(m.group(2), m.group(3)) for m in _PERCENTILE.finditer(out)}


def _read(wrk: str, url: str, token: str | None, seconds: int) -> Rate:
    headers = ["-H", f"Authorization: Bearer {token}"] if token else []
    out = _run_wrk([wrk, "-t2", f"-c{READ_CONNECTIONS}", f"-d{seconds}s", "--latency", *headers, url])
    rate, failed = _RATE.search(out), _NON_2XX.search(out)
    assert rate, out
    p = _percentiles(out)
    requests = _REQUESTS.search(out)
    return Rate(float(rate.group(1)), p["50"], p["99"], int(failed.group(1)) if failed else 0,
                int(requests.group(1)) if requests else 0)


def _shares(wrk: str, base: str, method: str, path: str, lines: list[str], connections: int, staff: str = "") -> Rate:
    """Exactly `lines` requests, `connections` at a time; their rate timed around wrk."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as data:
        script.write(_SHARE_SCRIPT)
        data.write("\n".join(lines) + "\n")
    threads = 2
    done = Path(tempfile.mkdtemp(prefix="bench-done-"))
    env = {"BENCH_LINES": data.name, "BENCH_PATH": path, "BENCH_METHOD": method, "BENCH_THREADS": str(threads),
           "BENCH_STAFF": staff, "BENCH_DONE": str(done)}
    started = time.perf_counter()
    runner = subprocess.Popen([wrk, f"-t{threads}", f"-c{connections}", "-d600s", "--latency", "-s", script.name, base],
                              env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    while len(list(done.iterdir())) < threads and runner.poll() is None:
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    runner.send_signal(signal.SIGINT)
    out, _ = runner.communicate(timeout=60)
    for path_ in [*done.iterdir(), Path(script.name), Path(data.name)]:
        path_.unlink()
    done.rmdir()
    p = _percentiles(out)
    failed = _NON_2XX.search(out)
    return Rate(len(lines) / seconds, p["50"], p["99"], int(failed.group(1)) if failed else 0, len(lines))


@dataclass(frozen=True)
class Club:
    member_token: str
    member_id: int
    storm_events: list[int]
    storm_tokens: list[str]
    door_event: int
    door_tokens: list[list[str]]  # one share of distinct tickets per round
    staff_token: str


async def _prepare(settings: Settings, rounds: int, members: int, capacity: int, scans: int) -> Club:
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        tiers = [row["id"] for row in await Tier.select(Tier.id).order_by(Tier.rank)]
        storm = await bulk_members(members, tier_ids=tiers[:1])
        start = datetime.now(UTC) + timedelta(days=7)
        storm_events = []
        reminders = await create_sequence(SequenceIn(name="Salon reminders", steps=[
            StepIn(channel=Channel.email, offset_days=-1, at_local_time="18:00", template="{event_title}: {local_time}."),
            StepIn(channel=Channel.sms, offset_minutes=-180, template="{event_title}: {local_time}."),
        ]))
        for n in range(rounds):
            event = await create_event(salon_fields(start + timedelta(days=n), capacity, title=f"Storm {n}"), created_by=None)
            await publish_event(event.id)
            # Attached before any RSVP, so there is nobody to plan yet (attach_sequence's follow_event).
            await EventReminderSequence.insert(EventReminderSequence(
                event=event.id, sequence=reminders.id, link_key=f"{event.id}:{reminders.id}", created_at=datetime.now(UTC),
            ))
            storm_events.append(event.id)
        for n in range(20):  # the member's event list: a club's season
            extra = {"min_tier": "Gold"} if n % 3 == 2 else {}
            event = await create_event(salon_fields(start + timedelta(days=10 + n), 40, title=f"沙龙 {n}", **extra), created_by=None)
            await publish_event(event.id)
        door_start = datetime.now(UTC) + timedelta(minutes=50)
        gala = await create_event(
            salon_fields(door_start, scans * rounds, title="Bench gala", ends_at=door_start + timedelta(hours=3),
                         attendance_points=100), created_by=None,
        )
        await publish_event(gala.id)
        guests = await bulk_members(scans * rounds, tier_ids=tiers[:1])
        signer = TicketSigner(settings.secret_key)
        tokens = []
        for m in guests:
            viewer = Principal(user_id=m.user_id, role=Role.member, name="bench", member_id=m.member_id)
            placed = await rsvp(gala.id, m.member_id, 0, viewer)  # type: ignore[arg-type]
            tokens.append(signer.issue(TicketClaims(gala.id, placed.rsvp.id, 1)))
        staff = await create_user(Role.staff, "Bench door", f"door-{uuid.uuid4().hex[:6]}@bench.test")
        staff_token = (await issue_token(staff)).token
        await _close()
    reader = storm[0]
    return Club(reader.token, reader.member_id, storm_events, [c.token for c in storm], gala.id,  # type: ignore[arg-type]
                [tokens[i * scans:(i + 1) * scans] for i in range(rounds)], staff_token)


async def _close() -> None:
    engine = current_engine()
    if engine.engine_type == "postgres" and engine.pool is not None:
        await engine.close_connection_pool()


async def _counts(settings: Settings, club: Club) -> tuple[int, list[int], list[int]]:
    """The door's admissions, and each storm's confirmed seats and their scheduled reminders."""
    configure_database(settings)
    async with connection_pool(max_size=2):
        admitted = await CheckIn.count().where(CheckIn.event == club.door_event)
        confirmed = [
            await Rsvp.count().where((Rsvp.event == e) & (Rsvp.status == RsvpStatus.confirmed.value)) for e in club.storm_events
        ]
        reminders = [await ScheduledReminder.count().where(ScheduledReminder.event == e) for e in club.storm_events]
        await _close()
    return admitted, confirmed, reminders


def _bare(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.bare_app:create_select", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "60"],
        cwd=str(ROOT), env={**os.environ, "DATABASE_URL": settings.database_url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _median(rates: list[Rate]) -> Rate:
    return Rate(statistics.median(r.per_second for r in rates), statistics.median(r.p50_ms for r in rates),
                statistics.median(r.p99_ms for r in rates), sum(r.failures for r in rates), sum(r.requests for r in rates),
                statistics.median(r.app_ms for r in rates), statistics.median(r.db_ms for r in rates))


def _profiler(server: subprocess.Popen[bytes], out: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the app process for the whole run, as collapsed stacks (`--profile`)."""
    return subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.pid), "--format", "raw", "--rate", "200", *os.environ.get("BENCH_PY_SPY", "").split(),
                             "--nonblocking", "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def bench(backend: str, rounds: int, seconds: int, members: int, capacity: int, scans: int,
                only: str = "", profile: str = "") -> None:
    wrk = _wrk()
    async with scratch_backend(backend, "hot") as settings:
        club = await _prepare(settings, rounds, members, capacity, scans)
        app_port, bare_port = _free_port(), _free_port()
        app, bare = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
        servers = [_serve(settings, app_port), _bare(settings, bare_port)]
        results: dict[str, list[Rate]] = {}
        spy: subprocess.Popen[bytes] | None = None
        try:
            await _wait_ready(app, servers[0])
            for _ in range(100):
                try:
                    _run_wrk([wrk, "-t1", "-c1", "-d1s", f"{bare}/member/{club.member_id}"])
                    break
                except subprocess.CalledProcessError:
                    await asyncio.sleep(0.1)
            if profile:
                spy = _profiler(servers[0], profile)
            for n in range(rounds):
                results.setdefault("one SELECT (bare)", []).append(_costed(servers[1].pid, lambda: _read(
                    wrk, f"{bare}/member/{club.member_id}", None, seconds)))
                pid = servers[0].pid
                if only in ("", "me"):
                    results.setdefault("GET /api/me", []).append(_costed(pid, lambda: _read(
                        wrk, f"{app}/api/me", club.member_token, seconds)))
                if only in ("", "events"):
                    results.setdefault("GET /api/events", []).append(_costed(pid, lambda: _read(
                        wrk, f"{app}/api/events", club.member_token, seconds)))
                if only in ("", "door"):
                    scan_lines = [f"{t}\t{uuid.uuid4().hex}" for t in club.door_tokens[n]]
                    results.setdefault("door scan", []).append(_costed(pid, partial(
                        _shares, wrk, app, "POST", urls.link(door.SCANS, event_id=club.door_event), scan_lines,
                        SCAN_CONNECTIONS, staff=club.staff_token)))
                if only in ("", "storm"):
                    storm = urls.link(urls.EVENT_RSVP, event_id=club.storm_events[n])
                    results.setdefault("RSVP storm", []).append(_costed(pid, partial(
                        _shares, wrk, app, "POST", storm, club.storm_tokens, STORM_IN_FLIGHT)))
        finally:
            if spy is not None:  # py-spy writes its stacks on an interrupt
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=60)
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
        admitted, confirmed, reminders = await _counts(settings, club)
    ceiling = _median(results["one SELECT (bare)"]).per_second
    load = os.getloadavg()
    print(f"hot paths on {backend}, one app process, wrk (medians of {rounds} interleaved rounds); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'path':<20} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>8} {'ratio to one SELECT':>20}"
          f" {'app CPU ms':>11} {'db CPU ms':>10}")
    for label, rates in results.items():
        m = _median(rates)
        costs = f" {m.app_ms:>11.2f} {m.db_ms:>10.2f}" if m.requests else ""
        print(f"{label:<20} {m.per_second:>8.0f} {m.p50_ms:>7.1f} {m.p99_ms:>7.1f} {m.failures:>8} "
              f"{m.per_second / ceiling:>20.3f}{costs}")
    print("(app and db CPU: per request, the app process's and PostgreSQL's processes' CPU time; on SQLite the db is in the app)")
    print(f"\nin the database: {admitted} admissions for {scans * rounds} distinct tickets scanned; "
          f"confirmed per storm: {confirmed} (capacity {capacity}, {members} members each), "
          f"their reminders: {reminders} (two per seat)")
    storm_wrong = any(c != capacity for c in confirmed) or any(r != 2 * capacity for r in reminders)
    if (only in ("", "door") and admitted != scans * rounds) or (only in ("", "storm") and storm_wrong):
        print("  !! the counts are wrong")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--scans", type=int, default=2000, help="distinct tickets scanned per round")
    parser.add_argument("--only", choices=["me", "events", "door", "storm"], default="",
                        help="measure one path (beside the bare endpoint), e.g. to profile it")
    parser.add_argument("--profile", default="", help="write py-spy's collapsed stacks of the app process here")
    args = parser.parse_args()
    asyncio.run(bench(args.backend, args.rounds, args.seconds, args.members, args.capacity, args.scans, args.only,
                      args.profile))


if __name__ == "__main__":
    main()
