"""The member's event pages over real HTTP, signed in with the code the outbox holds, in zh-Hans:
the events open to them with the eligibility inline, an event's page with their place first,
RSVP, the waitlist and its reason, a promotion seen by the waiting member, cancel, the invite."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import msgspec

from club import clock
from club.points import award
from club.tables import PointsReason
from events import urls
from events.catalog import create_event, publish_event
from events.schemas import EventCreate
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.pages import page_client, sign_in, submit
from tests.test_query_counts import counting_statements


async def _member(name: str, email: str, points: int = 0) -> Caller:
    who = await make_member(name, email=email, language="zh-Hans", time_zone="Asia/Shanghai")
    if points:
        await award(who.member_id, points, PointsReason.adjustment, f"test:{email}")  # type: ignore[arg-type]
    return who


@contextlib.asynccontextmanager
async def _signed_in(server: LiveServer, who: Caller, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser signed in as `who`, as a member does it: the code from the outbox."""
    async with page_client(server.base_url) as client:
        answer = await sign_in(client, email, who.member_id)  # type: ignore[arg-type]
        assert answer.status_code == 303, answer.text
        yield client


def _text(html: str) -> str:
    """What a reader sees: the page's words without its tags, spaces run together."""
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_scripts))


def _mine(html: str) -> str:
    """The event page's part about the reader's own place, as text."""
    found = re.search(r'<section class="card mine".*?</section>', html, flags=re.DOTALL)
    assert found, "the page has no place of the reader's"
    return _text(found.group(0))


def _card_of(html: str, title: str) -> str:
    """The list's card of the event titled `title`, as text."""
    cards = re.findall(r'<li class="card event-item">.*?</li>', html, flags=re.DOTALL)
    found = [_text(c) for c in cards if title in c]
    assert len(found) == 1, f"no single card for {title!r}"
    return found[0]


async def _salon(server: LiveServer, coordinator: Caller, title: str, **overrides: Any) -> dict[str, Any]:
    start = clock.now().replace(microsecond=0) + timedelta(days=overrides.pop("days", 10))
    return await published_event(
        server, coordinator, title=title, venue="上海 · 外滩源壹号", venue_time_zone="Asia/Shanghai",
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(), **overrides,
    )


async def test_a_silver_member_sees_a_gold_salon_refused_with_its_reason_and_rsvps_to_another(
    server: LiveServer, coordinator: Caller
) -> None:
    gold = await _salon(server, coordinator, "高级珠宝鉴赏沙龙", min_tier="Gold", days=9)
    open_salon = await _salon(server, coordinator, "香水沙龙", max_guests=1, days=12)
    li = await _member("李娜", "li@members.test")
    async with _signed_in(server, li, "li@members.test") as client:
        listed = await client.get("/events")
        assert listed.status_code == 200
        assert listed.headers["content-language"] == "zh-Hans"
        # Soonest first, each with its eligibility on the card itself.
        assert listed.text.index("高级珠宝鉴赏沙龙") < listed.text.index("香水沙龙")
        gold_card = _card_of(listed.text, "高级珠宝鉴赏沙龙")
        assert "暂不符合条件" in gold_card
        assert "此活动面向金卡及以上会员。" in gold_card
        assert "您目前为银卡，距金卡还差 1,000 积分。" in gold_card
        assert "可报名" in _card_of(listed.text, "香水沙龙")

        # The RSVP is refused on the event's page, with the reason in her language; nothing is written.
        refused = await submit(client, f"/events/{gold['id']}", f"/events/{gold['id']}/rsvp", {"guests": "0"})
        assert refused.status_code == 403
        assert "您暂不符合此活动的报名条件：此活动面向金卡及以上会员。" in _text(refused.text)
        async with server.client(li.token) as http:
            assert (await http.get(urls.MY_RSVPS)).json() == []

        # The other salon takes her, with a guest: post, redirect, get.
        done = await submit(client, f"/events/{open_salon['id']}", f"/events/{open_salon['id']}/rsvp", {"guests": "1"})
        assert done.status_code == 303 and done.headers["location"] == f"/events/{open_salon['id']}"
        seen = _text((await client.get(done.headers["location"])).text)
        assert "已确认" in seen and "您的席位已确认" in seen and "1 位同行宾客" in seen
        assert "2026" in seen or "年" in seen  # the date, on the venue's clock
        assert "已确认" in _card_of((await client.get("/events")).text, "香水沙龙")


async def _status(client: httpx.AsyncClient, event_id: int) -> dict[str, Any]:
    answer = await client.get(f"/events/{event_id}/my-status", headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_full_salon_waitlists_with_the_place_and_why_and_a_cancellation_promotes(
    server: LiveServer, coordinator: Caller
) -> None:
    salon = await _salon(server, coordinator, "品酒沙龙", capacity=1, waitlist_policy="tier_priority")
    path = f"/events/{salon['id']}"
    holder, waiting, after = (
        await _member("王芳", "wang@members.test"), await _member("李娜", "li@members.test"), await _member("陈静", "chen@members.test")
    )
    async with _signed_in(server, holder, "wang@members.test") as wang, _signed_in(
        server, waiting, "li@members.test"
    ) as li, _signed_in(server, after, "chen@members.test") as chen:
        assert (await submit(wang, path, f"{path}/rsvp", {})).status_code == 303
        # Full now: the page offers the waitlist, and says so before she asks.
        offered = _text((await li.get(path)).text)
        assert "活动席位已满：您可加入候补名单" in offered and "加入候补名单" in offered
        assert (await submit(li, path, f"{path}/rsvp", {})).status_code == 303
        assert (await submit(chen, path, f"{path}/rsvp", {})).status_code == 303

        seen = _text((await li.get(path)).text)
        assert "候补第 1 位" in seen
        # Why, in words: the tiers served before hers, then the order of joining.
        assert "金卡、白金卡、钻石卡会员优先递补，同等级按加入先后顺序。您加入时为银卡。" in seen
        assert "候补第 2 位" in _text((await chen.get(path)).text)
        assert "候补第 1 位" in _card_of((await li.get("/events")).text, "品酒沙龙")
        # A waiting member's page asks for her place by itself; a waitlisted one has no invite yet.
        assert f'data-poll="{path}/my-status"' in (await li.get(path)).text
        assert await _status(li, salon["id"]) == {"state": "waitlisted:1", "status": "waitlisted", "position": 1}
        assert (await li.get(f"{path}/invite.ics")).status_code == 409

        # The holder cancels, through the confirmation step.
        confirm = await wang.get(f"{path}/cancel")
        assert confirm.status_code == 200 and "确认取消报名" in confirm.text
        cancelled = await submit(wang, f"{path}/cancel", f"{path}/cancel", {})
        assert cancelled.status_code == 303 and cancelled.headers["location"] == path
        assert "您已取消报名。" in _text((await wang.get(path)).text)

        # Her poll changes, and her page shows the seat.
        assert await _status(li, salon["id"]) == {"state": "confirmed:", "status": "confirmed", "position": None}
        promoted = _text((await li.get(path)).text)
        assert "已确认" in promoted and "有席位空出，您已由候补转为已确认。" in promoted
        assert "候补第 1 位" in _text((await chen.get(path)).text)
        invite = await li.get(f"{path}/invite.ics")
        assert invite.status_code == 200 and invite.headers["content-type"].startswith("text/calendar")
        assert b"BEGIN:VEVENT" in invite.content and "品酒沙龙".encode() in invite.content


async def test_another_members_place_is_never_shown_and_what_is_not_theirs_answers_404(
    server: LiveServer, coordinator: Caller
) -> None:
    salon = await _salon(server, coordinator, "花艺课堂")
    path = f"/events/{salon['id']}"
    li, wang = await _member("李娜", "li@members.test"), await _member("王芳", "wang@members.test")
    async with _signed_in(server, li, "li@members.test") as mine, _signed_in(server, wang, "wang@members.test") as theirs:
        assert (await submit(mine, path, f"{path}/rsvp", {})).status_code == 303
        # Wang sees the event, not Li's seat: the page offers her own RSVP.
        page = _mine((await theirs.get(path)).text)
        assert "已确认" not in page and "报名" in page and "查看入场二维码" not in page
        assert await _status(theirs, salon["id"]) == {"state": "none", "status": None, "position": None}
        # Nothing of Li's is reachable from Wang's session: no invite, no cancel of Li's seat.
        for answer in (await theirs.get(f"{path}/invite.ics"), await submit(theirs, path, f"{path}/cancel", {})):
            assert answer.status_code == 404
            assert answer.headers["content-type"].startswith("text/html")
        assert "已确认" in _mine((await mine.get(path)).text)

    # A draft, and an event that does not exist, answer 404 as the API does.
    async with server.client(coordinator.token) as http:
        draft = await http.post(urls.EVENTS, json={**_body("草稿沙龙")})
        assert draft.status_code == 201
    async with _signed_in(server, li, "li@members.test") as mine:
        for missing in (f"/events/{draft.json()['id']}", "/events/999999", f"/events/{draft.json()['id']}/my-status"):
            answer = await mine.get(missing)
            assert answer.status_code == 404, missing
            assert "404" not in _text(answer.text) or "<html" in answer.text


def _body(title: str) -> dict[str, Any]:
    start = clock.now().replace(microsecond=0) + timedelta(days=10)
    return {
        "kind": "salon", "title": title, "venue": "上海", "venue_time_zone": "Asia/Shanghai", "capacity": 10,
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
    }


async def test_bad_form_input_gets_a_page_that_says_so_and_writes_nothing(server: LiveServer, coordinator: Caller) -> None:
    salon = await _salon(server, coordinator, "茶艺沙龙", max_guests=1)
    path = f"/events/{salon['id']}"
    li = await _member("李娜", "li@members.test")
    async with _signed_in(server, li, "li@members.test") as client:
        for guests in ("abc", "-1", "99", "1e9"):
            answer = await submit(client, path, f"{path}/rsvp", {"guests": guests})
            assert 400 <= answer.status_code < 500, (guests, answer.status_code)
            assert answer.headers["content-type"].startswith("text/html")
        # Two guests where one is allowed: refused on the event's page with the rule in words.
        too_many = await submit(client, path, f"{path}/rsvp", {"guests": "2"})
        assert too_many.status_code == 400
        assert "此活动每位会员最多可携 1 位同伴。" in _text(too_many.text)
        # No CSRF token: refused, as every form is.
        assert (await client.post(f"{path}/rsvp", data={"guests": "0"})).status_code == 403
        assert (await client.get(f"/events/{salon['id']}x")).status_code == 404
        async with server.client(li.token) as http:
            assert (await http.get(urls.MY_RSVPS)).json() == []


async def test_the_list_reads_as_often_for_thirty_events_as_for_three(server: LiveServer, coordinator: Caller) -> None:
    li = await _member("李娜", "li@members.test")
    holder = await _member("王芳", "wang@members.test")

    async def three(round_: int) -> None:
        """A Gold salon (refused), an open one she holds a seat at, a full one she waits for."""
        await _salon(server, coordinator, f"金卡沙龙 {round_}", min_tier="Gold")
        seat = await _salon(server, coordinator, f"开放沙龙 {round_}")
        full = await _salon(server, coordinator, f"满席沙龙 {round_}", capacity=1, max_per_12_months=50)
        async with server.client(li.token) as mine, server.client(holder.token) as theirs:
            await mine.post(urls.link(urls.EVENT_RSVP, event_id=seat["id"]), json={})
            await theirs.post(urls.link(urls.EVENT_RSVP, event_id=full["id"]), json={})
            await mine.post(urls.link(urls.EVENT_RSVP, event_id=full["id"]), json={})

    async def counted(client: httpx.AsyncClient) -> tuple[int, str]:
        with counting_statements() as count:
            answer = await client.get("/events")
        assert answer.status_code == 200
        return count.statements, answer.text

    async with _signed_in(server, li, "li@members.test") as client:
        await three(0)
        few, shown_three = await counted(client)
        for round_ in range(1, 10):
            await three(round_)
        many, shown_thirty = await counted(client)
    assert shown_three.count('class="card event-item"') == 3
    assert shown_thirty.count('class="card event-item"') == 30
    assert _text(shown_thirty).count("候补第 1 位") == 10 and _text(shown_thirty).count("暂不符合条件") == 10
    assert many == few, f"GET /events: {few} statements for 3 events, {many} for 30"


async def test_the_home_page_shows_the_next_events_with_their_ticket_or_place(server: LiveServer, coordinator: Caller) -> None:
    seat = await _salon(server, coordinator, "香水沙龙", days=5)
    full = await _salon(server, coordinator, "品酒沙龙", capacity=1, days=8)
    li, wang = await _member("李娜", "li@members.test"), await _member("王芳", "wang@members.test")
    async with _signed_in(server, li, "li@members.test") as client:
        assert "您的近期活动" not in (await client.get("/")).text  # nothing yet: no section
        async with server.client(wang.token) as http:
            await http.post(urls.link(urls.EVENT_RSVP, event_id=full["id"]), json={})
        await submit(client, f"/events/{seat['id']}", f"/events/{seat['id']}/rsvp", {})
        await submit(client, f"/events/{full['id']}", f"/events/{full['id']}/rsvp", {})
        async with server.client(li.token) as http:
            mine = {r["event_id"]: r for r in (await http.get(urls.MY_RSVPS)).json()}
        home = await client.get("/")
        section = _text(home.text)
        assert "您的近期活动" in section
        assert section.index("香水沙龙") < section.index("品酒沙龙")
        assert f'href="/tickets/{mine[seat["id"]]["id"]}"' in home.text
        assert f'href="/tickets/{mine[full["id"]]["id"]}"' not in home.text
        assert "候补第 1 位" in section


async def test_an_event_that_takes_no_rsvp_here_says_why_and_where(server: LiveServer, coordinator: Caller) -> None:
    later = clock.now().replace(microsecond=0) + timedelta(days=3)
    not_yet = await _salon(server, coordinator, "年终沙龙", rsvp_opens_at=later.isoformat())
    called_off = await _salon(server, coordinator, "雪茄沙龙")
    li = await _member("李娜", "li@members.test")
    async with server.client(li.token) as http:  # she held a seat when the club called it off
        assert (await http.post(urls.link(urls.EVENT_RSVP, event_id=called_off["id"]), json={})).status_code == 201
    show = await create_event(msgspec.convert({**_body("秋冬时装发布会"), "kind": "fashion_week"}, EventCreate), None, booked_through="shows")
    await publish_event(show.id)
    async with server.client(coordinator.token) as http:
        assert (await http.post(urls.link(urls.EVENT_CANCEL, event_id=called_off["id"]))).status_code == 200
    async with _signed_in(server, li, "li@members.test") as client:
        assert "报名将于" in _mine((await client.get(f"/events/{not_yet['id']}")).text)
        assert "即将开放报名" in _card_of((await client.get("/events")).text, "年终沙龙")
        cancelled = _mine((await client.get(f"/events/{called_off['id']}")).text)
        assert "活动已取消，不再接受报名。" in cancelled and "已确认" not in cancelled and "查看入场二维码" not in cancelled
        assert "雪茄沙龙" not in (await client.get("/events")).text
        # A show is answered on the invitations page: linked, and refused here as the API refuses it.
        shown = await client.get(f"/events/{show.id}")
        assert 'href="/invitations"' in shown.text and "此活动请在其专页回复。" in _mine(shown.text)
        refused = await submit(client, f"/events/{show.id}", f"/events/{show.id}/rsvp", {})
        assert refused.status_code == 409 and 'href="/invitations"' in refused.text
