"""A member reads on their phone what of their points expires and when, and a coordinator sets the
rule and reads the next date's preview in the console, in Debian's Chromium, in Chinese.
Screenshots are left in /tmp/shots (expiry_*.png)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from club import clock
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.expiry.helpers import entry
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_sees_their_expiry_and_a_coordinator_sets_the_rule(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    await entry(member.member_id, 1_200, datetime(2025, 3, 15, 10, tzinfo=UTC))
    await entry(member.member_id, 800, datetime(2026, 6, 1, tzinfo=UTC))
    with clock.frozen_at(datetime(2027, 3, 20, 2, tzinfo=UTC)):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                desk = await (await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)).new_page()
                await desk.goto(f"{server.base_url}/console/expiry")
                await desk.check("#x-mode-rolling")
                await desk.fill("#x-window_months", "24")
                await desk.fill("#x-reminder_days", "30, 7")
                await desk.click("form.console-form button[type=submit]")
                await desk.wait_for_selector("p.notice[role=status]")
                assert "按今日积分明细：1 位会员将有 1,200 积分到期。" in (await desk.text_content("#preview-figures") or "")
                await desk.screenshot(path=str(SHOTS / "expiry_console.png"), full_page=True)

                phone = await (await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)).new_page()
                await phone.goto(f"{server.base_url}/points")
                line = (await phone.text_content("#points-expiry .expiry-line") or "").strip()
                assert line == "1,200 积分将于 2027年3月31日 到期。"
                assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
                await phone.screenshot(path=str(SHOTS / "expiry_points_phone.png"), full_page=True)
            finally:
                await browser.close()
