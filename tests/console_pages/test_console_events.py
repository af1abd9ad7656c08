"""The console's event pages through the real server, as a coordinator reads them in zh-Hans:
a salon made and published through the forms, a refused form that says each problem next to its
field and writes nothing, the qualifying preview against the members who really qualify, a move
that says whom it reaches before it is confirmed (and the reminders that follow it), a
cancellation, the record of changes, and Today's events with their live counts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from club import clock
from club.audit import ActionKind
from club.members import set_status
from club.points import adjust
from club.tables import ConsoleAction, MemberStatus
from events import urls
from events.reminders.tables import ScheduledReminder, ScheduleStatus
from events.tables import Event, EventStatus, OutboxMessage
from tests.checkin.helpers import rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.console import console_client
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.pages import csrf_of, submit
from tests.reminders.helpers import attach, rsvp, sequence, step
from tests.test_query_counts import counting_statements

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _console(server: LiveServer, coordinator: Caller) -> httpx.AsyncClient:
    return await console_client(server.base_url, coordinator, **ZH)


def _local(instant: datetime, zone: ZoneInfo = SHANGHAI) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def _salon_fields(**overrides: str) -> dict[str, str]:
    start = (clock.now() + timedelta(days=12)).astimezone(SHANGHAI).replace(hour=18, minute=0, second=0, microsecond=0)
    fields = {
        "kind": "salon", "title": "高级珠宝鉴赏沙龙", "description": "与首席设计师共度的一个傍晚。",
        "venue": "上海 · 外滩源壹号", "venue_time_zone": "Asia/Shanghai",
        "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2)),
        "capacity": "40", "max_guests": "1", "waitlist_policy": "tier_priority", "min_tier": "Gold",
        "min_points": "", "max_per_12_months": "",
    }
    fields.update(overrides)
    return fields


def _error_of(html: str, field: str) -> str:
    """The words said next to a field (its field-error paragraph), or ""."""
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def _event_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    found = re.match(r"/console/events/(\d+)\?done=", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


async def _actions(event_id: int) -> list[str]:
    rows = await ConsoleAction.select(ConsoleAction.action).where(ConsoleAction.event_id == event_id).order_by(ConsoleAction.id)
    return [r["action"] for r in rows]


async def test_a_salon_is_made_and_published_through_the_forms(server: LiveServer, coordinator: Caller) -> None:
    fields = _salon_fields()
    async with await _console(server, coordinator) as console:
        form = await console.get("/console/events/new")
        assert form.status_code == 200
        assert "新建活动" in form.text and "沙龙、会员日或文化课堂" in form.text
        assert 'value="Europe/Paris"' in form.text  # the club's zone, until the venue's is typed

        made = await submit(console, "/console/events/new", "/console/events/new", fields)
        event_id = _event_id(made)
        row = await Event.select().where(Event.id == event_id).first()
        assert row is not None and row["status"] == EventStatus.draft.value
        # 18:00 on the venue's clock is 10:00 UTC.
        assert row["starts_at"].astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M") == fields["starts_at"]
        assert row["starts_at"].astimezone(UTC).hour == 10
        assert row["capacity"] == 40 and row["max_guests"] == 1 and row["waitlist_policy"] == "tier_priority"

        overview = await console.get(made.headers["location"])
        assert overview.status_code == 200
        text = overview.text
        assert "高级珠宝鉴赏沙龙" in text and "草稿" in text
        assert "活动已保存为草稿" in text
        assert "此活动面向金卡及以上会员。" in text
        assert f'href="/console/events/{event_id}/attendees"' in text

        published = await console.post(f"/console/events/{event_id}/publish", data={"_csrf_token": csrf_of(text)})
        assert published.status_code == 303
        row = await Event.select(Event.status).where(Event.id == event_id).first()
        assert row is not None and row["status"] == EventStatus.published.value
        after = await console.get(published.headers["location"])
        assert "已发布" in after.text and "活动已发布" in after.text
        # Publishing twice changes nothing and records nothing more.
        again = await console.post(f"/console/events/{event_id}/publish", data={"_csrf_token": csrf_of(after.text)})
        assert again.status_code == 303
    assert await _actions(event_id) == [ActionKind.event_created.value, ActionKind.event_published.value]

    # Members see it as the API shows it.
    member = await make_member("李娜", language="zh-Hans")
    async with server.client(member.token) as http:
        listed = (await http.get(urls.EVENTS)).json()
    assert [e["title"] for e in listed] == ["高级珠宝鉴赏沙龙"]


async def test_a_bad_form_says_each_problem_next_to_its_field_and_writes_nothing(server: LiveServer, coordinator: Caller) -> None:
    good = _salon_fields()
    bad = {**good, "ends_at": _local(datetime.fromisoformat(good["starts_at"]).replace(tzinfo=SHANGHAI) - timedelta(hours=1)),
           "capacity": "0", "min_tier": "Bronze"}
    async with await _console(server, coordinator) as console:
        refused = await submit(console, "/console/events/new", "/console/events/new", bad)
        assert refused.status_code == 400
        html = refused.text
        assert "尚未保存" in html
        assert "活动结束时间须晚于开始时间" in _error_of(html, "ends_at")
        assert _error_of(html, "capacity") == "活动至少需要一个席位。"
        assert _error_of(html, "min_tier") == "没有名为“Bronze”的等级。"
        assert 'aria-describedby="capacity-error"' in html and 'aria-invalid="true"' in html
        # What was typed is kept.
        assert 'value="高级珠宝鉴赏沙龙"' in html and 'value="0"' in html

        # Empty and unreadable fields, and the API's own bounds.
        odd = await submit(console, "/console/events/new", "/console/events/new", {
            **good, "title": "  ", "capacity": "四十", "max_guests": "21", "venue_time_zone": "Mars/Olympus",
        })
        assert odd.status_code == 400
        assert _error_of(odd.text, "title") == "请填写此项。"
        assert _error_of(odd.text, "capacity") == "请输入整数。"
        assert _error_of(odd.text, "max_guests") == "最多 20。"
        assert "Mars/Olympus" in _error_of(odd.text, "venue_time_zone")
    assert await Event.count() == 0
    assert await ConsoleAction.count() == 0


async def _member_at(name: str, points: int, coordinator: Caller) -> Caller:
    member = await make_member(name, language="zh-Hans")
    assert member.member_id is not None
    if points:
        await adjust(member.member_id, points, "测试积分", coordinator.user_id)
    return member


async def test_the_qualifying_preview_counts_the_members_who_really_qualify(server: LiveServer, coordinator: Caller) -> None:
    silver = [await _member_at(f"银卡会员{i}", 0, coordinator) for i in range(2)]
    gold = [await _member_at(f"金卡会员{i}", 1_200 + 100 * i, coordinator) for i in range(3)]
    platinum = await _member_at("白金卡会员", 6_000, coordinator)
    diamond = await _member_at("钻石卡会员", 16_000, coordinator)
    away = await _member_at("暂停的金卡会员", 2_000, coordinator)
    assert away.member_id is not None
    await set_status(away.member_id, MemberStatus.suspended)
    everyone = [*silver, *gold, platinum, diamond, away]

    async def preview(console: httpx.AsyncClient, **query: Any) -> int:
        answer = await console.get("/console/events/qualifying", params=query)
        assert answer.status_code == 200, answer.text
        found = re.search(r'data-count="(\d+)"', answer.text)
        assert found, answer.text
        return int(found.group(1))

    async def really(event_id: int) -> int:
        """Members the API's eligibility check admits, asked one by one."""
        async with server.client(coordinator.token) as http:
            answers = [
                (await http.get(urls.link(urls.EVENT_ELIGIBILITY, event_id=event_id), params={"member_id": m.member_id})).json()
                for m in everyone
            ]
        return sum(1 for a in answers if a["eligible"])

    async with await _console(server, coordinator) as console:
        assert await preview(console) == 7  # every active member
        assert await preview(console, min_tier="Gold") == 5
        answer = await console.get("/console/events/qualifying", params={"min_tier": "Gold"})
        assert "5 位会员符合条件" in answer.text and "共 7 位活跃会员" in answer.text
        assert "金卡" in answer.text and "白金卡" in answer.text and "钻石卡" in answer.text
        assert await preview(console, min_tier="Platinum") == 2
        assert await preview(console, min_tier="Gold", min_points="1300") == 4
        assert await preview(console, invitation_only="on") == 0

        gold_salon = await published_event(server, coordinator, min_tier="Gold", min_points=1_300)
        assert await preview(console, min_tier="Gold", min_points="1300", event_id=str(gold_salon["id"])) == await really(gold_salon["id"]) == 4

        # Once a year: a member holding another check-up within 12 months is not counted.
        start = clock.now() + timedelta(days=30)
        first = await published_event(server, coordinator, kind="health_checkup", title="体检 A")
        await rsvp(server, gold[0], first["id"])
        yearly = await published_event(
            server, coordinator, kind="health_checkup", title="体检 B", max_per_12_months=1,
            starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
        )
        counted = await preview(console, kind="health_checkup", max_per_12_months="1", event_id=str(yearly["id"]),
                                starts_at=_local(start, ZoneInfo("Europe/Paris")), venue_time_zone="Europe/Paris")
        assert counted == await really(yearly["id"]) == 6

        # Invitation-only: the invited ones who meet the rest.
        private = await published_event(server, coordinator, invitation_only=True, min_tier="Platinum")
        async with server.client(coordinator.token) as http:
            invited = await http.post(urls.link(urls.EVENT_INVITATIONS, event_id=private["id"]),
                                      json={"member_ids": [silver[0].member_id, platinum.member_id]})
            assert invited.status_code == 200
        # Both invited: the invitation opens a Platinum event to the Silver member too; nobody else.
        assert await preview(console, min_tier="Platinum", invitation_only="on", event_id=str(private["id"])) == await really(private["id"]) == 2
        assert await preview(console, min_tier="Platinum", event_id=str(private["id"])) == 3  # the Platinum and above, and the invited Silver

        # A fixed number of reads, however many members there are.
        with counting_statements() as few:
            await preview(console, min_tier="Gold", min_points="100", max_per_12_months="1", starts_at=_local(start), venue_time_zone="Asia/Shanghai")
        for i in range(6):
            await _member_at(f"新会员{i}", 1_500, coordinator)
        with counting_statements() as more:
            assert await preview(console, min_tier="Gold", min_points="100", max_per_12_months="1", starts_at=_local(start),
                                 venue_time_zone="Asia/Shanghai") == 11
        assert more.statements == few.statements

        # An unknown tier in the preview says so instead of counting.
        unknown = await console.get("/console/events/qualifying", params={"min_tier": "Bronze"})
        assert unknown.status_code == 200 and "data-count" not in unknown.text


async def test_a_move_says_whom_it_reaches_before_it_is_made_and_the_reminders_follow(server: LiveServer, coordinator: Caller) -> None:
    start = (clock.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    event = await published_event(server, coordinator, title="香水沙龙", capacity=3, venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
                                  starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat())
    steps = await sequence(server, coordinator, step(offset_days=-1), step(offset_minutes=-120))
    await attach(server, coordinator, event["id"], steps["id"])
    members = [await make_member(f"会员{i}", language="zh-Hans") for i in range(4)]
    for m in members:
        await rsvp(server, m, event["id"])  # three seats, one waiting

    async def due_times() -> list[datetime]:
        rows = await ScheduledReminder.select(ScheduledReminder.due_at).where(
            (ScheduledReminder.event == event["id"]) & (ScheduledReminder.status == ScheduleStatus.scheduled.value)
            & ScheduledReminder.step.is_not_null()
        ).order_by(ScheduledReminder.id)
        return [r["due_at"] for r in rows]

    before = await due_times()
    assert len(before) == 6
    later = start + timedelta(days=1, hours=1)
    move = {"venue": "上海 · 外滩源贰号", "venue_time_zone": "Asia/Shanghai", "starts_at": _local(later), "ends_at": _local(later + timedelta(hours=2))}
    path = f"/console/events/{event['id']}/move"
    async with await _console(server, coordinator) as console:
        form = await console.get(path)
        assert form.status_code == 200 and f'value="{_local(start)}"' in form.text

        asked = await submit(console, path, path, move)
        assert asked.status_code == 200
        html = asked.text
        assert re.search(r'id="impact-members" data-count="4"', html)
        assert "4 位持有席位的会员将收到时间变更通知" in html and "3 位已确认" in html and "1 位候补" in html
        assert re.search(r'id="impact-reminders" data-count="6"', html)
        assert "6 条待发送的提醒将随新时间调整" in html and "发给 3 位会员" in html
        # Nothing has moved yet.
        assert (await Event.select(Event.starts_at).where(Event.id == event["id"]).first())["starts_at"] == start  # type: ignore[index]
        assert await due_times() == before
        assert await _actions(event["id"]) == []

        confirmed = await console.post(path, data={"_csrf_token": csrf_of(html), **move, "confirmed": "yes"})
        assert confirmed.status_code == 303 and confirmed.headers["location"].endswith("?done=moved")
        overview = await console.get(confirmed.headers["location"])
        assert "活动时间变更" in overview.text and "上海 · 外滩源贰号" in overview.text

        # A move to where it already is moves nothing, and says so.
        still = await submit(console, path, path, move)
        assert still.status_code == 400 and "不会有任何变更" in still.text
        # A move that ends before it starts is refused next to the end.
        backwards = await submit(console, path, path, {**move, "ends_at": _local(later - timedelta(hours=1))})
        assert backwards.status_code == 400 and "活动结束时间须晚于开始时间" in _error_of(backwards.text, "ends_at")

    row = await Event.select(Event.starts_at, Event.venue, Event.version).where(Event.id == event["id"]).first()
    assert row is not None and row["starts_at"] == later and row["venue"] == "上海 · 外滩源贰号" and row["version"] == event["version"] + 1
    after = await due_times()
    assert len(after) == 6 and all(b + timedelta(days=1, hours=1) == a for b, a in zip(before, after))
    told = await OutboxMessage.select(OutboxMessage.member).where(
        (OutboxMessage.event == event["id"]) & (OutboxMessage.kind == "event_moved")
    )
    assert sorted(r["member"] for r in told) == sorted(m.member_id for m in members)  # type: ignore[type-var]
    assert await _actions(event["id"]) == [ActionKind.event_moved.value]


async def test_edit_cancel_and_the_record_of_who_did_what(server: LiveServer, coordinator: Caller) -> None:
    async with await _console(server, coordinator) as console:
        event_id = _event_id(await submit(console, "/console/events/new", "/console/events/new", _salon_fields()))
        edit = f"/console/events/{event_id}/edit"
        form = await console.get(edit)
        assert form.status_code == 200 and 'value="40"' in form.text
        saved = await submit(console, edit, edit, _salon_fields(capacity="60", min_tier="Platinum", max_guests="0"))
        assert saved.status_code == 303
        row = await Event.select(Event.capacity, Event.max_guests).where(Event.id == event_id).first()
        assert row == {"capacity": 60, "max_guests": 0}
        # A refused edit keeps the event as it was.
        refused = await submit(console, edit, edit, _salon_fields(capacity="-5"))
        assert refused.status_code == 400 and _error_of(refused.text, "capacity") == "至少 0。"
        assert (await Event.select(Event.capacity).where(Event.id == event_id).first()) == {"capacity": 60}

        overview = await console.get(f"/console/events/{event_id}")
        await console.post(f"/console/events/{event_id}/publish", data={"_csrf_token": csrf_of(overview.text)})
        member = await make_member("王芳", language="zh-Hans")
        assert member.member_id is not None
        await adjust(member.member_id, 6_000, "测试积分", coordinator.user_id)
        await rsvp(server, member, event_id)

        # A published event's place and time are changed by moving it, not on the edit form.
        published_form = await console.get(edit)
        assert 'id="starts_at" name="starts_at" value' in published_form.text and 'type="datetime-local"' not in published_form.text
        assert f'href="/console/events/{event_id}/move"' in published_form.text

        cancel = f"/console/events/{event_id}/cancel"
        asked = await console.get(cancel)
        assert asked.status_code == 200
        assert "1 位持有席位的会员将收到活动取消通知" in asked.text
        assert (await Event.select(Event.status).where(Event.id == event_id).first()) == {"status": "published"}
        done = await console.post(cancel, data={"_csrf_token": csrf_of(asked.text)})
        assert done.status_code == 303
        assert (await Event.select(Event.status).where(Event.id == event_id).first()) == {"status": "cancelled"}
        told = await OutboxMessage.select(OutboxMessage.member).where(
            (OutboxMessage.event == event_id) & (OutboxMessage.kind == "event_cancelled")
        )
        assert [r["member"] for r in told] == [member.member_id]

        page = (await console.get(f"/console/events/{event_id}")).text
        record = page[page.index("变更记录"):]
        rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", record)
        assert [(who, what) for _, who, what, _ in rows] == [
            ("Test coordinator", "活动已取消"), ("Test coordinator", "已发布活动"),
            ("Test coordinator", "已编辑活动"), ("Test coordinator", "已创建活动"),
        ]
        edited = rows[2][3]
        assert "席位: 40 → 60" in edited and "最低等级: Gold → Platinum" in edited and "每位会员可携宾客: 1 → 0" in edited
        # A cancelled event offers no more changes, and its forms lead back to it; a late post is refused.
        assert f'action="/console/events/{event_id}/publish"' not in page and f'href="{edit}"' not in page
        assert (await console.get(edit)).status_code == 303
        late = await console.post(edit, data={"_csrf_token": csrf_of(page), **_salon_fields(capacity="80")})
        assert late.status_code == 409 and "活动已取消，不能再修改。" in late.text
    assert await _actions(event_id) == [
        ActionKind.event_created.value, ActionKind.event_updated.value, ActionKind.event_published.value,
        ActionKind.event_cancelled.value,
    ]


async def test_the_list_shows_coming_and_recent_events_with_seats_and_waitlist(server: LiveServer, coordinator: Caller) -> None:
    full = await published_event(server, coordinator, title="品酒沙龙", capacity=1)
    await published_event(server, coordinator, title="意大利时装之旅", kind="trip")
    for name in ("甲", "乙"):
        await rsvp(server, await make_member(name), full["id"])
    async with await _console(server, coordinator) as console:
        listed = await console.get("/console/events")
        assert listed.status_code == 200
        html = listed.text
        assert "品酒沙龙" in html and "意大利时装之旅" in html
        row = html[html.index("品酒沙龙"):]
        row = row[: row.index("</tr>")]
        assert re.findall(r'<td class="n">([^<]*)</td>', row) == ["1 / 1", "1"]
        trips = (await console.get("/console/events", params={"kind": "trip"})).text
        assert "意大利时装之旅" in trips and "品酒沙龙" not in trips
        drafts = (await console.get("/console/events", params={"state": "draft"})).text
        assert "品酒沙龙" not in drafts and "没有即将举行的活动" in drafts


async def test_today_shows_the_days_events_with_counts_that_follow_the_door(
    server: LiveServer, coordinator: Caller, staff: Caller,
) -> None:
    paris = ZoneInfo("Europe/Paris")
    morning = datetime.now(paris).replace(hour=10, minute=0, second=0, microsecond=0)
    with clock.frozen_at(morning):
        here = await published_event(server, coordinator, title="巴黎香水沙龙", capacity=2,
                                     starts_at=(morning + timedelta(minutes=30)).isoformat(),
                                     ends_at=(morning + timedelta(hours=2)).isoformat())
        # 18:00 in Shanghai is on the club's (Paris) day too; tomorrow's is not.
        far = morning.astimezone(SHANGHAI).replace(hour=18) if morning.astimezone(SHANGHAI).hour < 18 else morning + timedelta(hours=1)
        await published_event(server, coordinator, title="上海珠宝沙龙", venue_time_zone="Asia/Shanghai",
                              starts_at=far.isoformat(), ends_at=(far + timedelta(hours=1)).isoformat())
        tomorrow = morning + timedelta(days=1)
        await published_event(server, coordinator, title="明日沙龙", starts_at=tomorrow.isoformat(),
                              ends_at=(tomorrow + timedelta(hours=1)).isoformat())
        members = [await make_member(f"会员{i}", language="zh-Hans") for i in range(3)]
        tickets = [await rsvp_and_ticket(server, m, here["id"]) for m in members]
        async with await _console(server, coordinator) as console:
            today = await console.get("/console")
            assert today.status_code == 200
            html = today.text
            assert "今日活动" in html and "巴黎香水沙龙" in html and "上海珠宝沙龙" in html and "明日沙龙" not in html
            assert "上海时间" in html  # a venue on another clock names its city

            def figures(page: str, event_id: int) -> dict[str, str]:
                row = page[page.index(f'data-event="{event_id}"'):]
                row = row[: row.index("</tr>")]
                return dict(re.findall(r'data-figure="(\w+)">(\d+)<', row))

            assert figures(html, here["id"]) == {"confirmed": "2", "waitlisted": "1", "checked_in": "0", "no_shows": "0"}
            assert 'data-poll="/console/today/events"' in html

            token = tickets[0][1]
            assert token is not None
            async with server.client(staff.token) as door:
                admitted = await scan(door, here["id"], token)
            assert admitted["result"] == "admitted"
            polled = await console.get("/console/today/events")
            assert polled.status_code == 200 and "<html" not in polled.text
            assert figures(polled.text, here["id"]) == {"confirmed": "2", "waitlisted": "1", "checked_in": "1", "no_shows": "0"}
