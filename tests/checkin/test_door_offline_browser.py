"""The door with no network, in Debian's Chromium at phone size (390x844, zh-Hans): the page
installs itself (its service worker keeps the page and its scripts), keeps the event's door list,
decides scans on the phone when the network drops or does not answer, queues them in IndexedDB
across a reload, and sends them when the network returns; two gates that both admitted one
ticket end with one admission, the earliest, and a duplicate; a camera that cannot start says why.

The network is cut for real. Playwright's `context.set_offline(True)` fails the page's own
requests and fires its `offline` event, but Chromium's offline emulation is set per target and
does not reach the service worker (microsoft/playwright#2311): under it alone a reload still
fetched the page from the server through the worker (a connection reached the relay below). So
the page talks to the server through a relay on its own port, and cutting the network is both:
`set_offline(True)` for what the browser tells the page, and the relay refusing every connection
and dropping the open ones for what the network does. `hang()` takes connections and never
answers: a Wi-Fi with no way out, where only a timeout tells.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import time
from collections.abc import AsyncIterator
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image
from playwright.async_api import BrowserContext, Page, async_playwright

from checkin import urls as door
from checkin.tables import CheckIn
from club.tables import PointsEntry
from events import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp/shots")
ADMIT, ALREADY_IN, NOT_VALID = "欢迎入场", "已签到", "无效的入场二维码"
OFFLINE_WORDS = "本机离线判定，网络恢复后上传"
class Link(str, Enum):
    up = "up"
    down = "down"  # connections refused: the phone knows at once
    hung = "hung"  # connections taken, never answered: the phone knows only by waiting


class NetworkRelay:
    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self.link = Link.up
        self.refused = 0  # connections tried while the link was down
        self._open: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.base_url = ""

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self._drop()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self.link = Link.down
        self._drop()

    def hang(self) -> None:
        self.link = Link.hung
        self._drop()

    def restore(self) -> None:
        self.link = Link.up
        self._drop()  # hung connections fail now, as a network that comes back does to them

    def _drop(self) -> None:
        # Kept-alive connections would go on working through a cut network otherwise.
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.link is Link.down:
            self.refused += 1
            writer.transport.abort()
            return
        self._open.add(writer)
        if self.link is Link.hung:
            with contextlib.suppress(Exception):
                await reader.read()  # until the relay drops it
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(self._host, self._port)
        except OSError:
            writer.transport.abort()
            return
        self._open.add(up_writer)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            with contextlib.suppress(Exception):
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._open.discard(writer)
        self._open.discard(up_writer)


@contextlib.asynccontextmanager
async def relay(target: str) -> AsyncIterator[NetworkRelay]:
    """A relay to `target` on its own port: a new origin, so each test's phone starts empty."""
    network = NetworkRelay(target)
    await network.start()
    try:
        yield network
    finally:
        await network.stop()


def camera_video(png: bytes, path: Path, size: tuple[int, int] = (640, 480)) -> Path:
    """A y4m video (Chromium's --use-file-for-fake-video-capture plays it in a loop) of the
    ticket's QR, black on white with a quiet margin, as a phone's screen shows it to the door."""
    width, height = size
    qr = Image.open(io.BytesIO(png)).convert("L")
    scale = max(1, (height - 80) // qr.height)
    qr = qr.resize((qr.width * scale, qr.height * scale), Image.Resampling.NEAREST)
    frame = Image.new("L", size, 255)
    frame.paste(qr, ((width - qr.width) // 2, (height - qr.height) // 2))
    luma, chroma = frame.tobytes(), bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def forged(token: str) -> str:
    """The ticket with another RSVP's id written in and the signature left as it was."""
    raw = bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))
    raw[8] ^= 0x01  # the low byte of the RSVP id
    return base64.b32encode(bytes(raw)).decode().rstrip("=")


# --- the door phone


async def _open_door(context: BrowserContext, base_url: str, event_id: int, staff: Caller, gate: str = "main") -> Page:
    """The door page, online, once its list is kept and its worker keeps the page."""
    page = await context.new_page()
    await page.goto(f"{base_url}/door/{event_id}#token={staff.token}")
    await page.wait_for_function("document.getElementById('net').textContent === '在线'")
    await page.wait_for_function("document.getElementById('list-age').textContent === '名单刚刚更新'")
    await page.wait_for_function("caches.match(location.pathname + location.search).then(Boolean)", polling=100)
    if gate != "main":
        await page.fill("#gate", gate)
    assert await page.input_value("#gate") == gate
    return page


async def _type_code(page: Page, code: str) -> None:
    await page.fill("#code", code)
    await page.press("#code", "Enter")


async def _answer(page: Page, verdict: str, *, who: str = "", more: str = "") -> dict[str, Any]:
    """Wait for the answer (a verdict, and a name or detail that tell it from the one before)."""
    await page.wait_for_function(
        "([v, w, m]) => document.getElementById('verdict').textContent === v"
        " && document.getElementById('who').textContent.includes(w) && document.getElementById('more').textContent.includes(m)",
        arg=[verdict, who, more],
    )
    return await page.evaluate(
        "() => ({kind: document.getElementById('answer').className, who: document.getElementById('who').textContent,"
        " more: document.getElementById('more').textContent,"
        " how: document.getElementById('how').hidden ? '' : document.getElementById('how').textContent})"
    )


async def _queue_reads(page: Page, text: str) -> None:
    await page.wait_for_function("(t) => document.getElementById('queue').textContent === t", arg=text, timeout=20000)


async def _fits_the_phone(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390


async def _cut(network: NetworkRelay, *contexts: BrowserContext) -> None:
    network.cut()
    for context in contexts:
        await context.set_offline(True)


async def _restore(network: NetworkRelay, *contexts: BrowserContext) -> None:
    network.restore()
    for context in contexts:
        await context.set_offline(False)


# --- what the server ends with


async def _admitted(event_id: int) -> dict[int, str]:
    rows = await CheckIn.select(CheckIn.rsvp, CheckIn.gate).where(CheckIn.event == event_id, CheckIn.reverted_at.is_null())
    return {row["rsvp"]: row["gate"] for row in rows}


async def _points(member: Caller) -> int:
    rows = await PointsEntry.select(PointsEntry.delta).where(PointsEntry.member == member.member_id)
    return sum(row["delta"] for row in rows)


async def _ticket_png(server: LiveServer, member: Caller, rsvp_id: int) -> bytes:
    async with server.client(member.token) as http:
        return (await http.get(urls.link(door.TICKET_PNG, rsvp_id=rsvp_id))).content


async def _reissued(server: LiveServer, member: Caller, rsvp_id: int) -> str:
    async with server.client(member.token) as http:
        answer = await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=rsvp_id))
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]


async def test_with_no_network_the_door_reloads_decides_on_the_phone_and_sends_its_queue_when_it_returns(
    server: LiveServer, coordinator: Caller, staff: Caller, tmp_path: Path
) -> None:
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙", venue="上海 · 外滩 18 号", venue_time_zone="Asia/Shanghai")
    names = ["王丽", "李娜", "陈杰", "赵敏"]
    members = [await make_member(name, language="zh-Hans") for name in names]
    rsvps, tokens = [], []
    for member in members:
        rsvp, token = await rsvp_and_ticket(server, member, event["id"])
        assert token is not None
        rsvps.append(rsvp["id"])
        tokens.append(token)
    _, typed, typed_too, reissued = tokens  # the first is shown to the camera
    await _reissued(server, members[3], rsvps[3])  # the old code no longer admits
    video = camera_video(await _ticket_png(server, members[0], rsvps[0]), tmp_path / "ticket.y4m")
    camera = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]

    async with relay(server.base_url) as network, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera])
        try:
            # Online first, before the camera may be used: the list is kept, the page too.
            context = await browser.new_context(**PHONE)
            page = await _open_door(context, network.base_url, event["id"], staff)
            await page.wait_for_selector("#camera-state:not([hidden])")
            assert await page.text_content("#camera-why") == "摄像头：未获授权"
            await page.wait_for_function("document.getElementById('count').textContent === '0 / 4'")
            # Its own worker, for the door pages only (the member pages' /sw.js is another).
            assert await page.evaluate("navigator.serviceWorker.controller.scriptURL.endsWith('/door/sw.js')")
            assert await page.evaluate("navigator.serviceWorker.getRegistration().then((r) => new URL(r.scope).pathname)") == "/door/"
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "door-online-first-load.png"))

            # The network goes; the page reloads from the phone, and now the camera may start.
            await context.grant_permissions(["camera"], origin=network.base_url)
            await _cut(network, context)
            await page.reload()
            await page.wait_for_function("document.getElementById('net').className === 'off'")
            assert (await page.text_content("#net") or "").endswith("起离线")
            assert await page.text_content("#title") == "香水沙龙"  # from the kept list

            # Three admitted: one shown to the camera, two typed (a hardware scanner types them).
            shown = await _answer(page, ADMIT, who="王丽")
            assert shown["kind"] == "ok offline" and shown["how"] == OFFLINE_WORDS
            assert "银卡" in shown["who"]
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "door-offline-admit.png"))
            await _type_code(page, typed)
            await _answer(page, ADMIT, who="李娜")
            await _type_code(page, typed_too)
            await _answer(page, ADMIT, who="陈杰")
            # Refused: a forged code (another RSVP's id under the old signature) and a reissued one.
            await _type_code(page, forged(typed))
            refused = await _answer(page, NOT_VALID, more="这不是有效的入场二维码。")
            assert refused["kind"] == "no offline" and refused["how"] == OFFLINE_WORDS
            await _type_code(page, reissued)
            await _answer(page, NOT_VALID, more="已被新的二维码取代")
            # The phone's own scans count: the same ticket again is already in.
            await _type_code(page, typed)
            again = await _answer(page, ALREADY_IN, who="李娜", more="通道 main")
            assert again["kind"] == "wait offline"
            await _queue_reads(page, "待上传：6")
            assert await page.text_content("#count") == "3 / 4"
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "door-offline-queued.png"))
            assert network.refused > 0 and await _admitted(event["id"]) == {}  # nothing reached the server

            # The queue outlives a reload; the camera, still on the first ticket, knows it is in.
            await page.reload()
            await _answer(page, ALREADY_IN, who="王丽")
            await _queue_reads(page, "待上传：7")

            # The network returns: the queue drains by itself, and the door says what it sent.
            await _restore(network, context)
            await _queue_reads(page, "待上传：0")
            await page.wait_for_function("document.getElementById('net').textContent === '在线'")
            await page.wait_for_function("document.getElementById('notice').textContent.startsWith('已上传 7 次离线扫描')")
            assert "待核对" not in (await page.text_content("#notice") or "")
            await page.wait_for_function("document.getElementById('count').textContent === '3 / 4'")
            await page.click("#notice")  # a tap puts it away
            await page.wait_for_function("document.getElementById('verdict').textContent === '准备就绪'")
            await page.screenshot(path=str(SHOTS / "door-online-ready.png"))
        finally:
            await browser.close()

    assert await _admitted(event["id"]) == {rsvps[0]: "main", rsvps[1]: "main", rsvps[2]: "main"}
    assert [await _points(m) for m in members] == [100, 100, 100, 0]  # attendance points, once each


async def test_two_gates_offline_admit_the_same_tickets_and_the_server_keeps_the_earliest_admission(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    """Gate A admits 周雨 first and 吴昊 second; gate B the other way round. B's scans reach the
    server first, so for 周雨 the server has to put the later admission aside when A's arrives."""
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    zhou, wu = await make_member("周雨"), await make_member("吴昊")
    (zhou_rsvp, zhou_code), (wu_rsvp, wu_code) = [await rsvp_and_ticket(server, m, event["id"]) for m in (zhou, wu)]
    assert zhou_code and wu_code

    async with relay(server.base_url) as network, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            gate_a, gate_b = await browser.new_context(**PHONE), await browser.new_context(**PHONE)
            page_a = await _open_door(gate_a, network.base_url, event["id"], staff, gate="A")
            page_b = await _open_door(gate_b, network.base_url, event["id"], staff, gate="B")
            await _cut(network, gate_a, gate_b)
            for page in (page_a, page_b):
                await page.wait_for_function("document.getElementById('net').className === 'off'")

            for page, code, name in ((page_a, zhou_code, "周雨"), (page_b, wu_code, "吴昊"), (page_b, zhou_code, "周雨"), (page_a, wu_code, "吴昊")):
                await _type_code(page, code)
                await _answer(page, ADMIT, who=name)  # each gate alone knows nothing of the other
                await asyncio.sleep(0.05)  # scans a moment apart, as at two doors
            await _queue_reads(page_a, "待上传：2")
            await _queue_reads(page_b, "待上传：2")

            await _restore(network, gate_b)
            await _queue_reads(page_b, "待上传：0")
            await page_b.wait_for_function("document.getElementById('notice').textContent === '已上传 2 次离线扫描'")
            await _restore(network, gate_a)
            await _queue_reads(page_a, "待上传：0")
            # A's admission of 吴昊 came after B's: A's door staff are told, with the count.
            await page_a.wait_for_function("document.getElementById('notice').textContent.includes('待核对')")
            assert await page_a.text_content("#notice") == "已上传 2 次离线扫描 · 待核对：重复入场 1"
            await _fits_the_phone(page_a)
            await page_a.screenshot(path=str(SHOTS / "door-after-sync-conflicts.png"))
            await page_a.reload()  # the gate is the phone's, not the page load's
            await page_a.wait_for_function("document.getElementById('net').textContent === '在线'")
            assert await page_a.input_value("#gate") == "A"
        finally:
            await browser.close()

    # One admission per ticket, the earliest: 周雨 at gate A, 吴昊 at gate B; points once each.
    assert await _admitted(event["id"]) == {zhou_rsvp["id"]: "A", wu_rsvp["id"]: "B"}
    assert (await _points(zhou), await _points(wu)) == (100, 100)
    async with server.client(coordinator.token) as http:
        conflicts = (await http.get(f"/api/events/{event['id']}/door-conflicts")).json()
    assert sorted((c["kind"], c["rsvp_id"], c["gate"]) for c in conflicts) == sorted(
        [("duplicate", zhou_rsvp["id"], "B"), ("duplicate", wu_rsvp["id"], "A")]
    )


async def test_a_network_that_never_answers_costs_a_scan_three_seconds_then_the_phone_decides(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    member = await make_member("孙悦")
    rsvp, code = await rsvp_and_ticket(server, member, event["id"])
    assert code

    async with relay(server.base_url) as network, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)
            page = await _open_door(context, network.base_url, event["id"], staff)
            network.hang()  # the browser still says online: only the wait tells
            started = time.monotonic()
            await _type_code(page, code)
            shown = await _answer(page, ADMIT, who="孙悦")
            waited = time.monotonic() - started
            assert 2.5 < waited < 5, waited
            assert shown["kind"] == "ok offline"
            assert await page.text_content("#net") != "在线"
            await _queue_reads(page, "待上传：1")
            # Once the network answers again, the phone finds out by itself and sends the scan.
            network.restore()
            await _queue_reads(page, "待上传：0")
        finally:
            await browser.close()
    assert await _admitted(event["id"]) == {rsvp["id"]: "main"}
    assert await _points(member) == 100


async def test_a_camera_that_cannot_start_says_why_and_the_typed_code_still_admits(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    member = await make_member("钱程")
    _, code = await rsvp_and_ticket(server, member, event["id"])
    assert code

    async with async_playwright() as p:
        # A phone with a camera that the door was not allowed to use.
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"])
        try:
            page = await _open_door(await browser.new_context(**PHONE), server.base_url, event["id"], staff)
            await page.wait_for_selector("#camera-state:not([hidden])")
            assert await page.text_content("#camera-why") == "摄像头：未获授权"
            assert "请使用扫码枪，或在上方输入编码。" in (await page.text_content("#camera-state") or "")
            assert await page.evaluate("document.activeElement.id") == "code"  # ready for the scanner's typing
            await _type_code(page, code)
            shown = await _answer(page, ADMIT, who="钱程", more="+100 积分")
            assert shown["kind"] == "ok" and shown["how"] == ""  # decided by the server: no offline words
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "door-camera-error.png"))
            # Allowed, the same camera starts and the notice goes.
            allowed = await browser.new_context(**PHONE, permissions=["camera"])
            page = await _open_door(allowed, server.base_url, event["id"], staff)
            await page.wait_for_function("document.getElementById('camera').style.display === 'block'")
            assert await page.is_hidden("#camera-state")
        finally:
            await browser.close()
        # A phone with no camera at all.
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await _open_door(await browser.new_context(**PHONE, permissions=["camera"]), server.base_url, event["id"], staff)
            await page.wait_for_selector("#camera-state:not([hidden])")
            assert await page.text_content("#camera-why") == "摄像头：本机未发现摄像头"
        finally:
            await browser.close()


# The decisions in the page, on real tickets and the real list: the signature with both engines,
# and checkin.rules.decide_scan's order, each case the list changed in one way.
_DECISIONS = """
async ({tokens, forgedCode, list}) => {
  const core = window.door.core;
  const key = core.base64urlBytes(list.public_key.raw);
  const checks = {};
  for (const engine of ["webcrypto", "noble"]) {
    const verifier = await core.makeVerifier(key, engine);
    const genuine = [];
    for (const token of tokens) {
      const t = core.readTicket(token);
      genuine.push([t.eventId, t.rsvpId, t.version, await verifier.verify(t.signature, t.payload)]);
    }
    const f = core.readTicket(forgedCode);
    checks[engine] = {engine: verifier.engine, genuine, forged: await verifier.verify(f.signature, f.payload),
                      judged: (await core.judge(forgedCode, core.indexList(list), verifier, new Map(), Date.now())).result};
  }
  const claims = core.readTicket(tokens[0]);
  const rsvp = claims.rsvpId;
  const open = Date.parse(list.opens_at) + 60000;
  const decide = (patch, {c = claims, here = new Map(), now = open, item = null} = {}) =>
    core.decideOffline(c, core.indexList({...list, ...patch}), here, now, item).result;
  const only = (changed) => list.tickets.map((t) => (t.rsvp_id === rsvp ? {...t, ...changed} : t));
  const refusedAs = (reason) => ({tickets: list.tickets.filter((t) => t.rsvp_id !== rsvp), refused: [{rsvp_id: rsvp, version: 1, reason}]});
  const leg = (opensIn, departsIn) => ({meeting_points: [{id: 5, title: "Bus", place: "", meeting_point: "", time_zone: "UTC",
    starts_at: new Date(Date.now() + departsIn).toISOString(), starts_local: "", opens_at: new Date(Date.now() + opensIn).toISOString()}]});
  return {
    checks,
    read: {lower: core.readTicket("  " + tokens[0].toLowerCase() + "\\n")?.rsvpId === rsvp, garbage: core.readTicket("NOT-A-TICKET")},
    admitted: decide({}),
    wrongEvent: decide({event_id: list.event_id + 1}),
    reissued: decide({tickets: only({version: 2})}),
    newerThanTheList: decide({}, {c: {...claims, version: 2}}),
    reissuedAndCancelled: decide({tickets: only({version: 2}), status: "cancelled"}),
    eventCancelled: decide({status: "cancelled"}),
    cancelledRsvp: decide(refusedAs("cancelled")),
    suspended: decide(refusedAs("suspended")),
    waitlisted: decide(refusedAs("not_confirmed")),
    notOnTheList: decide({tickets: [], refused: []}),
    inByTheList: decide({admitted: [{rsvp_id: rsvp, item: null, checked_in_at: new Date().toISOString(), gate: "B"}]}),
    inByThisPhone: decide({}, {here: new Map([[String(rsvp), {at: Date.now(), gate: "A"}]])}),
    inAtAnotherLeg: decide({...leg(-60000, 3600000), admitted: [{rsvp_id: rsvp, item: 9, checked_in_at: new Date().toISOString(), gate: ""}]}, {item: 5, now: Date.now()}),
    beforeOpening: decide({}, {now: Date.parse(list.opens_at) - 1}),
    afterClosing: decide({}, {now: Date.parse(list.closes_at) + 1}),
    legNotOpen: decide(leg(60000, 3600000), {item: 5, now: Date.now()}),
    legDeparted: decide(leg(-7200000, -1000), {item: 5, now: Date.now()}),
    atTheLeg: decide(leg(-60000, 3600000), {item: 5, now: Date.now()}),
    scannedAt: /^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d$/.test(core.withOffset(Date.now())),
  };
}
"""


async def test_the_page_reads_tickets_checks_signatures_with_webcrypto_and_the_vendored_library_and_decides_in_order(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    pairs = [await rsvp_and_ticket(server, await make_member(name), event["id"]) for name in ("林夕", "许诺")]
    tokens = [token for _, token in pairs]
    async with server.client(staff.token) as http:
        door_list = (await http.get(urls.link(door.DOOR_LIST, event_id=event["id"]))).json()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await _open_door(await browser.new_context(**PHONE), server.base_url, event["id"], staff)
            await page.wait_for_function("window.door && window.door.index !== null")
            seen = await page.evaluate(_DECISIONS, {"tokens": tokens, "forgedCode": forged(tokens[0]), "list": door_list})
            # The page picked WebCrypto by itself: Chromium has Ed25519.
            assert await page.evaluate("window.door.verifier.engine") == "webcrypto"
        finally:
            await browser.close()

    expected = [[event["id"], rsvp["id"], 1, True] for rsvp, _ in pairs]
    for engine in ("webcrypto", "noble"):
        assert seen["checks"][engine] == {"engine": engine, "genuine": expected, "forged": False, "judged": "invalid"}
    assert seen.pop("checks") and seen.pop("read") == {"lower": True, "garbage": None}
    assert seen == {
        "admitted": "admitted", "wrongEvent": "wrong_event", "reissued": "invalid", "newerThanTheList": "admitted",
        "reissuedAndCancelled": "invalid", "eventCancelled": "cancelled", "cancelledRsvp": "cancelled",
        "suspended": "suspended", "waitlisted": "not_confirmed", "notOnTheList": "not_confirmed",
        "inByTheList": "already_checked_in", "inByThisPhone": "already_checked_in", "inAtAnotherLeg": "admitted",
        "beforeOpening": "not_open", "afterClosing": "closed", "legNotOpen": "not_open", "legDeparted": "departed",
        "atTheLeg": "admitted", "scannedAt": True,
    }


async def test_a_door_without_its_list_says_it_cannot_check_offline_and_refuses_nobody(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    """Three days ahead the door list is not out yet (door staff get it from a day before check-in
    opens): the page says so, and with no network it cannot decide, in amber, queuing nothing."""
    from datetime import UTC, datetime, timedelta

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    event = await door_open_event(server, coordinator, title="香水沙龙", starts_at=start.isoformat(),
                                  ends_at=(start + timedelta(hours=2)).isoformat())
    _, code = await rsvp_and_ticket(server, await make_member("郑好"), event["id"])
    assert code

    async with relay(server.base_url) as network, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)
            page = await context.new_page()
            await page.goto(f"{network.base_url}/door/{event['id']}#token={staff.token}")
            await page.wait_for_function("document.getElementById('list-age').textContent === '入口名单尚未开放下载'")
            await _cut(network, context)
            await page.wait_for_function("document.getElementById('net').className === 'off'")
            await _type_code(page, code)
            shown = await _answer(page, "无法离线查验", more="请先联网一次，下载入口名单。")
            assert shown["kind"] == "wait" and shown["how"] == ""
            assert await page.text_content("#queue") == "待上传：0"
        finally:
            await browser.close()


async def test_a_long_queue_goes_in_batches_and_one_ticket_scanned_at_many_gates_admits_once(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    """250 scans of one ticket waiting on the phone (more than a batch holds): they drain in two
    batches; the server keeps the earliest as the admission, the rest as duplicates, points once."""
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    member = await make_member("冯远")
    rsvp, code = await rsvp_and_ticket(server, member, event["id"])
    assert code
    batches: list[int] = []

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await _open_door(await browser.new_context(**PHONE), server.base_url, event["id"], staff)
            page.on("request", lambda r: batches.append(len(r.post_data_json["scans"])) if r.url.endswith("/scan-batches") else None)
            await page.evaluate(
                """async ({code, eventId, rsvpId}) => {
                  const version = new URL(document.querySelector("script[type=module]").src).searchParams.get("v");
                  const store = await import(`/door-static/door-store.js?v=${version}`);
                  const first = Date.now() - 60000;
                  for (let n = 0; n < 250; n++) {
                    const at = first + n * 100;
                    await store.keepScan({nonce: `long-queue-${n}`, event_id: eventId, token: code, rsvp_id: rsvpId, item: null,
                                          gate: `G${n % 5}`, at, scanned_at: window.door.core.withOffset(at), result: "admitted", sent: 0});
                  }
                  await window.door.sync();
                }""",
                {"code": code, "eventId": event["id"], "rsvpId": rsvp["id"]},
            )
            await _queue_reads(page, "待上传：0")
            assert await page.text_content("#notice") == "已上传 250 次离线扫描 · 待核对：重复入场 249"
        finally:
            await browser.close()
    assert batches == [200, 50]
    assert await _admitted(event["id"]) == {rsvp["id"]: "G0"}  # the earliest
    assert await _points(member) == 100


async def test_on_an_insecure_page_the_door_says_why_the_camera_cannot_start_and_never_calls_a_ticket_forged(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    """The door opened over plain http by a name (not this machine's loopback): the browser gives
    such a page no camera, no service worker and no WebCrypto. The camera says so, the typed code
    admits online, and with no network the page says it cannot check rather than refusing."""
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    (_, first), (_, second) = [await rsvp_and_ticket(server, await make_member(n), event["id"]) for n in ("韩梅", "曹阳")]
    assert first and second

    async with relay(server.base_url) as network, async_playwright() as p:
        port = urlsplit(network.base_url).port
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--host-resolver-rules=MAP door.test 127.0.0.1"],
        )
        try:
            context = await browser.new_context(**PHONE, permissions=["camera"])
            page = await context.new_page()
            await page.goto(f"http://door.test:{port}/door/{event['id']}#token={staff.token}")
            await page.wait_for_selector("#camera-state:not([hidden])")
            assert await page.text_content("#camera-why") == "摄像头：需要安全连接（https）"
            assert not await page.evaluate("window.isSecureContext || 'serviceWorker' in navigator")
            await page.wait_for_function("document.getElementById('list-age').textContent === '名单刚刚更新'")
            await _type_code(page, first)
            await _answer(page, ADMIT, who="韩梅", more="+100 积分")
            await _cut(network, context)
            await page.wait_for_function("document.getElementById('net').className === 'off'")
            await _type_code(page, second)
            shown = await _answer(page, "无法离线查验")
            assert shown["kind"] == "wait" and await page.text_content("#queue") == "待上传：0"
        finally:
            await browser.close()
