"""A member chooses their own bonus day on their phone, and a coordinator sees the console's
multipliers, in Debian's Chromium, in zh-Hans. Screenshots in /tmp/shots (multipliers-*.png)."""

from __future__ import annotations

from pathlib import Path

from club.multipliers import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_chooses_a_bonus_day_on_their_phone(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)
            page = await phone.new_page()
            await page.goto(f"{server.base_url}{urls.MY_BONUS_DAY_PAGE}")
            assert await page.text_content("h1") == "我的专属加倍日"
            await page.screenshot(path=str(SHOTS / "multipliers-own-day-empty.png"), full_page=True)
            await page.fill("#date", "2027-06-18")
            await page.click("#choose-own-day button[type=submit]")
            await page.wait_for_selector("#chosen")
            assert "2027-06-18" in (await page.text_content("#own-day") or "")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "multipliers-own-day-chosen.png"), full_page=True)
            desk = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            console = await desk.new_page()
            await console.goto(f"{server.base_url}{urls.CONSOLE_MULTIPLIERS}")
            assert await console.text_content("h1") == "积分倍数"
            await console.screenshot(path=str(SHOTS / "multipliers-console.png"), full_page=True)
        finally:
            await browser.close()
