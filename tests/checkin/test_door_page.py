"""The door page in a real headless Chromium: it reads a real ticket image and shows the answer.

Chromium is Debian's package (scripts/test installs it). Outside CI a machine without it skips
this test with a reason; in CI (CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
from datetime import timedelta

import pytest

from checkin import urls as door
from events import urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# scripts/test says why when it could not install it (apt busy past its wait, no package).
WHY_NO_CHROMIUM = os.environ.get("CHROMIUM_UNAVAILABLE") or "Debian's chromium is not installed (scripts/test installs it as root)"
if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(WHY_NO_CHROMIUM, allow_module_level=True)

# Flags for a closed network: no background calls that would be refused, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


async def test_the_door_page_scans_a_ticket_image_and_a_typed_code(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="Tasting at the cellar")
    member = await make_member("Isabelle Girard")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    async with server.client(member.token) as http:
        png = (await http.get(urls.link(door.TICKET_PNG, rsvp_id=rsvp["id"]))).content
        token = (await http.get(urls.link(door.TICKET, rsvp_id=rsvp["id"]))).json()["token"]
    data_url = "data:image/png;base64," + base64.b64encode(png).decode()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(f"{server.base_url}/door/{event['id']}#token={staff.token}")
            await page.wait_for_function("document.getElementById('title').textContent.includes('Tasting')")
            # When and where, on the venue's clock, from the door view (staff read no more of it).
            await page.wait_for_function("document.getElementById('where').textContent.includes('rue Cambon')")
            starts, ends = event["starts_local"][11:16], event["ends_local"][11:16]
            assert await page.text_content("#where") == f"{starts}–{ends} · Maison, 12 rue Cambon"
            # The camera path: decode the ticket picture in the page, then scan what it read.
            decoded = await page.evaluate("(url) => window.scanImage(url)", data_url)
            assert decoded == token
            await page.wait_for_function("document.getElementById('verdict').textContent === 'Admit'")
            assert await page.get_attribute("#answer", "class") == "ok"
            assert "Isabelle Girard" in await page.text_content("#who")
            assert "+100 points" in await page.text_content("#more")
            assert await page.text_content("#count") == "1 / 1"
            # A hardware scanner types the code and Enter: the same ticket is already in.
            await page.fill("#code", token)
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === 'Already in'")
            assert "gate main" in await page.text_content("#more")
            # And a garbled code shows red.
            await page.fill("#code", "NOT-A-TICKET")
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === 'Not a valid ticket'")
            assert await page.get_attribute("#answer", "class") == "no"
            # The staff token stayed in the fragment: it never reached the server's URL.
            assert "token=" not in page.url
        finally:
            await browser.close()


async def test_the_door_page_at_a_meeting_point_admits_for_that_leg(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import async_playwright

    from checkin.tables import CheckIn
    from tests.travel.helpers import add_item, at, trip

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    start = at(minutes=50)
    event = await trip(server, coordinator, starts=start, days=3, title="Source of the Yellow River")
    bus = await add_item(server, coordinator, event["id"], start, is_checkpoint=True, title="Bus to Maduo")
    boat = await add_item(server, coordinator, event["id"], start + timedelta(hours=1), is_checkpoint=True, title="Boat")
    member = await make_member("Chen Jie")
    _, token = await rsvp_and_ticket(server, member, event["id"])
    assert token

    async def scan_at(page, item_id: int, leg: str) -> None:  # type: ignore[no-untyped-def]
        await page.goto(f"{server.base_url}/door/{event['id']}?item={item_id}#token={staff.token}")
        await page.wait_for_function("document.getElementById('title').textContent.includes('Yellow River')")
        await page.wait_for_function(f"document.getElementById('where').textContent.startsWith({leg!r})")
        assert f"item={item_id}" in page.url and "token=" not in page.url  # the leg stays, the token goes
        await page.fill("#code", token)
        await page.press("#code", "Enter")
        await page.wait_for_function("document.getElementById('verdict').textContent === 'Admit'")

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await scan_at(page, bus["id"], "Bus to Maduo · ")
            await scan_at(page, boat["id"], "Boat · ")  # the same ticket, the next leg: admitted again
        finally:
            await browser.close()
    legs = await CheckIn.select(CheckIn.itinerary_item).where(CheckIn.event == event["id"]).order_by(CheckIn.id)
    assert [r["itinerary_item"] for r in legs] == [bus["id"], boat["id"]]


async def test_the_door_page_shows_a_suspended_membership_in_red_with_its_reason(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import async_playwright

    from club import urls as club_urls

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="Tasting at the cellar")
    member = await make_member("Paul Moreau")
    _, token = await rsvp_and_ticket(server, member, event["id"])
    async with server.client(coordinator.token) as http:
        suspended = await http.post(club_urls.MEMBER_SUSPEND.replace("{member_id:int}", str(member.member_id)))
        assert suspended.status_code == 200

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(f"{server.base_url}/door/{event['id']}#token={staff.token}")
            await page.wait_for_function("document.getElementById('title').textContent.includes('Tasting')")
            await page.fill("#code", token)  # type: ignore[arg-type]
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === 'Membership suspended'")
            assert await page.get_attribute("#answer", "class") == "no"
            assert "Paul Moreau" in await page.text_content("#who")
            assert "Not admitted" in await page.text_content("#more")
            assert await page.text_content("#count") == "0 / 1"
        finally:
            await browser.close()


async def test_the_door_page_speaks_the_phones_language(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    """A door phone set to Chinese gets the page in Chinese, at phone size; green, amber and red keep their words."""
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙")
    member = await make_member("王丽")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    async with server.client(member.token) as http:
        token = (await http.get(urls.link(door.TICKET, rsvp_id=rsvp["id"]))).json()["token"]

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
            response = await page.goto(f"{server.base_url}/door/{event['id']}#token={staff.token}")
            assert response is not None and response.headers["content-language"] == "zh-Hans"
            assert await page.get_attribute("html", "lang") == "zh-Hans"
            await page.wait_for_function("document.getElementById('title').textContent.includes('香水沙龙')")
            assert await page.text_content("#verdict") == "准备就绪"
            assert await page.get_attribute("#code", "placeholder") == "扫描或输入入场二维码"
            assert await page.text_content("#manual button") == "查验"
            await page.fill("#code", token)
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === '欢迎入场'")
            assert await page.get_attribute("#answer", "class") == "ok"
            assert "王丽 · 银卡" in await page.text_content("#who")  # the default ladder's Silver, in the glossary's word
            assert "+100 积分" in await page.text_content("#more")
            await page.screenshot(path="/tmp/door_zh.png")
            await page.fill("#code", token)
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === '已签到'")
            assert await page.get_attribute("#answer", "class") == "wait"
            assert "已入场 · 通道 main" in await page.text_content("#more")
            await page.fill("#code", "NOT-A-TICKET")
            await page.press("#code", "Enter")
            await page.wait_for_function("document.getElementById('verdict').textContent === '无效的入场二维码'")
            assert await page.get_attribute("#answer", "class") == "no"
        finally:
            await browser.close()


async def test_the_door_installs_as_its_own_app_with_a_worker_for_the_door_pages_and_a_manifest_for_its_event(
    server: LiveServer,
) -> None:
    """The door's worker is not the member pages' (/sw.js, scope /): it is served at /door/sw.js, so
    it may control only the door pages, and it names every file it keeps by the door's version."""
    import re

    from PIL import Image

    from checkin.door_app import DOOR_VERSION

    async with server.client() as http:
        page = await http.get("/door/12", headers={"Accept-Language": "zh-CN"})
        assert '<link id="manifest" rel="manifest" href="/door/manifest.webmanifest">' in page.text
        assert "{DOOR_VERSION}" not in page.text and f'src="/door-static/door.js?v={DOOR_VERSION}"' in page.text
        worker = await http.get("/door/sw.js")
        assert worker.status_code == 200 and worker.headers["content-type"].startswith("text/javascript")
        assert worker.headers["cache-control"] == "no-cache" and f'const VERSION = "{DOOR_VERSION}"' in worker.text
        kept = re.findall(r'"(/door-static/[^"]+)"', worker.text)
        assert "/door-static/door.js" in kept and "/door-static/vendor/noble-ed25519.js" in kept
        for path in kept:
            assert (await http.get(f"{path}?v={DOOR_VERSION}")).status_code == 200, path

        manifest = await http.get("/door/manifest.webmanifest?event=12&item=5", headers={"Accept-Language": "zh-CN"})
        assert manifest.headers["content-type"].startswith("application/manifest+json")
        app = manifest.json()
        assert (app["name"], app["lang"], app["start_url"], app["scope"], app["display"]) == (
            "入口签到", "zh-Hans", "/door/12?item=5", "/door", "standalone"
        )
        for icon in app["icons"]:
            image = await http.get(icon["src"])
            assert image.headers["content-type"] == "image/png"
            width, height = Image.open(io.BytesIO(image.content)).size
            assert f"{width}x{height}" == icon["sizes"]
        assert (await http.get("/door/manifest.webmanifest?event=0")).status_code == 400
