"""A coordinator's reminder sequence in Debian's Chromium at 1440x900, in zh-Hans: a two-step
sequence built on the form (an e-mail a week before, an SMS the day before at 18:00), each step
written in zh-Hans and in English with the placeholders added by their buttons, previewed for a
zh-Hans and an en member, attached to a salon, and the salon's schedule read: who gets what, when.
And the call list: a call due, "no answer" recorded with the time to call again.

Screenshots are left in /tmp (console_sequences_*.png) to look at; none is committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from club import clock
from club.i18n.formats import date_time_text
from club.i18n.languages import Language
from club.settings import Settings
from events.reminders.rules import step_due
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask, ReminderStep
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, burst_worker, event_starting_in, queue_of, rsvp, sequence, step

skip_without_chromium()

SHOTS = Path("/tmp")
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_coordinator_builds_previews_and_attaches_a_two_step_sequence(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
    claire = await make_member("Claire Dubois", email="claire@members.test", language="en", time_zone="Europe/Paris")
    start = (clock.now() + timedelta(days=12)).astimezone(SHANGHAI).replace(hour=19, minute=0, second=0, microsecond=0)
    salon = await published_event(
        server, coordinator, title="高级珠宝鉴赏沙龙", venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
    )
    for member in (fang, claire):
        await rsvp(server, member, salon["id"])

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))

            await page.goto(f"{server.base_url}/console/sequences")
            assert "提醒序列" in await page.inner_text("h1")
            await page.click("a[href='/console/sequences/new']")
            await page.wait_for_selector("#name")
            await page.fill("#name", "珠宝沙龙：一周前与前一天")
            # Step 1: an e-mail a week before, the placeholders added by their buttons.
            await page.fill("#s0-offset_days", "-7")
            await page.select_option("#s0-channel", "email")
            await page.fill("#s0-zh-Hans-subject", "诚邀出席：")
            await page.click("button.chip[data-insert='{event_title}']")
            await page.fill("#s0-zh-Hans-template", "尊敬的")
            await page.click("button.chip[data-insert='{member_name}']")
            await page.type("#s0-zh-Hans-template", "，{event_title}将于{local_time}在{venue}举行，恭候光临。")
            await page.fill("#s0-en-subject", "{event_title}: you are expected")
            await page.fill("#s0-en-template", "Dear {member_name}, {event_title} takes place on {local_time} at {venue}.")
            await page.screenshot(path=str(SHOTS / "console_sequences_step1.png"), full_page=True)
            assert await page.input_value("#s0-zh-Hans-subject") == "诚邀出席：{event_title}"

            await page.click("button[value=add]")
            await page.wait_for_selector("#step-1")
            assert await page.input_value("#s0-zh-Hans-template") == "尊敬的{member_name}，{event_title}将于{local_time}在{venue}举行，恭候光临。"
            await page.fill("#s1-offset_days", "-1")
            await page.fill("#s1-at_local_time", "18:00")
            await page.select_option("#s1-channel", "sms")
            await page.fill("#s1-zh-Hans-template", "{member_name}，明天{local_time}，{venue}，恭候光临。")
            await page.fill("#s1-en-template", "{member_name}, tomorrow {local_time} at {venue}. We look forward to seeing you.")
            await page.screenshot(path=str(SHOTS / "console_sequences_builder.png"), full_page=True)
            await page.click(".actions button[value=save]")
            await page.wait_for_selector(".notice[role=status]")
            assert "提醒序列已保存。" in await page.inner_text(".notice")
            assert await ReminderStep.count() == 2
            steps = await page.inner_text("table.steps")
            assert "活动开始前 7 天" in steps and "活动开始前 1 天，当地时间 18:00" in steps
            sequence_url = page.url.split("?")[0]
            await page.screenshot(path=str(SHOTS / "console_sequences_saved.png"), full_page=True)

            # The preview for each member, in their own language with their own values.
            starts = datetime.fromisoformat(salon["starts_at"])
            for name, query, expected in (
                ("王芳", "王芳", f"尊敬的王芳，高级珠宝鉴赏沙龙将于{date_time_text(starts, 'Asia/Shanghai', Language.zh_hans)}在上海 · 外滩源壹号举行，恭候光临。"),
                ("Claire Dubois", "Claire", f"Dear Claire Dubois, 高级珠宝鉴赏沙龙 takes place on {date_time_text(starts, 'Asia/Shanghai', Language.en, 'Europe/Paris')} at 上海 · 外滩源壹号."),
            ):
                await page.fill("#q", query)
                await page.click("form.preview-form button[type=submit]")
                await page.click(f"ul.found a:has-text('预览：{name}')")
                await page.wait_for_selector("ol.previews")
                assert expected in await page.inner_text("#preview-step-1")
                shot = "zh" if name == "王芳" else "en"
                await page.locator("#preview").screenshot(path=str(SHOTS / f"console_sequences_preview_{shot}.png"))
            assert "语言：English" in await page.inner_text("#preview-member")
            assert "In the member's language" not in await page.inner_text("#preview")  # the page is in zh-Hans

            # Attached to the salon, the schedule names who gets what and when.
            await page.goto(sequence_url)
            await page.select_option("#event_id", str(salon["id"]))
            await page.click("form.attach-form button[type=submit]")
            await page.wait_for_selector("table.schedule")
            assert "提醒序列已附加。" in await page.inner_text(".notice")
            table = await page.inner_text("table.schedule")
            sms_due = step_due(starts, SHANGHAI, -1, 0, "18:00")
            email_due = step_due(starts, SHANGHAI, -7, 0, None)
            assert "王芳" in table and "Claire Dubois" in table
            assert date_time_text(sms_due, "Asia/Shanghai", Language.zh_hans, "Europe/Paris") in table
            assert date_time_text(email_due, "Asia/Shanghai", Language.zh_hans, "Europe/Paris") in table
            assert f"会员当地时间：{date_time_text(sms_due, 'Europe/Paris', Language.zh_hans)}" in table
            assert table.count("已排定") >= 4
            await page.screenshot(path=str(SHOTS / "console_sequences_schedule.png"), full_page=True)
            await page.goto(f"{server.base_url}/console/sequences")
            assert "珠宝沙龙：一周前与前一天" in await page.inner_text("table.sequences")
            await page.screenshot(path=str(SHOTS / "console_sequences_list.png"), full_page=True)
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            assert all(url.startswith(server.base_url) for url in requested), [u for u in requested if not u.startswith(server.base_url)]
        finally:
            await browser.close()


async def test_a_coordinator_works_the_call_list(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    """The call due, its script read, "no answer" recorded with the time to call again: the call
    leaves the calls due for "coming up"; a refused step of the builder says why beside the field."""
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    salon = await event_starting_in(server, coordinator, timedelta(days=1), title="高级珠宝鉴赏沙龙", venue_time_zone="Asia/Shanghai",
                                    venue="上海 · 外滩源壹号")
    calls = await sequence(server, coordinator, step(
        channel="call", offset_days=-2, template="Call {member_name}: confirm {event_title} on {local_time} at {venue}; ask about a guest.",
    ))
    await attach(server, coordinator, salon["id"], calls["id"])
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
    await rsvp(server, fang, salon["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, 6 * 3600.0)
        await burst_worker(awake(settings))
    [task] = await CallTask.select().where(CallTask.member == fang.member_id)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            await page.goto(f"{server.base_url}/console")
            await page.screenshot(path=str(SHOTS / "console_calls_today.png"), full_page=True)
            await page.click("a.figure[href='/console/calls#due']")
            card = page.locator(f"#call-{task['id']}")
            assert "王芳" in await card.inner_text() and "Call 王芳: confirm 高级珠宝鉴赏沙龙" in await card.inner_text()
            await page.screenshot(path=str(SHOTS / "console_calls_due.png"), full_page=True)
            await card.locator("input[value=no_answer]").check()
            await card.locator("textarea[name=note]").fill("下午再拨")
            await card.locator("button[type=submit]").click()
            await page.wait_for_selector(".notice[role=status]")
            assert "已记录：无人接听。" in await page.inner_text(".notice")
            assert await page.locator(f"#call-{task['id']}").count() == 0
            assert "下午再拨" in await page.inner_text(f"#later-{task['id']}")
            await page.screenshot(path=str(SHOTS / "console_calls_recorded.png"), full_page=True)

            # A step a day too far is refused beside its field, with what was typed kept.
            await page.goto(f"{server.base_url}/console/sequences/new")
            await page.fill("#name", "太远的提醒")
            await page.fill("#s0-offset_days", "-400")
            await page.fill("#s0-zh-Hans-template", "尊敬的{member_name}，{event}")
            await page.click(".actions button[value=save]")
            await page.wait_for_selector("#s0-offset_days-error")
            assert await page.inner_text("#s0-offset_days-error") == "请填写 -366 至 366 之间的整数。"
            assert await page.input_value("#s0-offset_days") == "-400"
            await page.screenshot(path=str(SHOTS / "console_sequences_refused.png"), full_page=True)
        finally:
            await browser.close()
