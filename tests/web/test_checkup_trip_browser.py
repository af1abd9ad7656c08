"""The check-up and trip pages in Debian's Chromium at 390x844, in zh-Hans: a member signs in with
the code from the outbox, books a Shanghai clinic's time by tapping it, reads the booking with its
preparation, then opens their trip with its itinerary and masked passports. Nothing is fetched
from another host, and nothing is wider than the phone.

Screenshots are left in /tmp (checkup_*.png, trip_*.png) to look at; none is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.pages import latest_code
from tests.web.test_checkup_pages import _shanghai_programme
from tests.web.test_trip_pages import NUMBER, _a_trip_with_two_legs, _member_on_the_trip

skip_without_chromium()

SHOTS = Path("/tmp")


async def _fits_the_phone(page: Any) -> None:
    """No sideways scrolling at 390 px: the page is as wide as the screen."""
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_a_member_books_a_check_up_and_reads_their_trip_on_a_phone(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    prog, first, _ = await _shanghai_programme(server, coordinator)
    event = await _a_trip_with_two_legs(server, coordinator)
    member, _ = await _member_on_the_trip(server, event, email="wang@members.test")
    host = urlsplit(server.base_url).netloc
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)
            page = await context.new_page()
            elsewhere: list[str] = []
            page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).netloc not in (host, "") else None)

            await page.goto(f"{server.base_url}/check-ups")
            await page.fill("#address", "wang@members.test")
            await page.click("button[type=submit]")
            await page.wait_for_selector("#code")
            await page.fill("#code", await latest_code(member.member_id or 0))
            await page.click("main button[type=submit]")
            await page.wait_for_url(f"{server.base_url}/check-ups")

            # The member lives on Shanghai's clock, as the clinic does: its times need no city.
            listing = await page.text_content("main")
            assert "08:00" in listing and "上海时间" not in listing
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "checkup_list.png"), full_page=True)
            # Tap the first time (its whole row is the label), then the one primary button.
            await page.click(f"label.slot:has(input[value='{first['id']}'])")
            assert await page.is_checked(f"input[value='{first['id']}']")
            await page.click(f"form[action='/check-ups/{prog['id']}/book'] button[type=submit]")
            await page.wait_for_selector(".notice")
            main = await page.text_content("main")
            assert "您的预约已确认" in main and "请空腹（请勿进食早餐）" in main and "专属顾问致电" in main
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "checkup_booking.png"), full_page=True)

            await page.goto(f"{server.base_url}/trips/{event['id']}")
            main = await page.text_content("main")
            assert "10:00–18:00（东京时间）" in main and "•••••5678" in main
            assert NUMBER not in await page.content()
            await _fits_the_phone(page)
            await page.screenshot(path=str(SHOTS / "trip_page.png"), full_page=True)
            await page.emulate_media(color_scheme="dark")
            await page.screenshot(path=str(SHOTS / "trip_page_dark.png"), full_page=True)
            await page.emulate_media(color_scheme="light")

            await page.goto(f"{server.base_url}/")
            await page.screenshot(path=str(SHOTS / "checkup_trip_home.png"), full_page=True)
            assert elsewhere == []
        finally:
            await browser.close()
