"""A member's week on the club's pages, in Debian's Chromium at 390x844, in zh-Hans.

She signs in with the code the outbox holds, is refused a Gold salon as a Silver member (its
reason on the page), joins a full salon's waitlist, is promoted when the holder cancels (the open
page shows it), opens her ticket, and the door page decodes the QR from a screenshot of it with
its real decoder (the vendored jsQR) and admits her through the door API. With the network cut
the ticket still opens. Another member's ticket answers 404.

Screenshots are left in /tmp (member_week_*.png) to look at; none is committed.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

from club import clock
from events import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.checkin.helpers import door_open_event
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.pages import latest_code

skip_without_chromium()

SHOTS = Path("/tmp")
# The worker controls the ticket page and keeps its copy: what a member has once they opened it.
_KEPT = """async () => navigator.serviceWorker.controller !== null
  && !!(await (await caches.open("club-tickets-v1")).match(location.pathname))"""


async def test_a_members_week_on_her_phone(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    start = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=6)
    gold = await published_event(
        server, coordinator, title="高级珠宝鉴赏沙龙", venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(), min_tier="Gold",
    )
    # Tonight's salon, its doors open, one seat, already held.
    salon = await door_open_event(
        server, coordinator, title="香氛沙龙", venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai", capacity=1,
    )
    holder = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai")
    async with server.client(holder.token) as http:
        held = (await http.post(urls.link(urls.EVENT_RSVP, event_id=salon["id"]), json={})).json()
    assert held["status"] == "confirmed"
    li = await make_member("李娜", email="li.na@members.test", language="zh-Hans", time_zone="Asia/Shanghai")
    assert li.member_id is not None

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))

            # Signing in: the club's front door sends her to sign in; the code comes by e-mail.
            await page.goto(f"{server.base_url}/")
            assert page.url.startswith(f"{server.base_url}/sign-in")
            assert await page.text_content("h1") == "登录"
            await page.fill("#address", "li.na@members.test")
            await page.click("button[type=submit]")
            await page.wait_for_selector("#code")
            await page.screenshot(path=str(SHOTS / "member_week_code.png"), full_page=True)
            await page.fill("#code", await latest_code(li.member_id))
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{server.base_url}/")
            assert "尊敬的李娜" in await page.inner_text("h1")
            assert "银卡" in await page.inner_text("main")

            # The Gold salon is not hers, and the page says why and what would change it.
            await page.goto(f"{server.base_url}/events")
            reason = "此活动面向金卡及以上会员。您目前为银卡，距金卡还差 1,000 积分。"
            assert reason in await page.locator(".event-item", has_text="高级珠宝鉴赏沙龙").inner_text()
            await page.goto(f"{server.base_url}/events/{gold['id']}")
            assert reason in await page.inner_text("main")
            await page.screenshot(path=str(SHOTS / "member_week_refused.png"), full_page=True)

            # Tonight's salon is full: she joins its waitlist.
            await page.goto(f"{server.base_url}/events/{salon['id']}")
            await page.click("form.rsvp button[type=submit]")
            await page.wait_for_selector("#mine .status.warn")
            assert "候补第 1 位" in await page.inner_text("#mine")
            await page.screenshot(path=str(SHOTS / "member_week_waitlisted.png"), full_page=True)

            # The holder gives her seat back; the open page shows the promotion by itself.
            async with server.client(holder.token) as http:
                assert (await http.delete(urls.link(urls.RSVP, rsvp_id=held["id"]))).status_code == 200
            await page.wait_for_selector("#mine .status.good", timeout=40_000)
            assert "已确认" in await page.inner_text("#mine")

            # Her ticket: a large QR, black on white, with her name.
            await page.click("#mine a[href^='/tickets/']")
            await page.wait_for_selector("#qr")
            ticket_url = page.url
            assert await page.text_content("#who") == "李娜"
            token = await page.text_content("#code")
            await page.wait_for_function(_KEPT, timeout=15_000)
            await page.screenshot(path=str(SHOTS / "member_week_ticket.png"), full_page=True)
            shot = await page.locator("#qr").screenshot()

            # At the door: the door page reads the screenshot with its own decoder and scans it.
            door = await context.new_page()
            await door.goto(f"{server.base_url}/door/{salon['id']}#token={staff.token}")
            await door.wait_for_function("document.getElementById('title').textContent.includes('香氛沙龙')")
            decoded = await door.evaluate("(url) => window.scanImage(url)", "data:image/png;base64," + base64.b64encode(shot).decode())
            assert decoded == token
            await door.wait_for_function("document.getElementById('verdict').textContent === '欢迎入场'")
            assert "李娜" in (await door.text_content("#who") or "")
            await door.screenshot(path=str(SHOTS / "member_week_door.png"), full_page=True)
            await door.close()

            # Another member's ticket is not hers to see.
            other = await page.goto(f"{server.base_url}/tickets/{held['id']}")
            assert other is not None and other.status == 404
            assert "李娜" not in await page.inner_text("main") and "王芳" not in await page.inner_text("main")

            # Later, underground with no network: the ticket still opens. The worker is woken first
            # (a style sheet read through it), as a phone's would be by its last visit.
            await page.goto(ticket_url)
            await page.wait_for_function(_KEPT, timeout=15_000)
            assert await page.evaluate("fetch('/static/club.css').then((answer) => answer.ok)")
            await context.set_offline(True)
            await page.reload()
            assert await page.text_content("#who") == "李娜"
            assert await page.text_content("#code") == token
            assert await page.is_visible("#offline")
            await page.screenshot(path=str(SHOTS / "member_week_offline.png"), full_page=True)

            # Every request stayed on the club's own host.
            assert all(url.startswith((server.base_url, "data:")) for url in requested), [
                url for url in requested if not url.startswith((server.base_url, "data:"))
            ]
        finally:
            await browser.close()
