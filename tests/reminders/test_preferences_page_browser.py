"""The message preferences page in a real headless Chromium at phone size, opened from the
footer link of a real e-mail with no token: untick a box, save, and the page shows the saved
state. Chromium is Debian's package (tests/browser.py); the screenshot is left at
/tmp/preferences_page.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

from club.settings import Settings
from events.reminders.preferences import MessageKind, preferences_of
from events.reminders.scheduling import adopt_outbox
from events.reminders.tables import Channel, ScheduledReminder
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import event_starting_in, rsvp
from tests.reminders.test_email import Inbox, deliver_all, mail_settings, smtp_inbox
from tests.reminders.test_preferences_page import preferences_link

__all__ = ["smtp_inbox"]

skip_without_chromium()

SCREENSHOT = Path("/tmp/preferences_page.png")


async def test_the_footer_link_opens_the_page_and_a_box_unticked_is_saved(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    controller, inbox = smtp_inbox
    with_smtp = mail_settings(settings, controller, server)
    member = await make_member("王美", email="mei@example.com", language="zh-Hans", time_zone="Asia/Shanghai")
    event = await event_starting_in(server, coordinator, timedelta(days=10), title="香氛沙龙", venue="外滩源一号")
    await rsvp(server, member, event["id"])
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["sent"]
    link = preferences_link(inbox.messages[0])

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            response = await page.goto(link)
            assert response is not None and response.status == 200
            assert await page.text_content("h1") == "消息偏好设置"
            assert await page.is_disabled('#kind-event_cancelled input[value="email"]')
            box = page.locator('#kind-booking input[value="email"]')
            assert await box.is_checked()
            # A touch target of 44 px: the label around the box.
            height = await page.evaluate("""() => document.querySelector('#kind-booking label').getBoundingClientRect().height""")
            assert height >= 44
            await box.uncheck()
            async with page.expect_navigation():
                await page.click("button[type=submit]")
            assert "您的设置已保存" in (await page.text_content("#saved") or "")
            assert not await page.locator('#kind-booking input[value="email"]').is_checked()
            assert await page.locator('#kind-booking input[value="sms"]').is_checked()
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
            assert all(url == link for url in requested), requested  # nothing from another host
        finally:
            await browser.close()
    assert (await preferences_of(member.member_id))[MessageKind.booking] == frozenset({Channel.sms, Channel.call})
    assert SCREENSHOT.stat().st_size > 10_000
