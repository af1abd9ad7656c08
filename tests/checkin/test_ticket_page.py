"""The ticket page in a real headless Chromium at phone size, opened from the link of a real
e-mail with no token: it shows the member's QR, in their language, and a real decoder (the
door page's vendored jsQR) reads the ticket's code from the image on the page.

Chromium is Debian's package (tests/browser.py); the screenshot is left at /tmp/ticket_page.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

from checkin import urls as door
from checkin.routes import STATIC
from club.settings import Settings
from events import urls
from events.reminders.tables import ScheduledReminder
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, event_starting_in, rsvp, sequence, step
from tests.reminders.test_email import Inbox, calendar_of, deliver_all, mail_settings, smtp_inbox, ticket_link

__all__ = ["smtp_inbox"]

skip_without_chromium()

SCREENSHOT = Path("/tmp/ticket_page.png")

# Draw the page's QR image on a white canvas and read it with jsQR, as the door's camera does.
_DECODE = """() => {
  const image = document.getElementById("qr");
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0);
  const hit = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
  return hit ? hit.data : null;
}"""


async def test_the_ticket_link_of_an_email_opens_without_a_token_and_its_qr_decodes(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    controller, inbox = smtp_inbox
    with_smtp = mail_settings(settings, controller, server)
    member = await make_member("王美", email="mei@example.com", language="zh-Hans", time_zone="Asia/Shanghai")
    event = await event_starting_in(server, coordinator, timedelta(days=10), title="香氛沙龙", venue="外滩源一号")
    made = await sequence(server, coordinator, step(offset_days=-20))
    await attach(server, coordinator, event["id"], made["id"])
    booked = await rsvp(server, member, event["id"])
    assert await deliver_all(with_smtp, ScheduledReminder.step.is_not_null()) == ["sent"]
    link = ticket_link(inbox.messages[0])
    # The invite the e-mail carries speaks her language too (its alarm).
    [alarm] = calendar_of(inbox.messages[0]).walk("VALARM")
    assert str(alarm["description"]) == "明日：香氛沙龙"
    async with server.client(member.token) as http:
        token = (await http.get(urls.link(door.TICKET, rsvp_id=booked["id"]))).json()["token"]

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            response = await page.goto(link)
            assert response is not None and response.status == 200
            assert await page.text_content("h1") == "您的入场二维码"
            assert "您的席位已确认" in (await page.text_content(".state") or "")
            assert await page.text_content("#title") == "香氛沙龙"
            assert "年" in (await page.text_content("#when") or "")
            # Phone-sized: nothing wider than the screen.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
            # Nothing from another host: the page and its inline QR only.
            assert all(url == link or url.startswith("data:") for url in requested), requested
            # The decoder is the test's (the door page's vendored jsQR), added after loading.
            await page.add_script_tag(path=str(STATIC / "vendor" / "jsQR.js"))
            assert await page.evaluate(_DECODE) == token
        finally:
            await browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
