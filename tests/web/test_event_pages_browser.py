"""The event pages in Debian's Chromium at 390x844, in zh-Hans: a member signs in with the code
from the outbox, reads a Gold salon's refusal on /events, RSVPs to another with a guest, joins a
full salon's waitlist and sees the seat arrive on the open page when its holder cancels.

Screenshots are left in /tmp (event_pages_*.png) to look at; none is committed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from club import clock
from events import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.pages import latest_code

skip_without_chromium()

SHOTS = Path("/tmp")


async def _salon(server: LiveServer, coordinator: Caller, title: str, days: int, **overrides: Any) -> dict[str, Any]:
    start = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return await published_event(
        server, coordinator, title=title, venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
        description="与首席调香师共度的一个傍晚，品鉴本季新作。",
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(), **overrides,
    )


async def test_a_members_events_on_a_phone(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    gold = await _salon(server, coordinator, "高级珠宝鉴赏沙龙", 5, min_tier="Gold")
    perfume = await _salon(server, coordinator, "香水沙龙", 8, max_guests=2)
    tasting = await _salon(server, coordinator, "品酒沙龙", 12, capacity=1, waitlist_policy="tier_priority")
    holder = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai")
    async with server.client(holder.token) as http:
        held = (await http.post(urls.link(urls.EVENT_RSVP, event_id=tasting["id"]), json={})).json()
    li = await make_member("李娜", email="li.na@members.test", language="zh-Hans", time_zone="Asia/Shanghai")

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(**PHONE)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            # Sign in as a member does: the address, then the code the outbox holds.
            await page.goto(f"{server.base_url}/events")
            await page.fill("#address", "li.na@members.test")
            await page.click("button[type=submit]")
            await page.wait_for_selector("#code")
            await page.fill("#code", await latest_code(li.member_id))  # type: ignore[arg-type]
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{server.base_url}/events")

            gold_card = page.locator(".event-item", has_text="高级珠宝鉴赏沙龙")
            assert "暂不符合条件" in await gold_card.inner_text()
            assert "此活动面向金卡及以上会员。您目前为银卡，距金卡还差 1,000 积分。" in await gold_card.inner_text()
            await page.screenshot(path=str(SHOTS / "event_pages_list.png"), full_page=True)
            # Nothing wider than the phone.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390

            await page.click(f"a[href='/events/{perfume['id']}']")
            await page.wait_for_selector("#guests")
            await page.screenshot(path=str(SHOTS / "event_pages_event.png"), full_page=True)
            await page.select_option("#guests", "1")
            await page.click("form.rsvp button[type=submit]")
            await page.wait_for_selector("#mine .status.good")
            assert "您的席位已确认 · 含 1 位同行宾客" in await page.inner_text("#mine")
            await page.screenshot(path=str(SHOTS / "event_pages_confirmed.png"), full_page=True)

            await page.goto(f"{server.base_url}/events/{tasting['id']}")
            await page.click("form.rsvp button[type=submit]")
            await page.wait_for_selector("#mine .status.warn")
            mine = await page.inner_text("#mine")
            assert "候补第 1 位" in mine and "金卡、白金卡、钻石卡会员优先递补" in mine
            await page.screenshot(path=str(SHOTS / "event_pages_waitlisted.png"), full_page=True)

            # The holder gives the seat back; the open page shows it by itself (its poll, every 15 s).
            async with server.client(holder.token) as http:
                assert (await http.delete(urls.link(urls.RSVP, rsvp_id=held["id"]))).status_code == 200
            await page.wait_for_selector("#mine .status.good", timeout=40_000)
            assert "有席位空出，您已由候补转为已确认。" in await page.inner_text("#mine")
            await page.screenshot(path=str(SHOTS / "event_pages_promoted.png"), full_page=True)
            await page.emulate_media(color_scheme="dark")
            await page.screenshot(path=str(SHOTS / "event_pages_promoted_dark.png"), full_page=True)

            # Home: her next events, each seat with its ticket.
            await page.goto(f"{server.base_url}/")
            section = page.locator(".next-events")
            assert "香水沙龙" in await section.inner_text() and "品酒沙龙" in await section.inner_text()
            assert await section.locator("a[href^='/tickets/']").count() == 2
            await page.screenshot(path=str(SHOTS / "event_pages_home.png"), full_page=True)

            # Every request stayed on the club's own host.
            assert all(url.startswith(server.base_url) for url in requested), [u for u in requested if not u.startswith(server.base_url)]
            assert gold["id"]
        finally:
            await browser.close()
