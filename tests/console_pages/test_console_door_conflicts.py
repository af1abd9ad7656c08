"""The attendee list shows what the gates let in that does not count: a duplicate beside the
admission that stands, and a ticket let in offline after it was revoked, in zh-Hans on the
venue's clock. The page is drawn in Debian's Chromium at desktop size too; its screenshot is
/tmp/shots/console_door_conflicts.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, signed_in_context
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.checkin.test_offline_batches import offline, sent
from tests.conftest import LiveServer
from tests.console import console_client, session_for
from tests.console_pages.test_console_lists import ZH, lists_path, words
from tests.factories import Caller, make_member

SHOTS = Path("/tmp/shots")


def _conflict_rows(html: str) -> list[str]:
    return [words(r) for r in re.findall(r'<tr id="conflict-\d+".*?</tr>', html, flags=re.DOTALL)]


async def test_the_attendee_list_shows_each_conflict_beside_the_admission_that_stands(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, title="高级珠宝鉴赏沙龙", venue_time_zone="Asia/Shanghai")
    twice, revoked = await make_member("王美"), await make_member("李雅")
    _, twice_token = await rsvp_and_ticket(server, twice, event["id"])
    revoked_rsvp, revoked_token = await rsvp_and_ticket(server, revoked, event["id"])
    async with server.client(revoked.token) as http:
        assert (await http.delete(f"/api/rsvps/{revoked_rsvp['id']}")).status_code == 200
    first, second, third = [datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=m) for m in (20, 5, 4)]
    async with server.client(staff.token) as http:
        await sent(http, event["id"], offline(twice_token, first, gate="东门"), offline(twice_token, second, gate="西门"),  # type: ignore[arg-type]
                   offline(revoked_token, third, gate="东门"))  # type: ignore[arg-type]
    shanghai = ZoneInfo("Asia/Shanghai")
    hhmm = {at: at.astimezone(shanghai).strftime("%H:%M") for at in (first, second, third)}
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        html = (await console.get(lists_path(event["id"]))).text
    assert "入口冲突" in words(html)
    assert _conflict_rows(html) == [
        f"王美 入场后再次扫码 {hhmm[second]} · 入口 西门 · 经办：Test staff · 离线判定 {hhmm[first]} · 入口 东门",
        f"李雅 已放行，但报名或活动已取消 {hhmm[third]} · 入口 东门 · 经办：Test staff · 离线判定 无有效入场。",
    ]

    if CHROMIUM is None:
        return
    from playwright.async_api import async_playwright

    SHOTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            await page.goto(f"{server.base_url}{lists_path(event['id'])}#door-conflicts")
            section = page.locator("#door-conflicts")
            assert await section.is_visible()
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            await section.screenshot(path=str(SHOTS / "console_door_conflicts.png"))
        finally:
            await browser.close()
