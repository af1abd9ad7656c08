"""The signed-in member's ticket page (/tickets/N), through the real server in zh-Hans: the QR of
their own confirmed RSVP with their name and the event; no ticket yet on the waitlist, none
anymore once cancelled; another member's ticket is a 404 page. The browser tests (the QR read
by a real decoder and admitted at the door; the page kept offline and replaced by a reissue)
are in test_ticket_offline.py."""

from __future__ import annotations

from checkin import urls as door
from checkin.qr import render_ticket
from checkin.ticket_view import qr_data_uri
from club.web.templates import STATIC_VERSION
from events import urls
from events.urls import MY_TICKET_PAGE
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.pages import page_client
from tests.web.signed_in_member import ZH, signed_in


def ticket_path(rsvp_id: int) -> str:
    return f"/tickets/{rsvp_id}"


async def test_the_ticket_page_shows_her_name_the_event_and_the_qr_of_the_doors_token(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, title="香氛沙龙", venue="外滩源一号", venue_time_zone="Asia/Shanghai", max_guests=1,
    )
    async with signed_in(server, "王美") as (member, client):
        rsvp, token = await rsvp_and_ticket(server, member, event["id"], guests=1)
        assert token
        shown = await client.get(ticket_path(rsvp["id"]))
    assert shown.status_code == 200, shown.text
    html = shown.text
    assert "您的入场二维码" in html and "您的席位已确认" in html
    assert "王美" in html and "香氛沙龙" in html and "外滩源一号" in html
    assert "请调高屏幕亮度" in html
    assert "可偕 1 位同伴入场" in html
    # On the venue's clock, which is hers: no city named.
    assert "年" in html and "（上海时间）" not in html
    # The page carries the QR itself, of the very token the API (and so the door) gives.
    assert qr_data_uri(token) in html and render_ticket(token, "png")
    assert f'id="code">{token}<' in html
    assert 'navigator.serviceWorker.register("/sw.js")' in html


async def test_a_ticket_on_another_clock_names_the_venues_city(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator, title="Couture", venue="Grand Palais", venue_time_zone="Europe/Paris")
    async with signed_in(server, "李娜") as (member, client):
        rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
        html = (await client.get(ticket_path(rsvp["id"]))).text
    assert "（巴黎时间）" in html


async def test_another_members_ticket_and_a_missing_one_are_404_pages(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator)
    owner = await make_member("Owner")
    rsvp, _ = await rsvp_and_ticket(server, owner, event["id"])
    async with signed_in(server, "陈静") as (_, client):
        other = await client.get(ticket_path(rsvp["id"]))
        missing = await client.get(ticket_path(rsvp["id"] + 10_000))
    for answer in (other, missing):
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "data:image/png" not in answer.text and "Owner" not in answer.text
        assert "返回" in answer.text or "首页" in answer.text


async def test_no_ticket_yet_on_the_waitlist_and_none_anymore_once_cancelled(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator, capacity=1, title="小型品鉴会")
    first = await make_member("First")
    await rsvp_and_ticket(server, first, event["id"])
    async with signed_in(server, "赵敏") as (member, client):
        waiting, token = await rsvp_and_ticket(server, member, event["id"])
        assert waiting["status"] == "waitlisted" and token is None
        waitlisted = await client.get(ticket_path(waiting["id"]))
        async with server.client(member.token) as http:
            cancelled = await http.delete(urls.link(urls.RSVP, rsvp_id=waiting["id"]))
            assert cancelled.status_code in (200, 204), cancelled.text
        gone = await client.get(ticket_path(waiting["id"]))
    assert waitlisted.status_code == 200
    assert "还没有入场二维码" in waitlisted.text and "候补名单" in waitlisted.text
    assert "data:image/png" not in waitlisted.text and "小型品鉴会" in waitlisted.text
    assert gone.status_code == 200
    assert "此报名已取消" in gone.text and "data:image/png" not in gone.text


async def test_a_cancelled_event_shows_no_ticket(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator, title="取消的沙龙")
    async with signed_in(server, "周雪") as (member, client):
        rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
        async with server.client(coordinator.token) as http:
            assert (await http.post(urls.link(urls.EVENT_CANCEL, event_id=event["id"]))).status_code == 200
        html = (await client.get(ticket_path(rsvp["id"]))).text
    assert "活动已取消" in html and "data:image/png" not in html


async def test_signed_out_the_ticket_page_asks_to_sign_in(server: LiveServer, coordinator: Caller) -> None:
    event = await door_open_event(server, coordinator)
    member = await make_member("Someone")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    async with page_client(server.base_url, **ZH) as client:
        answer = await client.get(ticket_path(rsvp["id"]))
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in?next=/tickets/")
    assert urls.link(door.TICKET, rsvp_id=rsvp["id"])  # the API path stays the API's


async def test_the_service_worker_is_served_at_the_root_and_keeps_the_style_sheet_the_pages_name(server: LiveServer) -> None:
    async with page_client(server.base_url) as client:
        worker = await client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    # The style sheet the pages link (?v=STATIC_VERSION) is the one it keeps for offline tickets.
    assert f'const STYLE_SHEET = "/static/club.css?v={STATIC_VERSION}";' in worker.text
    # It keeps exactly the ticket pages' paths.
    assert MY_TICKET_PAGE == "/tickets/{rsvp_id:int}" and r"const KEPT = /^\/tickets\/\d+$/;" in worker.text
