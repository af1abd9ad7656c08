"""The console's segments in Debian's Chromium at 1440x900, in zh-Hans: a coordinator saves
"dormant Platinum members" from the form, sees who is in it, and sends them a message with a
double click, which sends once. Screenshots are left in /tmp/shots (segments_*.png) to look at."""

from __future__ import annotations

from pathlib import Path

from checkin.segments.tables import SegmentDelivery, SegmentSend
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller
from tests.segments.helpers import build_club

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_coordinator_saves_a_segment_and_sends_to_it_with_a_double_click(
    server: LiveServer, coordinator: Caller
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    await build_club()
    cookie = await session_for(coordinator)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, cookie, **DESKTOP)
            page = await context.new_page()
            await page.goto(f"{server.base_url}/console/segments")
            assert "尚未保存任何会员分组" in await page.inner_text("main")
            await page.fill("#s-name", "白金卡沉睡会员")
            await page.select_option("#s-tier", "Platinum")
            await page.select_option("#s-activity", "dormant")
            await page.screenshot(path=str(SHOTS / "segments_new.png"), full_page=True)
            await page.click("text=保存分组")
            await page.wait_for_selector("h1:has-text('白金卡沉睡会员')")
            main = await page.inner_text("main")
            assert "目前 2 位会员" in main and "Bo" in main and "Dora" in main
            await page.fill("#m-subject", "冬季沙龙邀请")
            await page.fill("#m-body", "尊敬的{member_name}，诚邀您莅临冬季沙龙。")
            await page.screenshot(path=str(SHOTS / "segments_segment.png"), full_page=True)
            await page.dblclick("text=发送给 2 位会员")
            await page.wait_for_selector("text=消息正在发送")
            await page.screenshot(path=str(SHOTS / "segments_sent.png"), full_page=True)
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
        finally:
            await browser.close()
    assert await SegmentSend.count() == 1
    assert await SegmentDelivery.count() == 2
