"""Door staff's shift in Chromium on a phone (390x844, zh-Hans): sign in with the code e-mailed to
them (read from a real SMTP server), land on today's doors, tap the event, and admit a member by
the ticket's code on the door page, which works with the session's token and no token typed;
signing out ends it, so the open door page is refused its next scan."""

from __future__ import annotations

from playwright.async_api import Page, async_playwright

from club.tables import Role
from club.web import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.console_pages.test_staff_sign_in import MailingClub, mailing_club, staff_account  # noqa: F401
from tests.factories import Caller, make_member
from tests.reminders.test_email import smtp_inbox  # noqa: F401 - mailing_club's SMTP server

skip_without_chromium()

SHOTS = "/tmp/door-staff"


async def _type_code(page: Page, code: str) -> None:
    await page.fill("#code", code)
    await page.press("#code", "Enter")


async def test_door_staff_sign_in_tap_todays_event_and_admit_a_member(
    mailing_club: MailingClub, server: LiveServer, coordinator: Caller  # noqa: F811
) -> None:
    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    event = await door_open_event(server, coordinator, title="香水沙龙", venue="上海 · 外滩 18 号", venue_time_zone="Asia/Shanghai")
    member = await make_member("王静", language="zh-Hans")
    _, ticket = await rsvp_and_ticket(server, member, event["id"])
    assert ticket is not None
    _, email = await staff_account(Role.staff)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)  # type: ignore[arg-type]
            page = await context.new_page()
            await page.goto(f"{mailing_club.base_url}{urls.SIGN_IN}")
            await page.fill("#address", email)
            await page.click("button[type=submit]")
            await page.wait_for_selector("#code")
            await page.fill("#code", await mailing_club.code_for(email))
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{mailing_club.base_url}{urls.DOOR_TODAY}")
            assert await page.text_content("h1") == "今日入口"
            assert "签到进行中" in (await page.text_content(f"#event-{event['id']}") or "")
            # Nothing is wider than the phone.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=f"{SHOTS}-today.png", full_page=True)

            await page.click(f"#event-{event['id']} a.door-link")
            await page.wait_for_function("document.getElementById('title').textContent.includes('香水沙龙')")
            # The token came in the fragment: kept on the device, gone from the address bar.
            assert "token=" not in page.url
            assert await page.is_hidden("#setup")
            await _type_code(page, ticket)
            await page.wait_for_function("document.getElementById('verdict').textContent === '欢迎入场'")
            assert "王静" in (await page.text_content("#who") or "")
            await page.screenshot(path=f"{SHOTS}-door.png")

            # Signing out (from today's doors) ends the session's door token.
            await page.go_back()
            await page.wait_for_url(f"{mailing_club.base_url}{urls.DOOR_TODAY}")
            await page.click("footer button[type=submit]")
            await page.wait_for_url(f"{mailing_club.base_url}{urls.SIGN_IN}")
            await page.goto(f"{mailing_club.base_url}/door/{event['id']}")
            await _type_code(page, ticket)
            # The token kept on the device is refused now: the page says so and asks for one.
            await page.wait_for_function("document.getElementById('verdict').textContent === '无权操作'")
            assert await page.is_visible("#setup")
        finally:
            await browser.close()
