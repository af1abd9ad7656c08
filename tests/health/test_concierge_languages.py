"""A Chinese club's concierge: the call scripts and the preparation that coordinators read are in
the club's language, whatever the member's own; the member's fasting SMS stays in theirs."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from club import clock
from club.i18n.languages import Language
from club.server.app import create_app
from club.settings import Settings
from events.reminders import urls as reminder_urls
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask, ReminderMessage
from events.urls import link
from health_programs import urls
from health_programs.rules import Preparation, preparation_text
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, slot_in
from tests.reminders.helpers import awake, burst_worker, queue_of
from tests.serving import serving

HORIZON = 6 * 3600.0


def test_the_preparation_script_in_each_language() -> None:
    prep = Preparation(10, "your passport", "coffee")
    assert preparation_text(prep) == "Nothing to eat for 10 hours before the appointment; water is fine. Bring: your passport. Avoid: coffee."
    assert preparation_text(prep, Language.zh_hans) == (
        "请空腹（请勿进食早餐）：预约时间前10小时内请勿进食，可以饮水。请携带：your passport。请避免：coffee。"
    )
    assert preparation_text(Preparation(0, "", ""), Language.zh_hant) == "本次體檢無需空腹。"


async def test_a_chinese_clubs_call_scripts_are_in_chinese_for_a_member_who_reads_english(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    chinese = dataclasses.replace(settings, club_locale=Language.zh_hans)
    with clock.frozen_at(datetime(2026, 6, 10, 11, 30, tzinfo=ZoneInfo("Europe/Paris"))):
        async with serving(create_app(chinese, run_worker=False)) as base_url:
            club = LiveServer(base_url, chinese, server.app)
            prog = await program(club, coordinator, season_starts_on="2026-01-01")
            paris = await clinic(club, coordinator, prog["id"])
            s = await slot(club, coordinator, paris["id"], slot_in(timedelta(hours=3)))
            guest = await make_member("Wei Zhang", time_zone="Europe/Paris", phone="+86 138 0000 0000", language="en")
            async with club.client(guest.token) as http:
                assert (await book(http, prog["id"], s["id"])).status_code == 201
            async with httpx.AsyncClient(base_url=base_url, headers=coordinator.headers) as http:
                sequence = (await http.get(link(reminder_urls.SEQUENCE, sequence_id=prog["reminder_sequence_id"]))).json()
                changed = await http.patch(link(urls.PROGRAM_PREPARATION, program_id=prog["id"]), json={"fasting_hours": 12})
                after = (await http.get(link(reminder_urls.SEQUENCE, sequence_id=prog["reminder_sequence_id"]))).json()
            async with queue_of(chinese) as queue:
                await dispatch(queue, HORIZON)
                await burst_worker(awake(chinese))
    assert sequence["preparation"] == (
        "请空腹（请勿进食早餐）：预约时间前10小时内请勿进食，可以饮水。"
        "请携带：your passport and last year's letter。请避免：alcohol and coffee the evening before。"
    )
    assert changed.status_code == 200 and after["preparation"].startswith("请空腹（请勿进食早餐）：预约时间前12小时内请勿进食")
    assert changed.json()["preparation"]["text"] == after["preparation"]
    assert sequence["name"] == "Annual check-up 2027：专属顾问致电"
    scripts = sorted(t["script"] for t in await CallTask.select().where(CallTask.member == guest.member_id))
    assert scripts == [
        "专属顾问致电Wei Zhang，确认体检预约：Annual check-up 2027: Clinique du Louvre，预约时间2026年6月10日（周三）14:30，地点Clinique du Louvre, 4 rue de Rivoli。",
        (
            "专属顾问致电Wei Zhang，说明明日体检安排：预约时间2026年6月10日（周三）14:30，地点Clinique du Louvre, 4 rue de Rivoli。"
            "请逐项说明体检准备：请空腹（请勿进食早餐）：预约时间前12小时内请勿进食，可以饮水。"
            "请携带：your passport and last year's letter。请避免：alcohol and coffee the evening before。"
        ),
    ]
    # The member reads English: their fasting SMS is theirs, not the club's.
    [sms] = await ReminderMessage.select().where(
        (ReminderMessage.member == guest.member_id) & (ReminderMessage.intended_channel == "sms")
    )
    assert "please do not eat breakfast" in sms["body"]


async def test_a_program_answers_its_preparation_in_the_readers_language(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator)
    reader = await make_member("Chen Mei", language="zh-Hant")
    async with server.client(reader.token) as http:
        one = (await http.get(link(urls.PROGRAM, program_id=prog["id"]))).json()
        listed = (await http.get(urls.PROGRAMS)).json()
    text = "請空腹（請勿進食早餐）：預約時間前10小時內請勿進食，可以飲水。請攜帶：your passport and last year's letter。請避免：alcohol and coffee the evening before。"
    assert one["preparation"]["text"] == text and [p["preparation"]["text"] for p in listed] == [text]
    assert prog["preparation"]["text"].startswith("Nothing to eat for 10 hours")  # the English club's coordinator
