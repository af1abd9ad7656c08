"""Messages in the member's own language (issue 13): the reminder, the "moved" notice and the
cancellation reach a zh-Hans and a zh-Hant member in theirs, times as their language writes them
on the venue's clock, the city named for the member who lives on another; a coordinator's step
written per language reaches each member in theirs, the club default's text for the others.

Everything goes through the real path: RSVPs and changes over HTTP, the events outbox adopted
into the schedule, `deliver` handing the message to the embedded outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.settings import Settings
from club.tables import Member
from events import urls as event_urls
from events.reminders.delivery import deliver
from events.reminders.scheduling import adopt_outbox
from events.reminders.tables import ReminderMessage, ScheduledReminder
from health_programs.rules import Preparation, morning_texts
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, rsvp, sequence, step
from travel.reminders import TRIP_STEPS

# Friday 11 December 2026, 08:00 in Shanghai; the clock is frozen ten days before.
STARTS = datetime(2026, 12, 11, 0, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


async def _shanghai_salon(server: LiveServer, coordinator: Caller) -> dict:
    return await published_event(
        server, coordinator, title="香氛沙龙", venue="外滩源一号", venue_time_zone="Asia/Shanghai",
        starts_at=STARTS.isoformat(), ends_at=STARTS.replace(hour=2).isoformat(),
    )


async def _deliver_all(settings: Settings, where: object) -> None:
    """Send every scheduled row matching `where`, each at its own time."""
    for row in await ScheduledReminder.select().where(where & (ScheduledReminder.status == "scheduled")):  # type: ignore[operator]
        with clock.frozen_at(max(row["due_at"], clock.now())):
            assert await deliver(row["id"], row["generation"], awake(settings)) == "sent"


async def _messages_of(member: Caller) -> list[dict]:
    return await ReminderMessage.select().where(ReminderMessage.member == member.member_id).order_by(ReminderMessage.id)


async def test_a_reminder_a_move_and_a_cancellation_reach_each_member_in_their_language(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    with clock.frozen_at(NOW):
        event = await _shanghai_salon(server, coordinator)
        made = await sequence(server, coordinator, step(offset_days=-1, texts={
            "zh-Hans": {"template": "尊敬的{member_name}，{event_title}将于{local_time}举行，期待您的光临。"},
            "zh-Hant": {"template": "尊敬的{member_name}，{event_title}將於{local_time}舉行，期待您的光臨。"},
        }))
        await attach(server, coordinator, event["id"], made["id"])
        # One reads simplified Chinese at home in Shanghai, one traditional Chinese in Paris.
        mei = await make_member("王美", language="zh-Hans", time_zone="Asia/Shanghai")
        lin = await make_member("林書華", language="zh-Hant", time_zone="Europe/Paris")
        for member in (mei, lin):
            await rsvp(server, member, event["id"])
        await adopt_outbox()
        await _deliver_all(settings, ScheduledReminder.outbox.is_not_null())
        [mei_confirmed] = await _messages_of(mei)
        [lin_confirmed] = await _messages_of(lin)
        assert mei_confirmed["subject"] == "您的席位已确认：香氛沙龙"
        assert mei_confirmed["body"] == "尊敬的王美，您的席位已确认：香氛沙龙，2026年12月11日（周五）08:00，外滩源一号。"
        assert lin_confirmed["subject"] == "您的席位已確認：香氛沙龙"
        assert lin_confirmed["body"] == "尊敬的林書華，您的席位已確認：香氛沙龙，2026年12月11日（週五）08:00（上海時間），外滩源一号。"

        # The reminder, the day before on the venue's clock.
        await _deliver_all(settings, ScheduledReminder.step.is_not_null())
        assert (await _messages_of(mei))[-1]["body"] == "尊敬的王美，香氛沙龙将于2026年12月11日（周五）08:00举行，期待您的光临。"
        assert (await _messages_of(lin))[-1]["body"] == "尊敬的林書華，香氛沙龙將於2026年12月11日（週五）08:00（上海時間）舉行，期待您的光臨。"

        # The salon moves a day later: Saturday 12 December, 08:00 in Shanghai.
        async with server.client(coordinator.token) as http:
            moved = await http.patch(
                event_urls.link(event_urls.EVENT, event_id=event["id"]),
                json={"starts_at": STARTS.replace(day=12).isoformat(), "ends_at": STARTS.replace(day=12, hour=2).isoformat()},
            )
            assert moved.status_code == 200, moved.text
        await adopt_outbox()
        await _deliver_all(settings, ScheduledReminder.outbox.is_not_null())
        mei_moved, lin_moved = (await _messages_of(mei))[-1], (await _messages_of(lin))[-1]
        assert mei_moved["subject"] == "时间变更：香氛沙龙"
        assert mei_moved["body"] == "尊敬的王美，香氛沙龙时间变更，现改为2026年12月12日（周六）08:00于外滩源一号举行。"
        assert lin_moved["subject"] == "時間變更：香氛沙龙"
        assert lin_moved["body"] == "尊敬的林書華，香氛沙龙時間變更，現改為2026年12月12日（週六）08:00（上海時間）於外滩源一号舉行。"

        # Mei now reads traditional characters: the next message is written in them.
        await Member.update({Member.language: "zh-Hant"}).where(Member.id == mei.member_id)
        async with server.client(coordinator.token) as http:
            cancelled = await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=event["id"]))
            assert cancelled.status_code == 200, cancelled.text
        await adopt_outbox()
        await _deliver_all(settings, ScheduledReminder.outbox.is_not_null())
        mei_cancelled, lin_cancelled = (await _messages_of(mei))[-1], (await _messages_of(lin))[-1]
        assert mei_cancelled["subject"] == lin_cancelled["subject"] == "活動已取消：香氛沙龙"
        assert mei_cancelled["body"] == "尊敬的王美，很抱歉地通知您：原定於2026年12月12日（週六）08:00舉行的香氛沙龙活動已取消。"
        assert "2026年12月12日（週六）08:00（上海時間）" in lin_cancelled["body"] and "活動已取消" in lin_cancelled["body"]
        for message in (*await _messages_of(mei), *await _messages_of(lin)):
            assert "!" not in message["body"] and "！" not in message["body"]


async def test_a_coordinators_text_per_language_reaches_each_member_in_theirs(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    with clock.frozen_at(NOW):
        event = await _shanghai_salon(server, coordinator)
        texts = {
            "zh-Hans": {"subject": "明日：{event_title}", "template": "尊敬的{member_name}，{event_title}将于{local_time}在{venue}举行。"},
            "zh-TW": {"subject": "明日：{event_title}", "template": "尊敬的{member_name}，{event_title}將於{local_time}在{venue}舉行。"},
        }
        # The single form is the club default's (English in the tests): the French reader gets it.
        made = await sequence(
            server, coordinator,
            step(offset_days=-1, subject="Tomorrow: {event_title}", template="Dear {member_name}, {event_title} is on {local_time}.", texts=texts),
        )
        assert set(made["steps"][0]["texts"]) == {"zh-Hans", "zh-Hant"}
        await attach(server, coordinator, event["id"], made["id"])
        mei = await make_member("王美", language="zh-Hans", time_zone="Asia/Shanghai")
        lin = await make_member("林書華", language="zh-Hant", time_zone="Asia/Taipei")
        claire = await make_member("Claire Martin", language="fr", time_zone="Europe/Paris")
        for member in (mei, lin, claire):
            await rsvp(server, member, event["id"])
        await _deliver_all(settings, ScheduledReminder.step.is_not_null())
        [mei_reminder] = [m for m in await _messages_of(mei) if not m["delivery_key"].startswith("outbox:")]
        [lin_reminder] = [m for m in await _messages_of(lin) if not m["delivery_key"].startswith("outbox:")]
        [claire_reminder] = [m for m in await _messages_of(claire) if not m["delivery_key"].startswith("outbox:")]
        assert mei_reminder["subject"] == "明日：香氛沙龙"
        assert mei_reminder["body"] == "尊敬的王美，香氛沙龙将于2026年12月11日（周五）08:00在外滩源一号举行。"
        # Taipei's clock shows Shanghai's time: no city to name.
        assert lin_reminder["body"] == "尊敬的林書華，香氛沙龙將於2026年12月11日（週五）08:00在外滩源一号舉行。"
        assert claire_reminder["subject"] == "Tomorrow: 香氛沙龙"
        assert claire_reminder["body"] == "Dear Claire Martin, 香氛沙龙 is on Fri, Dec 11, 2026, 08:00 (Shanghai time)."


async def test_a_step_given_only_per_language_falls_back_to_the_club_default_never_a_blank(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    with clock.frozen_at(NOW):
        event = await _shanghai_salon(server, coordinator)
        made = await sequence(
            server, coordinator,
            {"channel": "sms", "offset_days": -1, "texts": {
                "en": {"template": "{event_title}: {local_time}"},
                "zh-Hans": {"template": "{event_title}：{local_time}"},
            }},
        )
        assert made["steps"][0]["template"] == ""
        await attach(server, coordinator, event["id"], made["id"])
        lin = await make_member("林書華", language="zh-Hant", time_zone="Asia/Shanghai")
        await rsvp(server, lin, event["id"])
        await _deliver_all(settings, ScheduledReminder.step.is_not_null())
        [reminder] = [m for m in await _messages_of(lin) if not m["delivery_key"].startswith("outbox:")]
        assert reminder["body"] == "香氛沙龙: Fri, Dec 11, 2026, 08:00"  # the club default (English here)
        # A step with no text at all, or a text in a language the club does not write, is refused.
        async with server.client(coordinator.token) as http:
            blank = await http.post("/api/reminder-sequences", json={"name": "x", "steps": [{"channel": "sms"}]})
            klingon = await http.post("/api/reminder-sequences", json={"name": "x", "steps": [
                {"channel": "sms", "texts": {"tlh": {"template": "Qapla'"}}}
            ]})
        assert blank.status_code == 400 and "no template" in blank.text
        assert klingon.status_code == 400 and "'tlh'" in klingon.text
        async with server.client(coordinator.token) as http:
            in_chinese = await http.post("/api/reminder-sequences", json={"name": "x", "steps": [
                {"channel": "sms", "template": "{event_title} {dress_code}"}
            ]}, headers={"Accept-Language": "zh-CN"})
        assert in_chinese.json()["detail"] == (
            "提醒步骤有误：第 1 步的模板使用了未知的占位符 dress_code。"
            "可用的占位符：{member_name}, {event_title}, {local_time}, {venue}, {preparation}, {survey_link}。"
        )
        assert in_chinese.json()["problems"] == ["step 1 template uses unknown placeholders dress_code"]


def test_the_trips_default_steps_are_stored_in_every_club_language() -> None:
    evening = TRIP_STEPS[1].texts
    assert set(evening) == {"zh-Hans", "zh-Hant", "en"}
    assert evening["zh-Hans"].template == "尊敬的{member_name}，明日出发：{event_title}。集合地点：{venue}，{local_time}。出发不作等候。"
    assert evening["zh-Hant"].template == "尊敬的{member_name}，明日出發：{event_title}。集合地點：{venue}，{local_time}。出發不作等候。"
    assert evening["en"].template == TRIP_STEPS[1].template
    assert TRIP_STEPS[0].texts["zh-Hans"].subject == "{event_title}三周后出发：请确认您的旅行证件"


def test_the_check_up_morning_sms_says_fasting_in_every_club_language() -> None:
    fasting = morning_texts(Preparation(fasting_hours=10, bring="", avoid="咖啡"))
    assert fasting["zh-Hans"].template == (
        "尊敬的{member_name}，早上好。您的体检安排在今天{local_time}，地点{venue}。"
        "请空腹（请勿进食早餐）：检查前10小时内请勿进食，可以饮水。请避免：咖啡。"
    )
    assert "請空腹（請勿進食早餐）" in fasting["zh-Hant"].template and fasting["zh-Hant"].subject == "今日體檢"
    assert fasting["en"].template.endswith("(nothing to eat for 10 hours before; water is fine). Please avoid: 咖啡.")


async def test_a_waitlisted_member_reads_their_place_on_the_waitlist(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    with clock.frozen_at(NOW):
        event = await published_event(
            server, coordinator, title="香氛沙龙", venue="外滩源一号", venue_time_zone="Asia/Shanghai", capacity=1,
            starts_at=STARTS.isoformat(), ends_at=STARTS.replace(hour=2).isoformat(),
        )
        seated = await make_member("周先生", language="zh-Hans", time_zone="Asia/Shanghai")
        mei = await make_member("王美", language="zh-Hans", time_zone="Asia/Shanghai")
        lin = await make_member("林書華", language="zh-Hant", time_zone="Asia/Shanghai")
        for member in (seated, mei, lin):
            await rsvp(server, member, event["id"])
        await adopt_outbox()
        await _deliver_all(settings, ScheduledReminder.outbox.is_not_null())
        [mei_waiting] = await _messages_of(mei)
        [lin_waiting] = await _messages_of(lin)
        assert mei_waiting["subject"] == "您已列入候补名单：香氛沙龙"
        assert mei_waiting["body"] == (
            "尊敬的王美，2026年12月11日（周五）08:00的香氛沙龙席位已满，您目前为候补第 1 位。有席位空出时，我们会即刻告知您。"
        )
        assert "您目前為候補第 2 位" in lin_waiting["body"]
