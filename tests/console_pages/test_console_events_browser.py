"""A coordinator's event in Debian's Chromium at 1440x900, in zh-Hans: a salon typed into the form
on the venue's clock, its qualifying count following the tier chosen, saved and published; then
moved, the move saying first how many members and reminders it reaches, and the reminders
following it once confirmed. And Today's counts following a door scan without a reload.

Screenshots are left in /tmp (console_events_*.png) to look at; none is committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from club import clock
from club.points import adjust
from events.reminders.tables import ScheduledReminder, ScheduleStatus
from events.tables import Event, EventStatus
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.checkin.helpers import rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.console import session_for
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, rsvp, sequence, step

skip_without_chromium()

SHOTS = Path("/tmp")
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_coordinator_makes_publishes_and_moves_a_salon(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    for name, points in (("王芳", 0), ("李娜", 1_200), ("陈静", 1_500), ("赵敏", 6_000)):
        member = await make_member(name, language="zh-Hans", time_zone="Asia/Shanghai")
        if points:
            await adjust(member.member_id, points, "测试积分", coordinator.user_id)  # type: ignore[arg-type]
    day = (clock.now() + timedelta(days=14)).astimezone(SHANGHAI).date()
    later = day + timedelta(days=1)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))

            await page.goto(f"{server.base_url}/console/events")
            await page.click("a[href='/console/events/new']")
            await page.wait_for_selector("#title")
            assert "新建活动" in await page.inner_text("h1")
            await page.fill("#title", "高级珠宝鉴赏沙龙")
            await page.fill("#description", "与首席设计师共度的一个傍晚，品鉴本季高级珠宝新作。")
            await page.fill("#venue", "上海 · 外滩源壹号")
            await page.fill("#venue_time_zone", "Asia/Shanghai")
            await page.fill("#starts_at", f"{day}T18:00")
            await page.fill("#ends_at", f"{day}T20:00")
            await page.fill("#capacity", "20")
            await page.fill("#max_guests", "1")
            await page.select_option("#waitlist_policy", "tier_priority")
            # Everyone qualifies until a tier is chosen; then the count follows by itself.
            await page.wait_for_function("document.getElementById('qualifying').textContent.includes('4 位会员符合条件')")
            await page.select_option("#min_tier", "Gold")
            await page.wait_for_function("document.getElementById('qualifying').textContent.includes('3 位会员符合条件')")
            assert "共 4 位活跃会员" in await page.inner_text("#qualifying")
            await page.screenshot(path=str(SHOTS / "console_events_form.png"), full_page=True)

            await page.click("form.event-form button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "活动已保存为草稿" in await page.inner_text(".notice")
            event_id = int(page.url.split("/console/events/")[1].split("?")[0])
            row = await Event.select(Event.starts_at, Event.status).where(Event.id == event_id).first()
            assert row is not None and row["status"] == EventStatus.draft.value
            assert row["starts_at"].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == f"{day} 18:00"

            await page.click("form[action$='/publish'] button")
            await page.wait_for_selector(".status.good")
            assert "活动已发布" in await page.inner_text(".notice")
            await page.screenshot(path=str(SHOTS / "console_events_published.png"), full_page=True)

            # Two members take seats, with a sequence of two reminders each.
            steps = await sequence(server, coordinator, step(offset_days=-1), step(offset_minutes=-120))
            await attach(server, coordinator, event_id, steps["id"])
            holders = [await make_member(f"会员{i}", language="zh-Hans") for i in range(2)]
            for holder in holders:
                await adjust(holder.member_id, 1_100, "测试积分", coordinator.user_id)  # type: ignore[arg-type]
                await rsvp(server, holder, event_id)

            async def due_times() -> list[str]:
                rows = await ScheduledReminder.select(ScheduledReminder.due_at).where(
                    (ScheduledReminder.event == event_id) & (ScheduledReminder.status == ScheduleStatus.scheduled.value)
                ).order_by(ScheduledReminder.id)
                return [r["due_at"].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") for r in rows]

            assert await due_times() == [f"{day - timedelta(days=1)} 18:00", f"{day} 16:00"] * 2

            await page.click(f"a[href='/console/events/{event_id}/move']")
            await page.wait_for_selector("#starts_at")
            await page.fill("#starts_at", f"{later}T19:00")
            await page.fill("#ends_at", f"{later}T21:00")
            await page.click("form.move-form button[type=submit]")
            await page.wait_for_selector(".move-impact")
            impact = await page.inner_text(".move-impact")
            assert "2 位持有席位的会员将收到时间变更通知" in impact
            assert "4 条待发送的提醒将随新时间调整" in impact and "发给 2 位会员" in impact
            await page.screenshot(path=str(SHOTS / "console_events_move.png"), full_page=True)
            assert await due_times() == [f"{day - timedelta(days=1)} 18:00", f"{day} 16:00"] * 2  # nothing moved yet

            await page.click(".move-impact button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "活动时间已变更" in await page.inner_text(".notice")
            assert f"{later.year}年{later.month}月{later.day}日" in await page.inner_text(".lede")
            record = await page.inner_text("table.audit")
            assert "活动时间变更" in record and "已发布活动" in record and "已创建活动" in record
            await page.screenshot(path=str(SHOTS / "console_events_moved.png"), full_page=True)
            assert await due_times() == [f"{later - timedelta(days=1)} 19:00", f"{later} 17:00"] * 2

            # Nothing wider than the window, nothing fetched from another host.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            assert all(url.startswith(server.base_url) for url in requested), [u for u in requested if not u.startswith(server.base_url)]
        finally:
            await browser.close()


async def test_todays_counts_follow_the_door_without_a_reload(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    from playwright.async_api import async_playwright

    paris = ZoneInfo("Europe/Paris")
    morning = datetime.now(paris).replace(hour=10, minute=0, second=0, microsecond=0)
    with clock.frozen_at(morning):
        salon = await published_event(server, coordinator, title="巴黎香水沙龙", capacity=3,
                                      starts_at=(morning + timedelta(minutes=30)).isoformat(),
                                      ends_at=(morning + timedelta(hours=2)).isoformat())
        tickets = [await rsvp_and_ticket(server, await make_member(f"会员{i}", language="zh-Hans"), salon["id"]) for i in range(2)]
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
                page = await context.new_page()
                await page.goto(f"{server.base_url}/console")
                cell = f"tr[data-event='{salon['id']}'] [data-figure=checked_in]"
                assert await page.inner_text(cell) == "0"
                assert await page.inner_text(f"tr[data-event='{salon['id']}'] [data-figure=confirmed]") == "2"
                token = tickets[0][1]
                assert token is not None
                async with server.client(staff.token) as door:
                    assert (await scan(door, salon["id"], token))["result"] == "admitted"
                # The page asks again by itself (every 10 s): no reload.
                await page.wait_for_function(f"document.querySelector(\"{cell}\").textContent === '1'", timeout=25_000)
                await page.screenshot(path=str(SHOTS / "console_events_today.png"), full_page=True)
            finally:
                await browser.close()
