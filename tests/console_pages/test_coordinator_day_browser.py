"""A coordinator's day in the console, in one story, in Debian's Chromium at 1440x900 in zh-Hans
(issue 15, "What must hold"): a salon tonight is typed, saved and published; a two-step sequence
(a concierge call two hours before, an SMS half an hour before) is written in Chinese and English
and previewed for a member; it is attached to the salon and its schedule read; the doors open and
the attendee list follows a scan made through the API without a reload; a call is recorded on the
call list; and the salon is pushed back an hour, the move saying first whom it reaches, and the
reminders still to be sent follow it.

The club's clock is frozen at 17:10 in Shanghai on the day of the salon (18:00): the doors are
open (three hours before), the call's time has passed (so it is due at once) and the SMS's has not
(so it follows the move). Screenshots are left in /tmp (coordinator_day_*.png) to look at.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from club import clock
from club.i18n.formats import date_time_text
from club.i18n.languages import Language
from club.settings import Settings
from tests.browser import skip_without_chromium
from tests.checkin.helpers import rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.console_pages.steps import (
    console_tab,
    preview_for,
    propose_move,
    publish,
    save_draft,
    type_salon,
    work_the_queue,
)
from tests.factories import Caller, make_member

if TYPE_CHECKING:
    from playwright.async_api import Page

skip_without_chromium()

SHOTS = Path("/tmp")
SHANGHAI = ZoneInfo("Asia/Shanghai")
VENUE = "上海 · 外滩源壹号"
TITLE = "高级珠宝鉴赏沙龙"


def on_the_console(instant: datetime) -> str:
    """A time as the console writes it for a coordinator in Paris (the club's zone): on the
    venue's clock, the city named."""
    return date_time_text(instant, "Asia/Shanghai", Language.zh_hans, "Europe/Paris")


async def test_a_coordinators_day(server: LiveServer, settings: Settings, coordinator: Caller, staff: Caller) -> None:
    afternoon = clock.now().astimezone(SHANGHAI).replace(hour=17, minute=10, second=0, microsecond=0)
    starts, ends = afternoon.replace(hour=18, minute=0), afternoon.replace(hour=20, minute=0)
    with clock.frozen_at(afternoon):
        fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
        claire = await make_member("Claire Dubois", email="claire@members.test", language="en",
                                   time_zone="Asia/Shanghai", phone="+86 139 0000 0002")
        async with console_tab(server, coordinator) as console:
            page = console.page

            # The salon, typed on the venue's clock, saved as a draft and published.
            await console.open("/console")
            await page.click("a[href='/console/events']")
            await page.click("a[href='/console/events/new']")
            await type_salon(page, title=TITLE, description="与首席设计师共度的傍晚，品鉴本季高级珠宝新作。",
                             venue=VENUE, zone="Asia/Shanghai", starts=starts, ends=ends, capacity=12)
            await page.wait_for_function("document.getElementById('qualifying').textContent.includes('2 位会员符合条件')")
            await console.shot(SHOTS / "coordinator_day_1_new_salon.png")
            event_id = await save_draft(page)
            assert "活动已保存为草稿" in await page.inner_text(".notice")
            assert "草稿" in await page.inner_text(".console-head")
            await publish(page)
            assert "活动已发布" in await page.inner_text(".notice")
            assert on_the_console(starts) in await page.inner_text(".lede")
            await console.shot(SHOTS / "coordinator_day_2_published.png")

            # Members book their seats (through the API, as the members' app does).
            _, fang_ticket = await rsvp_and_ticket(server, fang, event_id)
            await rsvp_and_ticket(server, claire, event_id)
            assert fang_ticket is not None

            # A two-step sequence, each step in Chinese and in English.
            await console.open("/console/sequences")
            await page.click("a[href='/console/sequences/new']")
            await page.wait_for_selector("#name")
            await page.fill("#name", "沙龙当天：致电与短信")
            await page.fill("#s0-offset_minutes", "-120")
            await page.select_option("#s0-channel", "call")
            await page.fill("#s0-zh-Hans-template", "致电{member_name}：确认今晚{local_time}的{event_title}，地点{venue}；询问是否携伴。")
            await page.fill("#s0-en-template", "Call {member_name}: confirm {event_title} on {local_time} at {venue}; ask about a guest.")
            await page.click("button[value=add]")
            await page.wait_for_selector("#step-1")
            await page.fill("#s1-offset_minutes", "-30")
            await page.select_option("#s1-channel", "sms")
            await page.fill("#s1-zh-Hans-template", "{member_name}，{event_title}将于{local_time}在{venue}开始，恭候光临。")
            await page.fill("#s1-en-template", "{member_name}, {event_title} begins on {local_time} at {venue}. We look forward to seeing you.")
            await console.shot(SHOTS / "coordinator_day_3_builder.png")
            await page.click(".actions button[value=save]")
            await page.wait_for_selector(".notice[role=status]")
            assert "提醒序列已保存。" in await page.inner_text(".notice")
            steps = await page.inner_text("table.steps")
            assert "活动开始前 2 小时" in steps and "活动开始前 30 分钟" in steps
            assert "电话" in steps and "短信" in steps and "English" in steps
            sequence_path = page.url.split(console.base_url)[1].split("?")[0]

            # Previewed for a member: Claire reads the English text with her own values; the call
            # is the concierge's script, its time already passed (she would be called at once).
            await preview_for(page, "Claire", "Claire Dubois")
            sms = await page.inner_text("#preview-step-2")
            assert (f"Claire Dubois, {TITLE} begins on {date_time_text(starts, 'Asia/Shanghai', Language.en)} at {VENUE}. "
                    "We look forward to seeing you.") in sms
            assert "第 2 步 · 短信" in sms and "发送至 +8613900000002" in sms
            assert on_the_console(starts - timedelta(minutes=30)) in sms
            call = await page.inner_text("#preview-step-1")
            assert "发送时间已过：现在确认的会员将即刻收到。" in call and "Call Claire Dubois: confirm" in call
            await console.shot(SHOTS / "coordinator_day_4_preview.png", part="#preview")
            await preview_for(page, "王芳", "王芳")
            assert (f"王芳，{TITLE}将于{date_time_text(starts, 'Asia/Shanghai', Language.zh_hans)}在{VENUE}开始，恭候光临。"
                    in await page.inner_text("#preview-step-2"))

            # Attached to the salon: who gets what, and when.
            await console.open(sequence_path)
            await page.select_option("#event_id", str(event_id))
            await page.click("form.attach-form button[type=submit]")
            await page.wait_for_selector("table.schedule")
            assert "提醒序列已附加。" in await page.inner_text(".notice")
            before = await schedule(page)
            assert sorted(r for r in before if "步" in r[2]) == sorted([
                (on_the_console(afternoon), "王芳", "沙龙当天：致电与短信 · 第 1 步", "电话", "已排定"),
                (on_the_console(afternoon), "Claire Dubois", "沙龙当天：致电与短信 · 第 1 步", "电话", "已排定"),
                (on_the_console(starts - timedelta(minutes=30)), "王芳", "沙龙当天：致电与短信 · 第 2 步", "短信", "已排定"),
                (on_the_console(starts - timedelta(minutes=30)), "Claire Dubois", "沙龙当天：致电与短信 · 第 2 步", "短信", "已排定"),
            ])
            await console.shot(SHOTS / "coordinator_day_5_schedule.png")
            # The worker runs: the calls, due now, go on the call list; the SMS waits for 17:30.
            await work_the_queue(settings, calls=2)

            # The doors are open: a scan through the API shows on the list without a reload.
            await console.open(f"/console/events/{event_id}")
            await page.click(f"a[href='/console/events/{event_id}/attendees']")
            await page.wait_for_selector("#count-in")
            fang_row = page.locator("table.attendees tbody tr", has_text="王芳")
            assert "尚未签到" in await fang_row.inner_text()
            assert await page.inner_text("#count-in") == "0"
            async with server.client(staff.token) as door:
                assert (await scan(door, event_id, fang_ticket, gate="A"))["result"] == "admitted"
            await page.wait_for_function(
                "() => [...document.querySelectorAll('table.attendees tbody tr')]"
                ".some(row => row.textContent.includes('王芳') && row.dataset.state === 'in')",
                timeout=15_000,
            )
            assert "已签到" in await fang_row.inner_text() and "入口 A" in await fang_row.inner_text()
            assert await page.inner_text("#count-in") == "1"
            assert "尚未签到" in await page.locator("table.attendees tbody tr", has_text="Claire Dubois").inner_text()
            await console.shot(SHOTS / "coordinator_day_6_attendees.png")

            # The call list, from Today: Claire, not arrived yet, is called and reached.
            await console.open("/console")
            await page.click("a.figure[href='/console/calls#due']")
            await page.wait_for_selector("#due")
            assert "当前应致电" in await page.inner_text("#due-title")
            card = page.locator("article.call", has_text="Claire Dubois")
            text = await card.inner_text()
            assert "Call Claire Dubois: confirm" in text and "+8613900000002" in text and TITLE in text
            await console.shot(SHOTS / "coordinator_day_7_calls_due.png")
            await card.locator("input[value=reached]").check()
            await card.locator("textarea[name=note]").fill("已确认出席，约晚到十分钟")
            await card.locator("button[type=submit]").click()
            await page.wait_for_selector(".notice[role=status]")
            assert "已联系上" in await page.inner_text(".notice")
            assert await page.locator("article.call", has_text="Claire Dubois").count() == 0
            done = await page.inner_text("#done")
            assert "Claire Dubois" in done and "已联系上" in done and "约晚到十分钟" in done
            await console.shot(SHOTS / "coordinator_day_8_call_recorded.png")

            # The designer's flight is late: the salon moves an hour later. The page says first
            # whom that reaches; nothing moves until it is confirmed.
            await console.open(f"/console/events/{event_id}")
            await page.click(f"a[href='/console/events/{event_id}/move']")
            impact = await propose_move(page, starts + timedelta(hours=1), ends + timedelta(hours=1))
            assert "2 位持有席位的会员将收到时间变更通知" in impact
            assert "2 条待发送的提醒将随新时间调整" in impact and "发给 2 位会员" in impact
            assert on_the_console(starts) in impact and on_the_console(starts + timedelta(hours=1)) in impact
            await console.shot(SHOTS / "coordinator_day_9_move.png")
            await page.click(".move-impact button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "活动时间已变更" in await page.inner_text(".notice")
            assert on_the_console(starts + timedelta(hours=1)) in await page.inner_text(".lede")

            # The reminders followed: the SMS now half an hour before 19:00; the calls made stay;
            # both members are told of the new time (once the worker has sent the notices).
            await work_the_queue(settings, calls=2)
            await console.open(f"/console/events/{event_id}/reminders")
            await page.wait_for_selector("table.schedule")
            after = await schedule(page)
            sms_rows = [r for r in after if r[3] == "短信" and "第 2 步" in r[2]]
            assert sorted((r[0], r[1], r[4]) for r in sms_rows) == sorted([
                (on_the_console(starts + timedelta(minutes=30)), "王芳", "已排定"),
                (on_the_console(starts + timedelta(minutes=30)), "Claire Dubois", "已排定"),
            ])
            assert not any(r[0] == on_the_console(starts - timedelta(minutes=30)) for r in after)
            call_rows = [r for r in after if "第 1 步" in r[2]]
            assert sorted((r[0], r[4]) for r in call_rows) == [(on_the_console(afternoon), "已发送")] * 2
            told = sorted(r[1] for r in after if r[2] == "通知：时间变更" and r[4] == "已发送")
            assert told == ["Claire Dubois", "王芳"]
            await console.shot(SHOTS / "coordinator_day_10_reminders_moved.png")

            # Every page in Chinese, none wider than the window, nothing fetched from another host.
            assert len(console.drawn) == 10 and console.not_in("zh-Hans") == {}
            assert console.wider_than_the_window() == {}
            assert console.fetched_elsewhere() == []


async def schedule(page: Page) -> list[tuple[str, ...]]:
    """The schedule's rows as a coordinator reads them: (due on the venue's clock, member,
    message, channel, status)."""
    rows = await page.evaluate(
        """() => [...document.querySelectorAll('table.schedule tbody tr')].map(row => [
             row.cells[0].innerText.split('\\n')[0].trim(),
             row.cells[1].querySelector('a').innerText.trim(),
             row.cells[2].innerText.trim(),
             row.cells[3].innerText.trim(),
             row.cells[4].querySelector('.status').innerText.trim(),
           ])"""
    )
    return [tuple(r) for r in rows]
