"""Prints how long the console's lists take to render at club scale: the member search over 100,000
members (club.member_search, /console/members) and an event's attendee list of 5,000
(/console/events/{id}/attendees), p50 and p99 per page, and whether each is under 300 ms.

The club is made first: 100,000 members with Chinese and Western names, addresses and phones,
tiers spread as a club's are (most Silver, a full Diamond with members waiting) and a ledger entry
each; one published salon starting within the hour with 5,000 confirmed through the RSVP service,
2,000 of them admitted at the door through the scanning service. The app then runs under uvicorn
in a child process and wrk (Debian's `wrk`, a C load generator in its own process) asks each page
with a coordinator's session cookie, in zh-Hans, one request at a time unless told otherwise, so
the figure is a page's own render time, not a queue's.

    .venv/bin/python bench/console_lists.py [--backend postgres|sqlite] [--members 100000] [--attendees 5000]
        [--seconds 5] [--connections 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")

import httpx

from bench.pages import _wrk
from bench.rsvp_storm import _free_port, _serve, _wait_ready, salon_fields
from bench.scratch import scratch_backend
from club.accounts import Principal, create_user
from club.db import connection_pool, current_engine, write_transaction
from club.server.migrate import migrate
from club.server.wiring import configure_database
from club.settings import Settings
from club.tables import Member, MemberStatus, PointsEntry, PointsReason, Role, Tier
from club.web.sessions import COOKIE, start_session

LIMIT_MS = 300.0
BATCH = 1_000

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭"
    "陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙黎史陶贺毛郝顾龚邵万钱戴严莫孔向常汤康易乔赖文"
)
_GIVEN = "芳静丽敏娜雅婷欣怡佳琳晶颖洁瑶蕾岚薇雯霞燕萍红玲华伟强磊军勇杰涛明超刚平辉鹏宇浩然轩博文思远晨曦嘉宁子涵梓萱若曦"
_FIRST = ("Amélie", "Claire", "Sophie", "Camille", "Louise", "Olivia", "Emma", "Charlotte", "James", "Henri", "Lucas", "Victor")
_LAST = ("Laurent", "Dubois", "Martin", "Bernard", "Moreau", "Lefèvre", "Smith", "Taylor", "Wong", "Chan", "Leung", "Ng")
_DOMAINS = ("qq.com", "163.com", "126.com", "gmail.com", "icloud.com", "outlook.com", "maison.example")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Club:
    cookie: str
    event_id: int
    searches: list[tuple[str, str]]  # (label, path)


def _person(n: int, rng: random.Random) -> tuple[str, str, str | None]:
    """A member's name, address and phone (E.164), all distinct by `n`."""
    if n % 10 == 0:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    else:
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    handle = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 8)))
    email = f"{handle}{n}@{rng.choice(_DOMAINS)}"
    if n % 25 == 0:
        phone = None
    elif n % 8 == 0:
        phone = f"+852{5 + n % 4}{n:07d}"[:12]
    else:
        phone = f"+861{3 + n % 7}{(n * 7919) % 10**9:09d}"
    return name, email, phone


async def _members(count: int, tiers: dict[str, int]) -> list[int]:
    """`count` members, with tiers as a club spreads them and a ledger entry each; their ids."""
    rng = random.Random(2026)
    ladder = [("Silver", 0), ("Gold", 1_000), ("Platinum", 5_000)]
    ids: list[int] = []
    now = datetime.now(UTC)
    for start in range(0, count, BATCH):
        rows = []
        points = []
        for n in range(start, min(count, start + BATCH)):
            name, email, phone = _person(n, rng)
            roll = rng.random()
            tier, floor = ladder[0] if roll < 0.7 else ladder[1] if roll < 0.92 else ladder[2]
            if n < 25:
                tier, floor = "Diamond", 15_000  # the full capped tier
            balance = floor + rng.randint(0, 900)
            rows.append(Member(
                name=name, email=email, phone=phone, language="zh-Hans" if n % 10 else "en", time_zone="Asia/Shanghai",
                status=MemberStatus.suspended.value if n % 100 == 99 else MemberStatus.active.value,
                joined_on=date(2020, 1, 1) + timedelta(days=n % 2000), tier=tiers[tier],
                # Members past Diamond's threshold while it is full wait for it, oldest first.
                queued_tier=tiers["Diamond"] if 25 <= n < 40 else None,
                queued_at=now - timedelta(days=40 - n) if 25 <= n < 40 else None,
            ))
            points.append(balance if not 25 <= n < 40 else 15_500)
        async with write_transaction():
            made = [r["id"] for r in await Member.insert(*rows).returning(Member.id)]
            await PointsEntry.insert(*[
                PointsEntry(member=m, delta=p, reason=PointsReason.adjustment.value, source=f"bench-{m}",
                            award_key=f"adjustment:bench-{m}", note="迁移自旧系统", created_at=now)
                for m, p in zip(made, points, strict=True)
            ])
        ids += made
    return ids


async def _attendees(member_ids: list[int], admitted: int, settings: Settings, coordinator: Principal) -> int:
    """A salon starting within the hour with every member of `member_ids` confirmed through the RSVP
    service, the first `admitted` of them scanned in at the door. The event's id."""
    from checkin.scanning import ScanRequest, scan
    from checkin.ticket_issuing import current_ticket
    from checkin.ticket_tokens import TicketSigner
    from events.catalog import create_event, publish_event
    from events.rsvp import rsvp

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=45)
    event = await create_event(salon_fields(start, len(member_ids), title="年度晚宴"), created_by=None)
    await publish_event(event.id)
    rsvp_ids = [(await rsvp(event.id, member_id, 0, coordinator)).rsvp.id for member_id in member_ids]
    signer = TicketSigner(settings.secret_key)
    staff_id = await create_user(Role.staff, "Door", "door@bench.test")
    staff = Principal(user_id=staff_id, role=Role.staff, name="Door", member_id=None)
    for n, rsvp_id in enumerate(rsvp_ids[:admitted]):
        ticket = await current_ticket(rsvp_id, coordinator, signer)
        await scan(ScanRequest(event_id=event.id, token=ticket.token, nonce=f"bench-{n}", gate="A", staff=staff), signer)
    return event.id


async def _prepare(settings: Settings, members: int, attendees: int) -> Club:
    configure_database(settings)
    async with connection_pool(max_size=10):
        await migrate()
        tiers = {row["name"]: row["id"] for row in await Tier.select(Tier.id, Tier.name)}
        began = time.perf_counter()
        ids = await _members(members, tiers)
        print(f"  {members:,} members in {time.perf_counter() - began:.0f} s", flush=True)
        coordinator_id = await create_user(Role.coordinator, "Bench coordinator", "coordinator@bench.test")
        coordinator = Principal(user_id=coordinator_id, role=Role.coordinator, name="Bench coordinator", member_id=None)
        began = time.perf_counter()
        # Not the suspended (every hundredth), whom an RSVP refuses.
        guests = [m for n, m in enumerate(ids) if n >= 100 and n % 100 != 99][:attendees]
        event_id = await _attendees(guests, attendees * 2 // 5, settings, coordinator)
        print(f"  {attendees:,} attendees ({attendees * 2 // 5:,} admitted) in {time.perf_counter() - began:.0f} s", flush=True)
        engine = current_engine()
        if engine.engine_type == "postgres":
            await engine.run_ddl("ANALYZE")  # as autovacuum's analyze would after loading a club
        # The search's sample: a common surname, a full name, a part of a phone and of an address.
        sample = await Member.select(Member.name, Member.email, Member.phone).where(Member.id == ids[len(ids) // 2 + 3]).first()
        assert sample is not None
        deep = await Member.select(Member.id).order_by(Member.name).order_by(Member.id).offset(members // 2).first()
        assert deep is not None
        cookie = await start_session(coordinator_id, "bench")
        if engine.engine_type == "postgres" and engine.pool is not None:
            await engine.close_connection_pool()
    gold = tiers["Gold"]
    searches = [
        ("every member, first page", "/console/members"),
        ("a surname (王)", f"/console/members?q={quote('王')}"),
        (f"a full name ({sample['name']})", f"/console/members?q={quote(sample['name'])}"),
        ("a phone's last 8 digits", f"/console/members?q={quote(str(sample['phone'] or '+8613800138000')[-8:])}"),
        ("a part of an address (@icloud)", f"/console/members?q={quote('@icloud')}"),
        ("a tier (Gold)", f"/console/members?tier={gold}"),
        ("a surname within a tier", f"/console/members?q={quote('李')}&tier={gold}"),
        ("nobody matches", f"/console/members?q={quote('不存在的名字')}"),
        (f"page {members // 2 // 50 + 1:,} by keyset", f"/console/members?after={deep['id']}"),
    ]
    return Club(cookie=cookie, event_id=event_id, searches=searches)


_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_REQUESTS = re.compile(r"(\d+) requests in")


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int


def _time(wrk: str, url: str, cookie: str, seconds: int, connections: int) -> Timing:
    out = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {COOKIE}={cookie}",
         "-H", "Accept: text/html", "-H", "Accept-Language: zh-CN", url],
        capture_output=True, text=True, check=True,
    ).stdout
    found = {p: float(v) / 1000 if unit == "us" else float(v) * 1000 if unit == "s" else float(v)
             for p, v, unit in _PERCENTILE.findall(out)}
    failed, requests = _NON_2XX.search(out), _REQUESTS.search(out)
    assert "50" in found and "99" in found and requests, out
    return Timing(found["50"], found["99"], int(requests.group(1)), int(failed.group(1)) if failed else 0)


async def _check(base: str, path: str, cookie: str) -> int:
    """The page's status and a sanity check of what it shows, before it is timed."""
    async with httpx.AsyncClient(base_url=base, cookies={COOKIE: cookie}, headers={"Accept-Language": "zh-CN"}, timeout=60) as http:
        answer = await http.get(path)
    if answer.status_code == 200:
        assert 'lang="zh-Hans"' in answer.text, path
    return answer.status_code


async def bench(backend: str, members: int, attendees: int, seconds: int, connections: int) -> None:
    wrk = _wrk()
    async with scratch_backend(backend, "console") as settings:
        print(f"making the club on {backend}:", flush=True)
        club = await _prepare(settings, members, attendees)
        port = _free_port()
        server = _serve(settings, port)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base, server)
            pages = [*club.searches, (f"attendee list of {attendees:,}", f"/console/events/{club.event_id}/attendees")]
            print(f"\nconsole pages on {backend}: {members:,} members, wrk -t1 -c{connections} -d{seconds}s, one app process")
            print(f"{'page':<44} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9}  under {LIMIT_MS:.0f} ms (p99)")
            for label, path in pages:
                status = await _check(base, path, club.cookie)
                if status != 200:
                    note = "not there yet (404)" if status == 404 else f"answered {status}"
                    print(f"{label[:44]:<44} {'—':>8} {'—':>8} {'—':>9}  {note}")
                    continue
                t = _time(wrk, base + path, club.cookie, seconds, connections)
                verdict = "yes" if t.p99_ms < LIMIT_MS and not t.failures else "NO"
                failed = f" ({t.failures} failed)" if t.failures else ""
                print(f"{label[:44]:<44} {t.p50_ms:>8.1f} {t.p99_ms:>8.1f} {t.requests:>9}  {verdict}{failed}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--attendees", type=int, default=5_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(bench(args.backend, args.members, args.attendees, args.seconds, args.connections))


if __name__ == "__main__":
    main()
