"""The member's ticket page in Debian's Chromium at 390x844, in zh-Hans: its QR, read from a
screenshot by a real decoder (the door page's vendored jsQR), is admitted by the door API; once
opened, the page still shows with the network cut (the service worker's kept copy), and a
reissued ticket replaces the kept one.

Screenshots are left in /tmp (ticket_page_*.png) to look at; none is committed.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from checkin import urls as door
from checkin.routes import STATIC
from events import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.web.signed_in_member import session_cookie_of, signed_in

skip_without_chromium()

SHOTS = Path("/tmp")
JSQR = STATIC / "vendor" / "jsQR.js"

# Read a QR from a PNG (a screenshot of the ticket as the phone shows it), as the door's camera does.
_DECODE = """async (url) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const hit = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
  return hit ? hit.data : null;
}"""
# The worker controls the page and keeps its copy (what a member has once they opened it).
_KEPT = """async () => navigator.serviceWorker.controller !== null
  && !!(await (await caches.open("club-tickets-v1")).match(location.pathname))"""


async def _phone(browser: Any, server: LiveServer, cookie: str, **options: Any) -> Any:
    context = await browser.new_context(**{**PHONE, **options})
    await context.add_cookies([{"name": "club_session", "value": cookie, "url": server.base_url}])
    return context


async def _reload_offline(page: Any) -> None:
    """Cut the network and open the page again. The worker is woken first (a style sheet read
    through it): a worker still starting when a navigation comes may be skipped by Chromium for
    the network, which is the cut we test against, not the kept copy."""
    from playwright.async_api import Error

    assert await page.evaluate("fetch(document.querySelector('link[rel=stylesheet]').href).then((answer) => answer.ok)")
    url = page.url  # a failed navigation leaves the page on Chromium's error page
    await page.context.set_offline(True)
    try:
        await page.reload()
    except Error as exc:
        # On a loaded machine the worker can still miss the navigation's start-up deadline; a
        # member would open the page again. A second miss is a real failure.
        if "ERR_FAILED" not in str(exc) and "ERR_INTERNET_DISCONNECTED" not in str(exc):
            raise
        # The failed reload goes on to Chromium's error page: opening the page before it is
        # there is cut short by it ("interrupted by another navigation"), which is no answer.
        try:
            await page.wait_for_url(lambda at: at.startswith("chrome-error://"), timeout=5_000)
        except Error:
            pass  # it never went there: nothing to wait for
        await page.goto(url)


async def _read_qr(page: Any) -> str | None:
    """The code a camera reads off the ticket on the screen."""
    shot = await page.locator(".ticket img").screenshot()
    if not await page.evaluate("typeof jsQR === 'function'"):
        await page.add_script_tag(path=str(JSQR))
    return await page.evaluate(_DECODE, "data:image/png;base64," + base64.b64encode(shot).decode())


async def test_the_qr_on_the_ticket_page_is_read_by_a_real_decoder_and_admitted_at_the_door(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香氛沙龙", venue="外滩源一号", venue_time_zone="Asia/Shanghai")
    async with signed_in(server, "王美") as (member, client):
        rsvp, token = await rsvp_and_ticket(server, member, event["id"])
        cookie = session_cookie_of(client)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await _phone(browser, server, cookie)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            answer = await page.goto(f"{server.base_url}/tickets/{rsvp['id']}")
            assert answer is not None and answer.status == 200
            assert await page.text_content("h1") == "您的入场二维码"
            assert await page.text_content("#who") == "王美"
            assert await page.text_content(".event-title") == "香氛沙龙"
            assert await page.text_content("#venue") == "外滩源一号"
            assert "请调高屏幕亮度" in (await page.text_content(".brightness") or "")
            assert await page.is_hidden("#offline")
            # Large: the QR fills the phone's width, less the margins; nothing is wider than the screen.
            box = await page.locator(".ticket img").bounding_box()
            assert box is not None and box["width"] >= 300
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "ticket_page_light.png"), full_page=True)
            # Nothing from another host.
            assert all(url.startswith((server.base_url, "data:")) for url in requested), requested

            read = await _read_qr(page)
            assert read == token
            await context.close()

            # In dark mode the ticket stays black on white, and still reads.
            dark = await _phone(browser, server, cookie, color_scheme="dark")
            page = await dark.new_page()
            await page.goto(f"{server.base_url}/tickets/{rsvp['id']}")
            assert await page.evaluate("getComputedStyle(document.querySelector('.ticket')).backgroundColor") == "rgb(255, 255, 255)"
            await page.screenshot(path=str(SHOTS / "ticket_page_dark.png"), full_page=True)
            assert await _read_qr(page) == token
            await dark.close()
        finally:
            await browser.close()

    async with server.client(staff.token) as http:
        admitted = await scan(http, event["id"], read)
    assert admitted["result"] == "admitted" and admitted["member"]["name"] == "王美"


async def test_the_ticket_shows_offline_once_opened_and_a_reissued_ticket_replaces_the_kept_one(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import Error, async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="高级珠宝鉴赏", venue="外滩源一号", venue_time_zone="Asia/Shanghai")
    other_event = await door_open_event(server, coordinator, title="另一场活动")
    async with signed_in(server, "林晓") as (member, client):
        rsvp, first_token = await rsvp_and_ticket(server, member, event["id"])
        never_opened, _ = await rsvp_and_ticket(server, member, other_event["id"])
        cookie = session_cookie_of(client)
    ticket_url = f"{server.base_url}/tickets/{rsvp['id']}"

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await _phone(browser, server, cookie)
            page = await context.new_page()
            await page.goto(ticket_url)
            assert await page.text_content("#code") == first_token
            await page.wait_for_function(_KEPT, timeout=15_000)

            # The network is cut: the ticket still shows, whole (its style sheet too), and says
            # it is the kept copy.
            await _reload_offline(page)
            assert await page.text_content("#who") == "林晓"
            assert await page.text_content("#code") == first_token
            assert await page.is_visible("#offline")
            assert "离线" in (await page.text_content("#offline") or "")
            assert await page.evaluate("getComputedStyle(document.querySelector('.ticket')).backgroundColor") == "rgb(255, 255, 255)"
            await page.screenshot(path=str(SHOTS / "ticket_page_offline.png"), full_page=True)
            assert await _read_qr(page) == first_token
            # The control: a ticket page never opened is not there offline, so the network is really cut.
            try:
                await page.goto(f"{server.base_url}/tickets/{never_opened['id']}")
                raise AssertionError("a page never opened showed offline: the network was not cut")
            except Error as refused:
                assert "ERR_INTERNET_DISCONNECTED" in str(refused) or "ERR_FAILED" in str(refused), refused

            # Back online, the coordinator reissues the ticket; the member opens the page again.
            await context.set_offline(False)
            async with server.client(coordinator.token) as http:
                reissued = await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=rsvp["id"]))
            assert reissued.status_code == 200, reissued.text
            new_token = reissued.json()["token"]
            assert new_token != first_token
            await page.goto(ticket_url)
            assert await page.text_content("#code") == new_token

            # Offline again: the kept copy is the new ticket; the old code is gone from it.
            await _reload_offline(page)
            assert await page.text_content("#code") == new_token
            assert first_token not in await page.content()
            assert await _read_qr(page) == new_token

            # Signing out forgets the kept tickets: a shared phone keeps nobody's ticket.
            await context.set_offline(False)
            await page.goto(ticket_url)
            await page.get_by_role("button", name="退出登录").click()
            await page.wait_for_url("**/sign-in")
            await page.wait_for_function("""async () => !(await (await caches.open("club-tickets-v1")).keys())
              .some((key) => new URL(key.url).pathname.startsWith("/tickets/"))""", timeout=5_000)
            await context.close()
        finally:
            await browser.close()

    # The door agrees: the old code no longer admits, the new one does.
    async with server.client(staff.token) as http:
        old = await scan(http, event["id"], first_token)
        new = await scan(http, event["id"], new_token)
    assert old["result"] != "admitted"
    assert new["result"] == "admitted"
