"""The monthly report in Debian's Chromium at 1440x900, in zh-Hans: the hand-built November's
page with its four charts drawn as SVG (the glyphs in the CJK font stack, not the PDF's), another
month chosen with the month field, and the .xlsx and PDF downloaded from the page. Nothing is
fetched from another host.

Screenshots are left in /tmp/shots (report_*.png) to look at; none is committed.
"""

from __future__ import annotations

from pathlib import Path

from club import clock
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller
from tests.report.scene import NOW, build_november

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_coordinator_reads_and_downloads_the_monthly_report(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    await build_november()
    with clock.frozen_at(NOW):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
                page = await context.new_page()
                requested: list[str] = []
                page.on("request", lambda request: requested.append(request.url))

                await page.goto(f"{server.base_url}/console/report?month=2026-11")
                assert "月度报告" in await page.inner_text("h1") and "2026年11月" in await page.inner_text("h1")
                assert await page.locator("figure.report-chart svg").count() == 4
                box = await page.locator("#report-fill svg").bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 100
                assert "66.7%" in await page.inner_text(".report-glance")
                await page.screenshot(path=str(SHOTS / "report_month.png"), full_page=True)
                await page.locator("#report-attendance").screenshot(path=str(SHOTS / "report_attendance.png"))

                async with page.expect_download() as xlsx:
                    await page.click("text=报告（Excel）")
                assert (await xlsx.value).suggested_filename == "monthly-report-2026-11.xlsx"
                async with page.expect_download() as pdf:
                    await page.click("text=报告（PDF）")
                saved = await (await pdf.value).path()
                assert Path(saved).read_bytes().startswith(b"%PDF-")

                await page.fill("#report-month", "2026-10")
                await page.click("form.console-filters button")
                await page.wait_for_url("**/console/report?month=2026-10")
                assert "2026年10月" in await page.inner_text("h1")
                assert all(url.startswith(server.base_url) for url in requested), requested
            finally:
                await browser.close()
