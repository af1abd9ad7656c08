"""The console's call list through the real server, in zh-Hans, with a real worker making the call
tasks: each call with the member's language, phone, appointment and script; an outcome recorded
(no answer → again at a chosen time, when it is due again), refused beside its field when it
cannot be read; notes kept to the console (not in its record, not in the logs); and the members
not reached yet the day before their check-up, made through the health programmes' own booking."""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from club import clock
from club.i18n.formats import date_time_text
from club.i18n.languages import Language
from club.settings import Settings
from club.tables import ConsoleAction
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask
from health_programs.tables import HealthAccessAudit
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot
from tests.pages import csrf_of
from tests.reminders.helpers import attach, awake, burst_worker, event_starting_in, queue_of, rsvp, sequence, step

ZH = {"Accept-Language": "zh-CN"}
HORIZON = 6 * 3600.0
NOTE = "请于午后再拨，她上午在开会；ref 7QX-ZEBRA"
PARIS = ZoneInfo("Europe/Paris")


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def card(page: str, task_id: int) -> str:
    """The words of one call's card on the list ("" when it is not there)."""
    found = re.search(rf'<article class="call card" id="call-{task_id}".*?</article>', page, re.DOTALL)
    return text_of(found.group(0)) if found else ""


def error_beside(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


async def outcome(client: httpx.AsyncClient, task_id: int, **fields: str) -> httpx.Response:
    opened = await client.get("/console/calls")
    return await client.post(f"/console/calls/{task_id}", data={"_csrf_token": csrf_of(opened.text), **fields})


async def make_calls(settings: Settings) -> None:
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        await burst_worker(awake(settings))


async def test_a_call_with_no_answer_comes_back_when_it_is_due_again(
    server: LiveServer, settings: Settings, coordinator: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    salon = await event_starting_in(server, coordinator, timedelta(days=2), title="香水沙龙", venue_time_zone="Asia/Shanghai")
    calls = await sequence(server, coordinator, step(
        channel="call", offset_days=-3, template="Call {member_name} to confirm {event_title} on {local_time}.",
    ))
    await attach(server, coordinator, salon["id"], calls["id"])
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
    await rsvp(server, fang, salon["id"])
    await make_calls(settings)
    [task] = await CallTask.select().where(CallTask.member == fang.member_id)

    async with await console_client(server.base_url, coordinator, **ZH) as client:
        listed = await client.get("/console/calls")
        assert listed.status_code == 200
        shown = card(listed.text, task["id"])
        starts = datetime.fromisoformat(salon["starts_at"])
        assert "王芳" in shown and "简体中文" in shown and "+8613800000001" in shown
        assert 'href="tel:+8613800000001"' in listed.text
        assert date_time_text(starts, "Asia/Shanghai", Language.zh_hans, "Europe/Paris") in shown
        assert "Call 王芳 to confirm 香水沙龙 on" in shown  # the script, in the club's language

        # Nothing chosen, or a time already past: refused beside the field, nothing recorded.
        nothing = await outcome(client, task["id"], note=NOTE)
        past = await outcome(client, task["id"], outcome="no_answer", note=NOTE,
                             retry_at=(clock.now() - timedelta(hours=1)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"))
        assert nothing.status_code == past.status_code == 400
        assert error_beside(nothing.text, f"c{task['id']}-outcome") == "请从所列选项中选择。"
        assert error_beside(past.text, f"c{task['id']}-retry_at") == "请选择 5 分钟后至 7 天内的时间。"
        assert NOTE in past.text  # what was typed is kept beside its call
        assert (await CallTask.select(CallTask.attempts).where(CallTask.id == task["id"]).first())["attempts"] == 0
        assert await ConsoleAction.count() == 0

        again_at = (clock.now() + timedelta(minutes=30)).astimezone(PARIS).replace(second=0, microsecond=0)
        recorded = await outcome(client, task["id"], outcome="no_answer", note=NOTE, retry_at=again_at.strftime("%Y-%m-%dT%H:%M"))
        assert recorded.status_code == 303 and recorded.headers["location"] == "/console/calls?done=no_answer"
        after = await client.get(recorded.headers["location"])
        assert "已记录：无人接听。" in text_of(after.text)
        assert card(after.text, task["id"]) == ""  # no longer due now ...
        later = re.search(rf'<tr id="later-{task["id"]}">(.*?)</tr>', after.text, re.DOTALL)
        assert later and date_time_text(again_at, "Europe/Paris", Language.zh_hans) in text_of(later.group(1))
        assert "无人接听" in text_of(later.group(1)) and NOTE in text_of(later.group(1))

        # ... and due again at the time chosen, with the note of the last try beside it.
        with clock.frozen_at(again_at + timedelta(minutes=1)):
            due = await client.get("/console/calls")
        shown = card(due.text, task["id"])
        assert "无人接听" in shown and "1 次" in shown and NOTE in shown

        reached = await outcome(client, task["id"], outcome="reached", note="确认出席")
        assert reached.status_code == 303
    done = await CallTask.select().where(CallTask.id == task["id"]).first()
    assert (done["status"], done["outcome"], done["attempts"], done["note"]) == ("done", "reached", 2, "确认出席")
    actions = await ConsoleAction.select().order_by(ConsoleAction.id)
    assert [(a["action"], a["member"], a["event_id"]) for a in actions] == [
        ("call_recorded", fang.member_id, salon["id"]), ("call_recorded", fang.member_id, salon["id"]),
    ]
    assert actions[0]["detail"] == f"call #{task['id']}: no_answer, again in 30 min"
    assert all("ZEBRA" not in a["detail"] and "确认出席" not in a["detail"] for a in actions)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = "\n".join(formatter.format(r) + repr(r.__dict__) for r in caplog.records)
    assert "7QX-ZEBRA" not in logged and "确认出席" not in logged


async def test_a_call_already_done_is_refused(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    salon = await event_starting_in(server, coordinator, timedelta(days=2))
    calls = await sequence(server, coordinator, step(channel="call", offset_days=-3, template="Call {member_name}."))
    await attach(server, coordinator, salon["id"], calls["id"])
    member = await make_member("王芳", language="zh-Hans", phone="+86 138 0000 0001")
    await rsvp(server, member, salon["id"])
    await make_calls(settings)
    [task] = await CallTask.select().where(CallTask.member == member.member_id)
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        first = await client.get("/console/calls")
        token = csrf_of(first.text)
        once = await client.post(f"/console/calls/{task['id']}", data={"_csrf_token": token, "outcome": "voicemail"})
        # A second tab still showing the call records it again.
        again = await client.post(f"/console/calls/{task['id']}", data={"_csrf_token": token, "outcome": "reached"})
        unknown = await client.post("/console/calls/999999", data={"_csrf_token": token, "outcome": "reached"})
    assert once.status_code == 303
    # Refused as the API refuses it (409); the list no longer holds the call, so the refusal is said above it.
    assert again.status_code == 409 and "此次致电已记录为完成。" in text_of(again.text)
    assert unknown.status_code == 404 and "致电任务 999999 不存在。" in text_of(unknown.text)
    assert await ConsoleAction.count() == 1


async def test_who_is_not_reached_the_day_before_a_check_up(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    # The evening before a 09:00 check-up in Paris: the confirmation call (three days before) and
    # the preparation call (the day before at 16:00) are both due already.
    evening = datetime(2026, 6, 10, 17, 0, tzinfo=PARIS)
    with clock.frozen_at(evening):
        prog = await program(server, coordinator, season_starts_on="2026-01-01")
        paris = await clinic(server, coordinator, prog["id"])
        appointment = datetime(2026, 6, 11, 9, 0, tzinfo=PARIS)
        s = await slot(server, coordinator, paris["id"], appointment)
        wei = await make_member("张伟", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0000")
        async with server.client(wei.token) as http:
            assert (await book(http, prog["id"], s["id"])).status_code == 201
        await make_calls(settings)
        tasks = await CallTask.select().where(CallTask.member == wei.member_id).order_by(CallTask.id)
        assert len(tasks) == 2
        [confirm] = [t for t in tasks if t["script"].startswith("Call 张伟 to confirm the appointment")]
        [prepare] = [t for t in tasks if t["id"] != confirm["id"]]

        async with await console_client(server.base_url, coordinator, **ZH) as client:
            today = await client.get("/console")
            listed = await client.get("/console/calls")
            row = re.search(rf'<tr id="unreached-{s["event_id"]}-{wei.member_id}">(.*?)</tr>', listed.text, re.DOTALL)
            assert row, "张伟 is on the not-reached list"
            cells = text_of(row.group(1))
            assert "张伟" in cells and "简体中文" in cells and "+8613800000000" in cells
            assert date_time_text(appointment, "Europe/Paris", Language.zh_hans) in cells and "尚未致电" in cells
            assert "明日有预约、尚未联系上的会员" in text_of(listed.text)
            assert "Nothing to eat for 10 hours" in card(listed.text, prepare["id"])  # the script, with the preparation

            voicemail = await outcome(client, confirm["id"], outcome="voicemail", note="留言请回电")
            still = await client.get("/console/calls")
            # The next call a few minutes on: under a frozen clock the two outcomes would share an
            # instant, and which of them is the latest would be the order the worker made the calls in.
            clock.advance(timedelta(minutes=5))
            reached = await outcome(client, prepare["id"], outcome="reached", note=NOTE)
            everyone = await client.get("/console/calls")
            other_day = await client.get("/console/calls", params={"day": "2026-06-12"})
    assert "当前应致电" in text_of(today.text) and re.search(r'<span class="n">2</span><span class="label">当前应致电', today.text)
    assert re.search(r'<span class="n">1</span><span class="label">明日有预约、尚未联系上', today.text)
    assert voicemail.status_code == reached.status_code == 303
    row = re.search(rf'<tr id="unreached-{s["event_id"]}-{wei.member_id}">(.*?)</tr>', still.text, re.DOTALL)
    assert row and "已留言" in text_of(row.group(1)) and "现在致电" in text_of(row.group(1))
    assert f'id="unreached-{s["event_id"]}-{wei.member_id}"' not in everyone.text
    assert "当天有预约的会员均已联系上。" in text_of(everyone.text)
    assert f'id="unreached-{s["event_id"]}' not in other_day.text
    # The check-up's calls went through the health programme's own service, and every read of
    # them on the console is in its access audit, as its own call list's are.
    done = {t["id"]: (t["status"], t["outcome"]) for t in await CallTask.select()}
    assert done == {confirm["id"]: ("done", "voicemail"), prepare["id"]: ("done", "reached")}
    reads = await HealthAccessAudit.select().where(HealthAccessAudit.member == wei.member_id)
    assert reads and {(r["reader"], r["what"]) for r in reads} == {(coordinator.user_id, "call-list")}
    assert [a["detail"] for a in await ConsoleAction.select().order_by(ConsoleAction.id)] == [
        f"call #{confirm['id']}: voicemail", f"call #{prepare['id']}: reached",
    ]


async def test_today_says_which_messages_failed_to_send_and_why(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    salon = await event_starting_in(server, coordinator, timedelta(days=2), title="香水沙龙")
    texts = await sequence(server, coordinator, step(channel="sms", offset_days=-3, template="{member_name}: {event_title}"))
    await attach(server, coordinator, salon["id"], texts["id"])
    na = await make_member("李娜", language="zh-Hans")  # no phone: the gateway cannot be asked to text her
    await rsvp(server, na, salon["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        await burst_worker(awake(settings, sms_gateway_url="http://127.0.0.1:9/sms"))
    async with await console_client(server.base_url, coordinator, **ZH) as client:
        today = await client.get("/console")
        schedule = await client.get(f"/console/events/{salon['id']}/reminders", params={"status": "failed"})
        member = await client.get(f"/console/members/{na.member_id}")
    section = re.search(r'<section class="console-panel today-failed".*?</section>', today.text, re.DOTALL)
    assert section, "Today has the failed messages"
    words = text_of(section.group(0))
    assert "发送失败的消息" in words and "李娜" in words and "香水沙龙" in words and "短信" in words
    assert "会员没有电话号码" in words
    rows = text_of(schedule.text.split('<table class="grid schedule">')[1])
    assert "李娜" in rows and "发送失败" in rows and "会员没有电话号码" in rows and "已排定" not in rows
    # Her page in the console: the confirmed notice went, the text failed; nothing is left to go.
    assert member.status_code == 200 and "待发送的提醒与致电" not in text_of(member.text)


async def test_a_script_written_before_the_event_moved_says_the_new_time(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """A call's script is written when its step is due; if the event moves after, the concierge
    must not read out the old time: the card says the script predates the move and gives the new one."""
    salon = await event_starting_in(server, coordinator, timedelta(days=2), title="香水沙龙", venue_time_zone="Asia/Shanghai")
    calls = await sequence(server, coordinator, step(
        channel="call", offset_days=-3, template="Call {member_name} to confirm {event_title} on {local_time}.",
    ))
    await attach(server, coordinator, salon["id"], calls["id"])
    fang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai", phone="+86 138 0000 0001")
    await rsvp(server, fang, salon["id"])
    await make_calls(settings)
    [task] = await CallTask.select().where(CallTask.member == fang.member_id)
    warning = "此脚本写于活动时间变更之前"

    async with await console_client(server.base_url, coordinator, **ZH) as client:
        assert warning not in card((await client.get("/console/calls")).text, task["id"])
        later = datetime.fromisoformat(salon["starts_at"]) + timedelta(hours=1)
        async with server.client(coordinator.token) as api:
            moved = await api.patch(f"/api/events/{salon['id']}", json={
                "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat(),
            })
            assert moved.status_code == 200, moved.text
        words = card((await client.get("/console/calls")).text, task["id"])
    assert warning in words
    assert f"预约时间现为 {date_time_text(later, 'Asia/Shanghai', Language.zh_hans, 'Europe/Paris')}" in words
