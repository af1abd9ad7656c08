"""The console's lists of an event (/console/events/{id}/attendees), through the real server in
zh-Hans as a coordinator's session: the attendees in the order their seats were given and the
waitlist in promotion order, each with why; the live poll seeing a door scan made through the
API; a check-in by hand with its reason (points once, even when two coordinators click at once,
with the control that shows the race the RSVP lock prevents); its undo; invitations; exports."""

from __future__ import annotations

import asyncio
import io
import re
from collections import Counter
from html import unescape
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

import club.locking
from checkin import urls as door
from checkin.tables import CheckIn
from club.audit import ActionKind
from club.tables import ConsoleAction, PointsEntry, Role
from events import urls
from events.tables import Invitation
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member, make_user
from tests.pages import csrf_of, page_client
from tests.shows.helpers import with_tier
from tests.support import backend_name

ZH = {"Accept-Language": "zh-CN"}


def lists_path(event_id: int) -> str:
    return f"/console/events/{event_id}/attendees"


def words(html: str) -> str:
    """What a reader sees of a piece of page: its text, spaces collapsed."""
    text = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def row(html: str, rsvp_id: int) -> str:
    found = re.search(rf'<tr id="rsvp-{rsvp_id}"(.*?)</tr>', html, flags=re.DOTALL)
    assert found, f"no row for RSVP {rsvp_id}"
    return found.group(0)


def state_of(html: str, rsvp_id: int) -> str:
    found = re.search(r'data-state="(\w+)"', row(html, rsvp_id))
    assert found
    return found.group(1)


def data(html: str, name: str) -> str:
    found = re.search(rf'id="lists-part" [^>]*data-{name}="([^"]*)"', html, flags=re.DOTALL)
    assert found, name
    return unescape(found.group(1))


async def staff_scan(server: LiveServer, event_id: int, token: str, gate: str = "A") -> dict[str, Any]:
    staff = await make_user(Role.staff)
    async with server.client(staff.token) as http:
        answer = await http.post(urls.link(door.SCANS, event_id=event_id), json={"token": token, "nonce": nonce(), "gate": gate})
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Paris", "America/Santiago"])
def test_the_lists_clock_writes_each_time_as_date_time_text_does(zone: str) -> None:
    """A list writes each local day once and fills in the time (checkin.console_pages.ListTimes):
    the same words as club.i18n.formats.date_time_text, across a change of the clocks too
    (Santiago's skips its midnight, so that day falls back to the full formatter)."""
    from datetime import UTC, datetime, timedelta

    from checkin.console_pages import ListTimes
    from club.i18n.formats import date_time_text
    from club.i18n.languages import Language

    starts = [datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 9, 5, tzinfo=UTC), datetime(2026, 10, 24, tzinfo=UTC)]
    instants = [start + timedelta(minutes=37 * n) for start in starts for n in range(200)]
    for language in (Language.zh_hans, Language.zh_hant, Language.en):
        for reader in (zone, "Europe/London"):
            times = ListTimes(language, zone, reader)
            assert [times(i) for i in instants] == [date_time_text(i, zone, language, reader) for i in instants]


async def test_the_lists_show_attendees_in_seat_order_and_the_waitlist_in_tier_order_each_with_why(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, title="高级珠宝鉴赏沙龙", capacity=2, waitlist_policy="tier_priority")
    first, second = await make_member("王美"), await make_member("李雅")
    gold, diamond = await with_tier(await make_member("陈静"), "Gold"), await with_tier(await make_member("赵敏"), "Diamond")
    first_rsvp, _ = await rsvp_and_ticket(server, first, event["id"])
    second_rsvp, _ = await rsvp_and_ticket(server, second, event["id"])
    gold_rsvp, _ = await rsvp_and_ticket(server, gold, event["id"])
    diamond_rsvp, _ = await rsvp_and_ticket(server, diamond, event["id"])
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        page = await console.get(lists_path(event["id"]))
        assert page.status_code == 200, page.text
        html = page.text
        seen = words(html)
        assert "出席名单" in seen and "候补名单" in seen
        # Attendees in the order their seats were given, each with when it was confirmed.
        assert seen.index("王美") < seen.index("李雅") < seen.index("赵敏") < seen.index("陈静")
        assert "确认" in words(row(html, first_rsvp["id"]))
        assert state_of(html, first_rsvp["id"]) == "out" and "尚未签到" in words(row(html, first_rsvp["id"]))
        assert words(row(html, second_rsvp["id"])).startswith("2 李雅")
        # The waitlist in promotion order: the Diamond member before the Gold one who joined first, and why.
        diamond_row, gold_row = words(row(html, diamond_rsvp["id"])), words(row(html, gold_rsvp["id"]))
        assert diamond_row.startswith("1 赵敏") and gold_row.startswith("2 陈静")
        assert "等级优先：加入时为钻石卡（第 4 级）" in diamond_row
        assert "等级优先：加入时为金卡（第 2 级）" in gold_row
        # A seat given back moves the Diamond member up; the list says so.
        async with server.client(first.token) as http:
            assert (await http.delete(urls.link(urls.RSVP, rsvp_id=first_rsvp["id"]))).status_code == 200
        html = (await console.get(lists_path(event["id"]))).text
        assert "王美" not in words(html)
        assert "从候补名单递补" in words(row(html, diamond_rsvp["id"]))
        assert words(row(html, gold_rsvp["id"])).startswith("1 陈静")


async def test_the_live_poll_answers_304_until_a_door_scan_and_then_shows_the_check_in(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    guest = await make_member("周琳")
    rsvp, token = await rsvp_and_ticket(server, guest, event["id"])
    assert token is not None
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        html = (await console.get(lists_path(event["id"]))).text
        tag, last, rsvps = data(html, "tag"), int(data(html, "last")), data(html, "rsvps")
        live = f"{lists_path(event['id'])}/live?after={last}"
        idle = await console.get(live, headers={"If-None-Match": tag})
        assert idle.status_code == 304 and idle.content == b""

        await staff_scan(server, event["id"], token, gate="A")
        seen = await console.get(live, headers={"If-None-Match": tag})
        assert seen.status_code == 200
        body = seen.json()
        assert body["rsvps"] == rsvps  # nobody joined or left: the rows stay, one is now in
        assert body["checked_in"] == 1
        [admitted] = body["admitted"]
        assert admitted["rsvp"] == rsvp["id"] and re.fullmatch(r"\d\d:\d\d · 入口 A", admitted["text"])
        # Asked again with what it now holds: nothing new.
        again = await console.get(f"{lists_path(event['id'])}/live?after={body['last']}", headers={"If-None-Match": seen.headers["etag"]})
        assert again.status_code == 304
        # The page drawn now shows the row in.
        html = (await console.get(lists_path(event["id"]))).text
        assert state_of(html, rsvp["id"]) == "in" and "入口 A" in words(row(html, rsvp["id"]))
        # Someone new on the list changes its RSVP part: the page draws its lists again.
        await rsvp_and_ticket(server, await make_member("吴桐"), event["id"])
        moved = await console.get(live, headers={"If-None-Match": seen.headers["etag"]})
        assert moved.status_code == 200 and moved.json()["rsvps"] != rsvps
        part = await console.get(f"{lists_path(event['id'])}?part=lists")
        assert part.status_code == 200 and part.text.lstrip().startswith("{#") is False and "吴桐" in words(part.text)
        assert "<html" not in part.text


async def test_the_lists_come_a_page_at_a_time_and_find_a_member(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checkin.console_pages

    monkeypatch.setattr(checkin.console_pages, "PAGE_ROWS", 2)  # the app runs in this process
    event = await door_open_event(server, coordinator, capacity=5)
    names = ["王一", "李二", "张三", "李四", "赵五", "李六", "钱七"]
    rsvps = [(await rsvp_and_ticket(server, await make_member(n), event["id"]))[0] for n in names]
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        first = (await console.get(lists_path(event["id"]))).text
        assert "5 已确认" in words(first) and "2 候补名单中" in words(first)  # the figures count everyone
        assert [w for w in names if w in words(first)] == ["王一", "李二", "李六", "钱七"]
        assert "第 1–2 位，共 5 位" in words(first)
        page_two = f'{lists_path(event["id"])}?a={rsvps[1]["id"]}#attendees'
        assert f'href="{page_two.replace("&", "&amp;")}"' in first or f'href="{page_two}"' in first
        second = (await console.get(page_two.split("#")[0])).text
        assert words(row(second, rsvps[2]["id"])).startswith("3 张三") and "赵五" not in words(second)
        assert "第 3–4 位，共 5 位" in words(second) and "回到开头" in words(second)
        third = (await console.get(f'{lists_path(event["id"])}?a={rsvps[3]["id"]}')).text
        assert words(row(third, rsvps[4]["id"])).startswith("5 赵五") and "下一页" not in words(third.split('id="waitlist"')[0])
        # Finding "李": the attendees and the waiting members who match, each at its place.
        found = (await console.get(f'{lists_path(event["id"])}?q=李')).text
        assert "2 位出席会员符合“李”" in words(found) and "候补名单中 1 位会员符合“李”" in words(found)
        assert words(row(found, rsvps[3]["id"])).startswith("4 李四") and "张三" not in words(found)
        assert 'data-part="/console/events/' in found and "q=%E6%9D%8E" in found  # the live view redraws this page


async def _post_reason(console: httpx.AsyncClient, form_path: str, reason: str) -> httpx.Response:
    opened = await console.get(form_path)
    assert opened.status_code == 200, opened.text
    return await console.post(form_path, data={"_csrf_token": csrf_of(opened.text), "reason": reason})


async def test_a_check_in_by_hand_needs_a_reason_awards_points_once_and_is_recorded(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, capacity=1, attendance_points=120)
    guest, waiting = await make_member("孙悦"), await make_member("钱多")
    rsvp, _ = await rsvp_and_ticket(server, guest, event["id"])
    waiting_rsvp, _ = await rsvp_and_ticket(server, waiting, event["id"])
    form = f"{lists_path(event['id'])}/{rsvp['id']}/check-in"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        # No reason: the form again, the problem next to the field, nothing written.
        refused = await _post_reason(console, form, "  ")
        assert refused.status_code == 400
        assert 'aria-invalid="true"' in refused.text and 'id="reason-error"' in refused.text
        assert "请填写原因" in words(refused.text)
        assert await CheckIn.count() == 0 and await ConsoleAction.count() == 0

        done = await _post_reason(console, form, "  手机没电，已由接待核实身份 ")
        assert done.status_code == 303
        assert done.headers["location"] == f"{lists_path(event['id'])}?done=checked_in#rsvp-{rsvp['id']}"
        [check_in] = await CheckIn.select().where(CheckIn.rsvp == rsvp["id"])
        assert check_in["gate"] == "" and check_in["scanned_by"] == coordinator.user_id and check_in["points"] == 120
        points = await PointsEntry.select(PointsEntry.delta).where(PointsEntry.member == guest.member_id)
        assert [p["delta"] for p in points] == [120]
        [recorded] = await ConsoleAction.select().where(ConsoleAction.action == ActionKind.checked_in_by_hand.value)
        assert (recorded["event_id"], recorded["member"], recorded["user"]) == (event["id"], guest.member_id, coordinator.user_id)
        assert recorded["detail"] == "手机没电，已由接待核实身份"

        listed = (await console.get(done.headers["location"])).text
        assert "签到已记录" in words(listed)
        line = words(row(listed, rsvp["id"]))
        assert state_of(listed, rsvp["id"]) == "in" and "人工签到" in line and "手机没电，已由接待核实身份" in line

        # Again: the door's answer, nothing more written.
        twice = await _post_reason(console, form, "再试一次")
        assert twice.status_code == 409
        assert "孙悦已签到" in words(twice.text)
        assert await CheckIn.count() == 1 and await PointsEntry.count().where(PointsEntry.reason == "attendance") == 1
        # A waitlisted member cannot be checked in; an RSVP of another event is not found here.
        not_seated = await _post_reason(console, f"{lists_path(event['id'])}/{waiting_rsvp['id']}/check-in", "就在门口")
        assert not_seated.status_code == 409 and "候补名单" in words(not_seated.text)
        other = await door_open_event(server, coordinator, title="Other salon")
        assert (await console.get(f"{lists_path(other['id'])}/{rsvp['id']}/check-in")).status_code == 404
        assert await CheckIn.count() == 1 and await ConsoleAction.count() == 1


async def _clicks(server: LiveServer, coordinators: list[Caller], form: str, per_coordinator: int) -> list[httpx.Response]:
    """Every coordinator opens the form, then all of them post it at the same moment, several times each."""
    clients = [await console_client(server.base_url, c, **ZH) for c in coordinators]
    try:
        tokens = [csrf_of((await client.get(form)).text) for client in clients]
        return list(await asyncio.gather(*[
            client.post(form, data={"_csrf_token": token, "reason": "扫码失败，已核实身份"})
            for client, token in zip(clients, tokens, strict=True) for _ in range(per_coordinator)
        ]))
    finally:
        for client in clients:
            await client.aclose()


async def test_two_coordinators_checking_in_the_same_member_at_once_admit_once_and_award_points_once(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=150)
    guest = await make_member("郑好")
    rsvp, _ = await rsvp_and_ticket(server, guest, event["id"])
    other = await make_user(Role.coordinator)
    answers = await _clicks(server, [coordinator, other], f"{lists_path(event['id'])}/{rsvp['id']}/check-in", 10)
    assert Counter(a.status_code for a in answers) == {303: 1, 409: 19}
    # Each loser reads the door's own answer, not a clash of keys.
    assert all("郑好已签到" in words(a.text) for a in answers if a.status_code == 409)
    assert await CheckIn.count() == 1
    assert [p["delta"] for p in await PointsEntry.select(PointsEntry.delta).where(PointsEntry.member == guest.member_id)] == [150]
    assert await ConsoleAction.count().where(ConsoleAction.action == ActionKind.checked_in_by_hand.value) == 1


async def test_control_without_the_rsvp_lock_the_clicks_race(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with `club.locking.LOCKING` off, the same clicks on PostgreSQL decide at the
    same moment, and more than one transaction admits: the check-in's unique key refuses all but
    one (a clash of keys, not the door's answer), so the lock is what turns the other clicks into
    "already checked in". On SQLite every write transaction is serialized by its IMMEDIATE begin
    (club.db), lock or not: each backend asserts its own mechanism."""
    event = await door_open_event(server, coordinator, attendance_points=150)
    guest = await make_member("冯安")
    rsvp, _ = await rsvp_and_ticket(server, guest, event["id"])
    other = await make_user(Role.coordinator)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    answers = await _clicks(server, [coordinator, other], f"{lists_path(event['id'])}/{rsvp['id']}/check-in", 10)
    statuses = Counter(a.status_code for a in answers)
    assert statuses[303] == 1 and statuses[409] == 19
    clashes = [a for a in answers if a.status_code == 409 and 'id="refusal"' not in a.text]
    if backend_name() == "postgres":
        assert clashes, "without the lock, two clicks should have decided to admit at once"
        assert all("与已有记录冲突" in words(a.text) for a in clashes)
    else:
        assert not clashes, "SQLite's serialized writers must answer every late click as the door does"
    # Whatever the backend, the admission key keeps it to one check-in and one award.
    assert await CheckIn.count() == 1
    assert await PointsEntry.count().where(PointsEntry.member == guest.member_id) == 1


async def test_undoing_a_check_in_takes_its_points_back_and_the_poll_sees_it(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    guest = await make_member("何平")
    rsvp, token = await rsvp_and_ticket(server, guest, event["id"])
    assert token is not None
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        html = (await console.get(lists_path(event["id"]))).text
        tag, last = data(html, "tag"), int(data(html, "last"))
        await staff_scan(server, event["id"], token, gate="B")
        [check_in] = await CheckIn.select(CheckIn.id).where(CheckIn.rsvp == rsvp["id"])
        html = (await console.get(lists_path(event["id"]))).text
        assert f'/check-ins/{check_in["id"]}/undo' in row(html, rsvp["id"])
        form = f"/console/events/{event['id']}/check-ins/{check_in['id']}/undo"
        short = await _post_reason(console, form, "x")
        assert short.status_code == 400 and 'id="reason-error"' in short.text and "x</textarea>" in short.text
        done = await _post_reason(console, form, "测试扫描")
        assert done.status_code == 303 and done.headers["location"].endswith(f"?done=undone#rsvp-{rsvp['id']}")
        [reverted] = await CheckIn.select().where(CheckIn.id == check_in["id"])
        assert reverted["reverted_at"] is not None and reverted["revert_reason"] == "测试扫描"
        deltas = [p["delta"] for p in await PointsEntry.select(PointsEntry.delta).where(PointsEntry.member == guest.member_id).order_by(PointsEntry.id)]
        assert deltas == [100, -100]
        [recorded] = await ConsoleAction.select().where(ConsoleAction.action == ActionKind.check_in_undone.value)
        assert (recorded["event_id"], recorded["member"]) == (event["id"], guest.member_id) and "测试扫描" in recorded["detail"]
        listed = (await console.get(done.headers["location"])).text
        assert "签到已撤销" in words(listed) and state_of(listed, rsvp["id"]) == "out"
        # The poll from before the scan: the check-in came and went.
        body = (await console.get(f"{lists_path(event['id'])}/live?after={last}", headers={"If-None-Match": tag})).json()
        assert body["checked_in"] == 0 and body["undone"] == [check_in["id"]]
        # Undone twice: the service's refusal on the form; another event's check-in is not found here.
        reopened = words((await console.get(form)).text)
        assert "这次签到已撤销" in reopened and "撤销签到 返回名单" not in reopened
        twice = await _post_reason(console, form, "再撤销一次")
        assert twice.status_code == 409 and "此次签到已撤销" in words(twice.text)
        other = await door_open_event(server, coordinator, title="Other salon")
        assert (await console.get(f"/console/events/{other['id']}/check-ins/{check_in['id']}/undo")).status_code == 404
        assert await ConsoleAction.count() == 1


async def test_invitations_to_an_invitation_only_event_by_number_or_address(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator, title="私享晚宴", invitation_only=True)
    one = await make_member("林夕", email="lin.xi@members.test")
    two = await make_member("高远")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        page = (await console.get(lists_path(event["id"]))).text
        assert "邀请会员" in words(page) and "尚未邀请任何人" in words(page)

        async def invite(text: str) -> httpx.Response:
            opened = await console.get(lists_path(event["id"]))
            return await console.post(f"/console/events/{event['id']}/invitations",
                                      data={"_csrf_token": csrf_of(opened.text), "members": text})

        garbled = await invite("林夕")
        assert garbled.status_code == 400
        assert 'id="members-error"' in garbled.text and "林夕</textarea>" in garbled.text
        unknown = await invite("999999")
        assert unknown.status_code == 400 and "以下会员不存在" in words(unknown.text)
        nobody = await invite("nobody@members.test")
        assert nobody.status_code == 400 and "nobody@members.test" in words(nobody.text)
        assert await Invitation.count() == 0 and await ConsoleAction.count() == 0

        done = await invite(f"LIN.XI@members.test，#{two.member_id}")
        assert done.status_code == 303 and done.headers["location"].endswith("?done=invited&n=2#invitations")
        assert {r["member"] for r in await Invitation.select(Invitation.member)} == {one.member_id, two.member_id}
        recorded = await ConsoleAction.select(ConsoleAction.member).where(ConsoleAction.action == ActionKind.member_invited.value)
        assert {r["member"] for r in recorded} == {one.member_id, two.member_id}
        listed = words((await console.get(done.headers["location"])).text)
        assert "已邀请 2 位会员" in listed and "林夕" in listed and "高远" in listed
        again = await invite(str(one.member_id))
        assert again.headers["location"].endswith("?done=invited&n=0#invitations")
        assert await ConsoleAction.count() == 2
    # An open event has no invitation form, and refuses one posted anyway.
    open_event = await door_open_event(server, coordinator, title="公开沙龙")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        page = (await console.get(lists_path(open_event["id"]))).text
        assert "邀请会员" not in words(page)
        refused = await console.post(f"/console/events/{open_event['id']}/invitations",
                                     data={"_csrf_token": csrf_of(page), "members": str(one.member_id)})
        assert refused.status_code == 409
    assert await Invitation.count() == 2


async def test_the_exports_download_with_the_console_session(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await door_open_event(server, coordinator, title="调香沙龙", capacity=1)
    seated, waiting = await make_member("许诺"), await make_member("韩梅")
    await rsvp_and_ticket(server, seated, event["id"])
    await rsvp_and_ticket(server, waiting, event["id"])
    base = f"/console/events/{event['id']}"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        page = (await console.get(lists_path(event["id"]))).text
        for name in ("attendees.csv", "attendees.xlsx", "waitlist.csv", "waitlist.xlsx"):
            assert f'href="{base}/{name}"' in page
        csv = await console.get(f"{base}/attendees.csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert csv.headers["content-disposition"] == f'attachment; filename="event-{event["id"]}-attendees.csv"'
        text = csv.content.decode("utf-8")
        assert text.startswith("\ufeff") and "许诺" in text and "韩梅" not in text
        header = text.splitlines()[0]
        assert "姓名" in header or "会员" in header  # the headers in the coordinator's language
        waitlist = (await console.get(f"{base}/waitlist.csv")).content.decode("utf-8")
        assert "韩梅" in waitlist and "许诺" not in waitlist
        for name, who in (("attendees.xlsx", "许诺"), ("waitlist.xlsx", "韩梅")):
            book = await console.get(f"{base}/{name}")
            assert book.status_code == 200
            sheet = load_workbook(io.BytesIO(book.content)).active
            assert sheet is not None and who in [c.value for c in sheet[2]]
    # The files are the console's: no session is sent to sign in, a member's session refused.
    async with page_client(server.base_url, **ZH) as anonymous:
        assert (await anonymous.get(f"{base}/attendees.csv")).status_code == 303
    async with await console_client(server.base_url, member, **ZH) as members_session:
        assert (await members_session.get(f"{base}/attendees.csv")).status_code in (403, 404)


async def test_a_members_console_page_shows_their_attendance_and_no_shows(server: LiveServer, coordinator: Caller) -> None:
    from datetime import timedelta

    from checkin.attendance import record_no_shows
    from club import clock

    came = await door_open_event(server, coordinator, title="品鉴会")
    missed = await door_open_event(server, coordinator, title="艺术展开幕")
    guest = await make_member("唐宁")
    _, token = await rsvp_and_ticket(server, guest, came["id"])
    await rsvp_and_ticket(server, guest, missed["id"])
    assert token is not None
    await staff_scan(server, came["id"], token)
    # Hours later the doors have closed and the no-shows are recorded.
    assert await record_no_shows(clock.now() + timedelta(hours=4)) == 1
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        page = await console.get(f"/console/members/{guest.member_id}")
        assert page.status_code == 200, page.text
        panel = words(re.search(r'<section class="card console-panel attendance".*?</section>', page.text, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
    assert "出席记录" in panel and "1 已出席活动 1 未出席" in panel
    assert panel.index("品鉴会") < panel.index("艺术展开幕")
    assert f'href="{lists_path(came["id"])}"' in page.text
