"""The attendee list in Debian's Chromium at 1440x900, in zh-Hans, as a coordinator watches the
doors: a scan through the API shows on its row without a reload, a member joining redraws the
lists, and a check-in by hand through the page's own form. Screenshots are left in /tmp
(console_lists_*.png) to look at."""

from __future__ import annotations

from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.console import session_for
from tests.console_pages.test_console_lists import lists_path, staff_scan
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp")


async def test_the_attendee_list_follows_a_door_scan_live_and_checks_in_by_hand(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="高级珠宝鉴赏沙龙", venue="上海 · 外滩源壹号",
                                  venue_time_zone="Asia/Shanghai", capacity=4, max_guests=1)
    scanned, by_hand, later = await make_member("王美"), await make_member("李雅"), await make_member("陈静")
    scanned_rsvp, token = await rsvp_and_ticket(server, scanned, event["id"], guests=1)
    by_hand_rsvp, _ = await rsvp_and_ticket(server, by_hand, event["id"])
    assert token is not None
    cookie = await session_for(coordinator)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, cookie, **DESKTOP)
            page = await context.new_page()
            await page.goto(f"{server.base_url}{lists_path(event['id'])}")
            scanned_row = page.locator(f"#rsvp-{scanned_rsvp['id']}")
            assert "尚未签到" in (await scanned_row.text_content() or "")
            assert await page.locator("#count-in").text_content() == "0"
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            await page.screenshot(path=str(SHOTS / "console_lists_before.png"), full_page=True)

            # The door scans the ticket through the API; the open page shows it on its own.
            await staff_scan(server, event["id"], token, gate="A")
            await page.wait_for_function(
                f"document.getElementById('rsvp-{scanned_rsvp['id']}').dataset.state === 'in'", timeout=10_000
            )
            text = await scanned_row.text_content() or ""
            assert "已签到" in text and "入口 A" in text and "尚未签到" not in (await scanned_row.inner_text())
            assert await page.locator("#count-in").text_content() == "1"
            assert await scanned_row.get_by_role("link", name="撤销签到").is_visible()
            await page.screenshot(path=str(SHOTS / "console_lists_scanned.png"), full_page=True)

            # Someone joins: the lists are drawn again, the check-in still shown.
            await rsvp_and_ticket(server, later, event["id"])
            await page.wait_for_selector("text=陈静", timeout=10_000)
            assert await page.locator(f"#rsvp-{scanned_rsvp['id']}").get_attribute("data-state") == "in"

            # A check-in by hand through the page: its form, its reason, and back to the list.
            await page.locator(f"#rsvp-{by_hand_rsvp['id']}").get_by_role("link", name="人工签到").click()
            await page.get_by_label("说明").fill("手机没电，已由接待核实身份")
            await page.screenshot(path=str(SHOTS / "console_lists_by_hand_form.png"), full_page=True)
            await page.get_by_role("button", name="确认签到").click()
            await page.wait_for_selector("p.notice")
            assert "签到已记录" in (await page.text_content("p.notice") or "")
            hand_row = page.locator(f"#rsvp-{by_hand_rsvp['id']}")
            assert await hand_row.get_attribute("data-state") == "in"
            assert "人工签到" in (await hand_row.inner_text()) and "手机没电" in (await hand_row.inner_text())
            assert await page.locator("#count-in").text_content() == "2"
            await page.screenshot(path=str(SHOTS / "console_lists_after.png"), full_page=True)
            # Finding a member on the lists: only the matches, each at its place in the list.
            await page.get_by_label("在名单中查找会员").fill("陈")
            await page.get_by_role("button", name="查找").click()
            await page.wait_for_url("**q=**")
            assert await page.locator(f"#rsvp-{scanned_rsvp['id']}").count() == 0
            assert (await page.locator("table.attendees tbody tr").first.inner_text()).startswith("3")
            await page.screenshot(path=str(SHOTS / "console_lists_found.png"), full_page=True)
            await page.get_by_role("link", name="显示全部").click()
            await page.wait_for_selector(f"#rsvp-{scanned_rsvp['id']}")
        finally:
            await browser.close()
