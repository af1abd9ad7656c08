"""The console's reminder sequences through the real server, in zh-Hans: a two-step sequence in two
languages built form by form, previewed for a zh-Hans and an en member (each in their own language
with their own values, as the send writes it), refused steps that answer 4xx beside the field and
write nothing, attached to an event whose schedule then names who gets what and when, and made the
default for a kind; every change recorded in the console's record."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from club import clock
from club.i18n.formats import date_time_text
from club.i18n.languages import Language
from club.tables import ConsoleAction
from events.reminders.rules import step_due
from events.reminders.tables import EventReminderSequence, KindDefaultSequence, ReminderSequence, ReminderStep, ScheduledReminder
from tests.conftest import LiveServer
from tests.console import console_client
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.pages import csrf_of
from tests.reminders.helpers import rsvp

ZH = {"Accept-Language": "zh-CN"}
VENUE_ZONE = "Asia/Shanghai"


def steps_fields(**overrides: str) -> dict[str, str]:
    """The builder's fields for a two-step sequence: an e-mail a week before, an SMS the day
    before at 18:00, each written in zh-Hans and en."""
    fields = {
        "name": "沙龙提醒：一周前与前一天", "preparation": "", "steps": "2",
        "s0-anchor": "event_start", "s0-offset_days": "-7", "s0-at_local_time": "", "s0-offset_minutes": "0",
        "s0-channel": "email", "s0-quiet_hours": "hold", "s0-send_to_late_joiners": "on",
        "s0-zh-Hans-subject": "{event_title}：诚邀您出席",
        "s0-zh-Hans-template": "尊敬的{member_name}，{event_title}将于{local_time}在{venue}举行。",
        "s0-en-subject": "{event_title}: you are expected",
        "s0-en-template": "Dear {member_name}, {event_title} takes place on {local_time} at {venue}.",
        "s1-anchor": "event_start", "s1-offset_days": "-1", "s1-at_local_time": "18:00", "s1-offset_minutes": "0",
        "s1-channel": "sms", "s1-quiet_hours": "hold", "s1-send_to_late_joiners": "on",
        "s1-zh-Hans-template": "{member_name}，明天{local_time}，{venue}，恭候光临。",
        "s1-en-template": "{member_name}, tomorrow {local_time} at {venue}. We look forward to seeing you.",
    }
    fields.update(overrides)
    return fields


async def salon(server: LiveServer, coordinator: Caller, days: int = 10) -> dict[str, Any]:
    start = clock.now().astimezone(ZoneInfo(VENUE_ZONE)).replace(hour=19, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return await published_event(
        server, coordinator, title="香水沙龙", venue="上海 · 外滩源壹号", venue_time_zone=VENUE_ZONE,
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
    )


async def post_form(client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]) -> httpx.Response:
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    return await client.post(action, data={"_csrf_token": csrf_of(opened.text), **fields})


def error_beside(page: str, field_id: str) -> str:
    """The problem shown beside a field (its aria-describedby target), or ""."""
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def build(client: httpx.AsyncClient, **overrides: str) -> int:
    """Build the two-step sequence as a coordinator does: the first step, "add a step", the
    second, save. Returns the new sequence's id."""
    first = {k: v for k, v in steps_fields(**overrides).items() if not k.startswith("s1-")} | {"steps": "1", "action": "add"}
    added = await post_form(client, "/console/sequences/new", "/console/sequences/new", first)
    assert added.status_code == 200, added.text
    assert 'id="step-1"' in added.text and "第 2 步" in added.text
    # The first step is kept as typed; the new one starts as the last one's timing, without texts.
    assert 'value="尊敬的{member_name}' not in added.text and "尊敬的{member_name}，{event_title}" in added.text
    saved = await client.post("/console/sequences/new", data={
        "_csrf_token": csrf_of(added.text), **steps_fields(**overrides), "action": "save",
    })
    assert saved.status_code == 303, saved.text
    found = re.fullmatch(r"/console/sequences/(\d+)\?done=saved", saved.headers["location"])
    assert found, saved.headers["location"]
    return int(found.group(1))


async def test_a_two_step_sequence_in_two_languages_is_built_and_previewed_for_each_member(
    server: LiveServer, coordinator: Caller
) -> None:
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
    claire = await make_member("Claire Dubois", language="en", time_zone="Europe/Paris", phone="+33 6 12 34 56 78")
    event = await salon(server, coordinator)
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        sequence_id = await build(client)
        page = await client.get(f"/console/sequences/{sequence_id}?done=saved")
        assert page.status_code == 200
        body = text_of(page.text)
        assert "提醒序列已保存。" in body and "2 个步骤" in body
        assert "活动开始前 7 天" in body and "活动开始前 1 天，当地时间 18:00" in body

        # Finding the member by name, then their preview for the salon.
        found = await client.get(f"/console/sequences/{sequence_id}", params={"q": "王芳", "event": event["id"]})
        assert f"member={fang.member_id}" in found.text and "预览：王芳" in text_of(found.text)
        zh = await client.get(f"/console/sequences/{sequence_id}", params={"member": fang.member_id, "event": event["id"]})
        en = await client.get(f"/console/sequences/{sequence_id}", params={"member": claire.member_id, "event": event["id"]})
    assert zh.status_code == en.status_code == 200
    starts = datetime.fromisoformat(event["starts_at"])
    zh_time = date_time_text(starts, VENUE_ZONE, Language.zh_hans)
    en_time = date_time_text(starts, VENUE_ZONE, Language.en, "Europe/Paris")
    zh_text, en_text = text_of(zh.text), text_of(en.text)
    assert "语言：简体中文" in zh_text
    assert f"尊敬的王芳，香水沙龙将于{zh_time}在上海 · 外滩源壹号举行。" in zh_text
    assert f"王芳，明天{zh_time}，上海 · 外滩源壹号，恭候光临。" in zh_text
    assert "香水沙龙：诚邀您出席" in zh_text and "以会员的语言（简体中文）撰写。" in zh_text
    assert "+8613800000001" in zh_text
    # The en member reads the English text, the salon's time on Shanghai's clock named as such.
    assert "语言：English" in en_text and "(Shanghai time)" in en_time
    assert f"Dear Claire Dubois, 香水沙龙 takes place on {en_time} at 上海 · 外滩源壹号." in en_text
    assert f"Claire Dubois, tomorrow {en_time} at 上海 · 外滩源壹号." in en_text
    assert "尊敬的" not in en_text.split("预览")[-1]
    # The SMS step falls the day before at 18:00 on the salon's clock.
    sms_due = step_due(starts, ZoneInfo(VENUE_ZONE), -1, 0, "18:00")
    assert date_time_text(sms_due, VENUE_ZONE, Language.zh_hans) in zh_text
    assert await ConsoleAction.count().where(ConsoleAction.action == "sequence_saved") == 1


async def test_a_bad_step_is_refused_beside_its_field_and_nothing_is_written(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        out_of_range = await post_form(client, "/console/sequences/new", "/console/sequences/new", steps_fields(**{
            "s0-offset_days": "400", "s1-at_local_time": "25:00", "action": "save",
        }))
        unknown = await post_form(client, "/console/sequences/new", "/console/sequences/new", steps_fields(**{
            "s1-en-template": "Dear {member}, see you at {local_time}.", "action": "save",
        }))
        empty = await post_form(client, "/console/sequences/new", "/console/sequences/new", steps_fields(**{
            "s1-zh-Hans-template": "", "s1-en-template": "", "action": "save",
        }))
        half = await post_form(client, "/console/sequences/new", "/console/sequences/new", steps_fields(**{
            "s0-en-template": "", "action": "save",
        }))
        nameless = await post_form(client, "/console/sequences/new", "/console/sequences/new", steps_fields(name="", action="save"))
    for answer in (out_of_range, unknown, empty, half, nameless):
        assert answer.status_code == 400, answer.text
        assert 'role="alert"' in answer.text
    assert error_beside(out_of_range.text, "s0-offset_days") == "请填写 -366 至 366 之间的整数。"
    assert error_beside(out_of_range.text, "s1-at_local_time") == "请以“时:分”填写时间，例如 18:00；也可留空。"
    assert 'id="s0-offset_days" name="s0-offset_days" value="400"' in out_of_range.text  # what was typed is kept
    # The service's own refusal (events.reminders.sequences), said beside the English message of step 2.
    assert error_beside(unknown.text, "s1-en-template") == "第 2 步的en 模板使用了未知的占位符 member"
    assert "可用的占位符" in text_of(unknown.text)
    assert error_beside(unknown.text, "s0-en-template") == ""
    assert error_beside(empty.text, "s1-texts") == "第 2 步没有模板：请填写模板，或为各语言分别填写文本"
    assert error_beside(half.text, "s0-en-template") == "此项不能留空。"
    assert error_beside(nameless.text, "name") == "此项不能留空。"
    assert await ReminderSequence.count() == 0 and await ReminderStep.count() == 0
    assert await ConsoleAction.count() == 0


async def test_attached_to_an_event_its_schedule_says_who_gets_what_and_when(server: LiveServer, coordinator: Caller) -> None:
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai")
    claire = await make_member("Claire Dubois", language="en", time_zone="Europe/Paris")
    event = await salon(server, coordinator)
    for member in (fang, claire):
        await rsvp(server, member, event["id"])
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        sequence_id = await build(client)
        attached = await post_form(
            client, f"/console/sequences/{sequence_id}", f"/console/sequences/{sequence_id}/attach", {"event_id": str(event["id"])}
        )
        assert attached.status_code == 303
        assert attached.headers["location"] == f"/console/events/{event['id']}/reminders?done=attached"
        schedule = await client.get(attached.headers["location"])
        sequence_page = await client.get(f"/console/sequences/{sequence_id}")
        member_page = await client.get(f"/console/members/{fang.member_id}")
    assert schedule.status_code == 200
    text = text_of(schedule.text)
    assert "提醒序列已附加。" in text and "沙龙提醒：一周前与前一天" in text
    starts = datetime.fromisoformat(event["starts_at"])
    email_due = step_due(starts, ZoneInfo(VENUE_ZONE), -7, 0, None)
    sms_due = step_due(starts, ZoneInfo(VENUE_ZONE), -1, 0, "18:00")
    rows = re.findall(r'<tr id="reminder-\d+" data-member="(\d+)">(.*?)</tr>', schedule.text, re.DOTALL)
    steps = [(int(member), text_of(cells)) for member, cells in rows if "第 1 步" in text_of(cells) or "第 2 步" in text_of(cells)]
    assert len(steps) == 4
    for member_id, cells in steps:
        due = email_due if "第 1 步" in cells else sms_due
        # Due on the salon's clock (Shanghai, named against the club's Paris clock) ...
        assert date_time_text(due, VENUE_ZONE, Language.zh_hans, "Europe/Paris") in cells
        assert ("邮件" if due == email_due else "短信") in cells and "已排定" in cells
        if member_id == claire.member_id:
            # ... and on the member's own clock when it shows another time.
            assert "Claire Dubois" in cells and f"会员当地时间：{date_time_text(due, 'Europe/Paris', Language.zh_hans)}" in cells
        else:
            assert member_id == fang.member_id and "王芳" in cells and "会员当地时间" not in cells
    assert await ScheduledReminder.count().where(ScheduledReminder.step.is_not_null()) == 4
    assert f"/console/events/{event['id']}/reminders" in sequence_page.text
    # Her page in the console lists what is still to go to her.
    panel = re.search(r'<section class="console-panel member-reminders".*?</section>', member_page.text, re.DOTALL)
    assert panel and "待发送的提醒与致电" in text_of(panel.group(0))
    assert date_time_text(sms_due, VENUE_ZONE, Language.zh_hans, "Europe/Paris") in text_of(panel.group(0))
    actions = await ConsoleAction.select(ConsoleAction.action, ConsoleAction.event_id).order_by(ConsoleAction.id)
    assert [(a["action"], a["event_id"]) for a in actions] == [("sequence_saved", None), ("sequence_attached", event["id"])]


async def test_detached_and_made_a_default_for_a_kind(server: LiveServer, coordinator: Caller) -> None:
    scheduled_steps = (ScheduledReminder.status == "scheduled") & ScheduledReminder.step.is_not_null()
    event = await salon(server, coordinator)
    member = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai")
    await rsvp(server, member, event["id"])
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        sequence_id = await build(client)
        attached = await post_form(client, f"/console/sequences/{sequence_id}", f"/console/sequences/{sequence_id}/attach",
                                   {"event_id": str(event["id"])})
        detached = await post_form(client, attached.headers["location"], f"/console/sequences/{sequence_id}/detach",
                                   {"event_id": str(event["id"]), "back": "event"})
        assert detached.status_code == 303
        after = await client.get(detached.headers["location"])
        assert "提醒序列已移除。" in text_of(after.text)
        assert await EventReminderSequence.count() == 0
        assert await ScheduledReminder.count().where(scheduled_steps) == 0
        # The default for salons: the salon, which has no sequence of its own now, follows it.
        made = await post_form(client, f"/console/sequences/{sequence_id}", f"/console/sequences/{sequence_id}/defaults",
                               {"kind": "salon"})
        assert made.status_code == 303
        schedule = await client.get(f"/console/events/{event['id']}/reminders")
        missing = await client.get("/console/sequences/999999")
        bad_event = await post_form(client, f"/console/sequences/{sequence_id}", f"/console/sequences/{sequence_id}/attach",
                                    {"event_id": "999999"})
    assert "按活动类型（沙龙）的默认序列发送" in text_of(schedule.text)
    assert [k["event_kind"] for k in await KindDefaultSequence.select()] == ["salon"]
    assert await ScheduledReminder.count().where(scheduled_steps) == 2
    assert missing.status_code == 404
    assert bad_event.status_code == 404 and error_beside(bad_event.text, "event_id")
    actions = [a["action"] for a in await ConsoleAction.select(ConsoleAction.action).order_by(ConsoleAction.id)]
    assert actions == ["sequence_saved", "sequence_attached", "sequence_detached", "sequence_attached"]


async def test_a_check_up_programmes_sequence_is_previewed_as_its_member_and_concierge_will_read_it(
    server: LiveServer, coordinator: Caller
) -> None:
    from tests.health.helpers import clinic, program, slot, slot_in

    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=5)))
    wei = await make_member("张伟", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0000")
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        page = await client.get(f"/console/sequences/{prog['reminder_sequence_id']}",
                                params={"member": wei.member_id, "event": s["event_id"]})
    assert page.status_code == 200
    cards = dict(re.findall(r'<li class="card preview" id="preview-step-(\d)" lang="([^"]+)"', page.text))
    # The calls are the concierge's script in the club's language; the morning text is the member's.
    assert cards == {"1": "en", "2": "en", "3": "zh-Hans", "4": "zh-Hans"}
    text = text_of(page.text)
    assert "Call 张伟 to confirm the appointment" in text
    assert "会员顾问致电时宣读的话术" in text and "请勿进食早餐" in text
    appointment = datetime.fromisoformat(s["starts_at"])
    morning = step_due(appointment, ZoneInfo("Europe/Paris"), 0, 0, "06:30")
    assert date_time_text(morning, "Europe/Paris", Language.zh_hans) in text
