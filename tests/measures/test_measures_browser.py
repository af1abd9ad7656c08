"""The console's measures in Debian's Chromium at 1440x900, in zh-Hans: the Measures page of the
hand-built December, another month chosen with the month field, an event's figures reached from
its row, and a member's measures on their page. Nothing is fetched from another host.

Screenshots are left in /tmp/shots (measures_*.png) to look at; none is committed.
"""

from __future__ import annotations

from pathlib import Path

from club import clock
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller
from tests.measures.builders import at
from tests.measures.scene import build_december

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_coordinator_reads_the_months_measures(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    d = await build_december()
    with clock.frozen_at(at(20, 12)):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
                page = await context.new_page()
                requested: list[str] = []
                page.on("request", lambda request: requested.append(request.url))

                await page.goto(f"{server.base_url}/console")
                await page.click("nav >> text=运营指标")
                await page.wait_for_url("**/console/measures")
                assert await page.inner_text("h1") == "运营指标"
                salon = page.locator("table.measures-kinds tbody tr").first
                assert "沙龙" in await salon.inner_text() and "9 / 30" in await salon.inner_text()
                titles = await page.locator("table.measures-events tbody td:first-child a").all_inner_texts()
                assert titles == ["Trip D", "Salon A", "Salon C", "Salon B"]
                gold = page.locator("table.measures-segments tbody tr").first
                assert (await gold.locator("th").inner_text()) == "金卡"
                await page.screenshot(path=str(SHOTS / "measures_month.png"), full_page=True)

                await page.fill("#measures-month", "2026-11")
                await page.click("form.console-filters button")
                await page.wait_for_url("**/console/measures?month=2026-11")
                assert await page.locator("table.measures-events tbody td:first-child a").all_inner_texts() == ["Salon F"]
                await page.go_back()

                await page.click("table.measures-events >> text=Salon A")
                await page.wait_for_url(f"**/console/events/{d.salon_a}/measures")
                assert await page.inner_text("h1") == "活动数据：Salon A"
                figures = await page.locator(".figure").all_inner_texts()
                assert any("90%" in f and "满座率" in f for f in figures)
                assert any("3小时" in f and "平均候补时长" in f for f in figures)
                await page.screenshot(path=str(SHOTS / "measures_event.png"), full_page=True)

                await page.goto(f"{server.base_url}/console/members/{d.m[1]}")
                panel = page.locator("section.measures")
                await panel.scroll_into_view_if_needed()
                assert "活跃" in await panel.inner_text()
                await panel.screenshot(path=str(SHOTS / "measures_member_panel.png"))
                await page.screenshot(path=str(SHOTS / "measures_member.png"), full_page=True)
                assert all(url.startswith(server.base_url) for url in requested), requested
            finally:
                await browser.close()
