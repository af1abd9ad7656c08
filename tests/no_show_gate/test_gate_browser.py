"""The no-show gate on a member's phone, in Debian's Chromium at 390x844 in zh-Hans: with the
club's rule on, a member with three no-shows this half year RSVPs with the event page's own
button and reads that they joined the waitlist and why; a member with none gets a seat.
Screenshots are left in /tmp/shots (gate-*.png)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from club import clock
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.events.helpers import published_event
from tests.factories import Caller
from tests.no_show_gate.test_gate_rsvp import _member, _set_rule

skip_without_chromium()

SHOTS = Path("/tmp/shots")
REASON = "您近6个月已有3次未到场，本次先进入候补名单。"


async def test_a_member_with_three_no_shows_waits_on_their_phone_and_one_with_none_is_seated(
    server: LiveServer, coordinator: Caller,
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    await _set_rule(server, coordinator, enabled=True, no_shows=3, months=6, tiers=["Silver"])
    start = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=6)
    event = await published_event(
        server, coordinator, title="香水沙龙", venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
        description="与首席调香师共度的一个傍晚，品鉴本季新作。", capacity=10,
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
    )
    often = await _member("王静", missed=(10, 40, 150), language="zh-Hans")
    never = await _member("李娜", language="zh-Hans")

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for who, name in ((often, "waitlisted"), (never, "seated")):
                phone = await signed_in_context(browser, server.base_url, await session_for(who), **PHONE)
                page = await phone.new_page()
                await page.goto(f"{server.base_url}/events/{event['id']}")
                assert await page.text_content("h1") == "香水沙龙"
                await page.screenshot(path=str(SHOTS / f"gate-{name}-before.png"), full_page=True)
                await page.click("form.rsvp button[type=submit]")
                if name == "waitlisted":
                    await page.wait_for_selector("#mine .status.warn")
                    mine = await page.inner_text("#mine")
                    assert "候补第 1 位" in mine and REASON in mine, mine
                    assert "活动已满" not in mine  # the seats are free: the gate, not the capacity, is why
                else:
                    await page.wait_for_selector("#mine .status.good")
                    mine = await page.inner_text("#mine")
                    assert "您的席位已确认" in mine and "未到场" not in mine, mine
                assert await page.evaluate("document.documentElement.scrollWidth") <= 390
                await page.screenshot(path=str(SHOTS / f"gate-{name}.png"), full_page=True)
                await phone.close()
        finally:
            await browser.close()
