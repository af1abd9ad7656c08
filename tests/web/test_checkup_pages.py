"""The check-up pages as a member abroad reads them, in zh-Hans, through the real server: a Paris
member books at a Shanghai clinic and reads its times on the clinic's clock; they book, move,
are refused a move within 24 hours (as a page, with the reason), cancel; the preparation and the
concierge's calls are there; another member's booking answers 404."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from club import clock
from health_programs import urls
from health_programs.tables import HealthBooking
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import clinic, program, slot
from tests.pages import csrf_of, page_client, sign_in, submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at_eight_in_shanghai(days: int) -> datetime:
    """08:00 on the clinic's clock, `days` from today there."""
    day = clock.now().astimezone(SHANGHAI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=SHANGHAI)


async def _shanghai_programme(server: LiveServer, coordinator: Caller) -> tuple[dict, dict, dict]:
    prog = await program(server, coordinator, name="2027 年度体检", bring="身份证件及去年的体检报告", avoid="前一晚请勿饮酒")
    where = await clinic(server, coordinator, prog["id"], name="瑞金医院国际医疗部", time_zone="Asia/Shanghai")
    first = await slot(server, coordinator, where["id"], at_eight_in_shanghai(5))
    second = await slot(server, coordinator, where["id"], at_eight_in_shanghai(8))
    return prog, first, second


@asynccontextmanager
async def _member_signed_in(server: LiveServer, name: str = "Camille Martin") -> AsyncIterator[tuple[Caller, httpx.AsyncClient]]:
    """A zh-Hans member living in Paris, signed in on the pages with the code from the outbox."""
    email = f"{name.split()[0].lower()}@members.test"
    member = await make_member(name, email=email, language="zh-Hans", time_zone="Europe/Paris")
    async with page_client(server.base_url) as client:
        signed = await sign_in(client, email, member.member_id or 0)
        assert signed.status_code == 303, signed.text
        yield member, client


async def test_a_paris_member_reads_a_shanghai_clinics_times_on_its_clock(server: LiveServer, coordinator: Caller) -> None:
    _, first, _ = await _shanghai_programme(server, coordinator)
    async with _member_signed_in(server) as (_, client):
        listing = await client.get("/check-ups")
    assert listing.status_code == 200
    html = listing.text
    assert "2027 年度体检" in html and "瑞金医院国际医疗部" in html
    # 08:00 at the clinic, named as Shanghai's clock for a member who lives on Paris's.
    assert "08:00（上海时间）" in html
    paris_hour = at_eight_in_shanghai(5).astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M")
    assert f"{paris_hour}（" not in html and "巴黎时间" not in html
    assert "4 个名额" in html
    assert f'value="{first["id"]}"' in html


async def test_book_see_the_preparation_move_and_cancel(server: LiveServer, coordinator: Caller) -> None:
    prog, first, second = await _shanghai_programme(server, coordinator)
    async with _member_signed_in(server) as (member, client):
        booked = await submit(client, "/check-ups", f"/check-ups/{prog['id']}/book", {"slot_id": str(first["id"])})
        assert booked.status_code == 303
        booking_page = booked.headers["location"]
        page = (await client.get(booking_page)).text
        assert "您的预约已确认" in page and "已确认" in page
        # How to prepare, on the clinic's clock: the fast (10 h before 08:00 is 22:00 the night before).
        assert "请空腹（请勿进食早餐）" in page
        night_before = (at_eight_in_shanghai(5) - timedelta(hours=10))
        assert f"{night_before.day}日（" in page and "22:00（上海时间）后请勿进食，可以饮水" in page
        assert "身份证件及去年的体检报告" in page and "前一晚请勿饮酒" in page
        # The concierge's calls to expect: three days before at 11:00, the day before at 16:00 (Shanghai).
        assert "专属顾问致电" in page and "确认体检预约" in page and "明日体检准备" in page
        assert "11:00（上海时间）" in page and "16:00（上海时间）" in page
        # Moving is open until 24 hours before, said on the clinic's clock.
        assert "您可在" in page and "前更改预约时间" in page
        day_before = at_eight_in_shanghai(4)
        assert f"{day_before.month}月{day_before.day}日" in page

        moved = await client.post(
            booking_page.split("?")[0] + "/move", data={"_csrf_token": csrf_of(page), "slot_id": str(second["id"])}
        )
        assert moved.status_code == 303
        page = (await client.get(moved.headers["location"])).text
        assert "您的预约时间已更改" in page
        new_day = at_eight_in_shanghai(8)
        assert f"{new_day.month}月{new_day.day}日" in page
        row = await HealthBooking.select(HealthBooking.slot).where(HealthBooking.member == member.member_id).first()
        assert row is not None and row["slot"] == second["id"]

        cancelled = await client.post(booking_page.split("?")[0] + "/cancel", data={"_csrf_token": csrf_of(page)})
        assert cancelled.status_code == 303
        page = (await client.get(cancelled.headers["location"])).text
        assert "您的预约已取消" in page and "选择其他时间" in page
        # The programme is open to book again on the list.
        listing = (await client.get("/check-ups")).text
        assert "预约此时间" in listing
    async with server.client(member.token) as http:
        mine = (await http.get(urls.MY_BOOKINGS)).json()
    assert [b["status"] for b in mine] == ["cancelled"]


async def test_a_move_within_24_hours_is_refused_with_its_reason_as_a_page(server: LiveServer, coordinator: Caller) -> None:
    prog, first, second = await _shanghai_programme(server, coordinator)
    async with _member_signed_in(server) as (_, client):
        booked = await submit(client, "/check-ups", f"/check-ups/{prog['id']}/book", {"slot_id": str(first["id"])})
        booking_page = booked.headers["location"].split("?")[0]
        opened = (await client.get(booking_page)).text
        assert "预约此时间" not in opened and "改至所选时间" in opened
        with clock.frozen_at(at_eight_in_shanghai(5) - timedelta(hours=23)):
            # The page no longer offers the move, and says why...
            late = (await client.get(booking_page)).text
            assert "改至所选时间" not in late
            assert "预约前 24 小时" in late
            # ...and a move sent from the page opened earlier is refused by the service, as a page.
            refused = await client.post(
                booking_page + "/move", data={"_csrf_token": csrf_of(opened), "slot_id": str(second["id"])}
            )
        assert refused.status_code == 409
        assert refused.headers["content-type"].startswith("text/html")
        assert "无法改约" in refused.text and "预约前 24 小时" in refused.text
        row = await HealthBooking.select(HealthBooking.slot).where(HealthBooking.id == int(booking_page.rsplit("/", 1)[1])).first()
        assert row is not None and row["slot"] == first["id"]


async def test_another_members_booking_is_not_found(server: LiveServer, coordinator: Caller) -> None:
    prog, first, second = await _shanghai_programme(server, coordinator)
    other = await make_member("Hélène Dubois", language="zh-Hans")
    async with server.client(other.token) as http:
        theirs = (await http.post(f"/api/health-programs/{prog['id']}/bookings", json={"slot_id": first["id"]})).json()
    async with _member_signed_in(server) as (_, client):
        seen = await client.get(f"/check-ups/bookings/{theirs['id']}")
        assert seen.status_code == 404
        assert seen.headers["content-type"].startswith("text/html")
        assert "未找到" in seen.text and "瑞金医院" not in seen.text and "Hélène" not in seen.text
        own = (await client.get("/check-ups")).text
        for action in ("cancel", "move"):
            answer = await client.post(
                f"/check-ups/bookings/{theirs['id']}/{action}", data={"_csrf_token": csrf_of(own), "slot_id": str(second["id"])}
            )
            assert answer.status_code == 404
    async with server.client(other.token) as http:
        still = (await http.get(f"/api/health-bookings/{theirs['id']}")).json()
    assert still["status"] == "confirmed" and still["slot"]["id"] == first["id"]


async def test_the_home_page_shows_the_coming_check_up_and_its_next_step(server: LiveServer, coordinator: Caller) -> None:
    prog, first, _ = await _shanghai_programme(server, coordinator)
    async with _member_signed_in(server) as (_, client):
        home = (await client.get("/")).text
        assert "您的体检" in home and "2027 年度体检" in home and "选择预约时间" in home
        await submit(client, "/check-ups", f"/check-ups/{prog['id']}/book", {"slot_id": str(first["id"])})
        home = (await client.get("/")).text
        assert "08:00（上海时间）" in home and "已确认" in home
        # The next step: the concierge's confirmation call, three days before at 11:00 in Shanghai.
        assert "专属顾问将于" in home and "11:00（上海时间）致电" in home


async def test_no_choice_of_time_is_a_page_not_an_error(server: LiveServer, coordinator: Caller) -> None:
    prog, _, _ = await _shanghai_programme(server, coordinator)
    async with _member_signed_in(server) as (_, client):
        answer = await submit(client, "/check-ups", f"/check-ups/{prog['id']}/book", {"slot_id": "abc"})
    assert answer.status_code == 400 and "请选择预约时间" in answer.text
    assert await HealthBooking.count() == 0


async def test_an_afternoon_fast_and_a_full_time_that_waitlists(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator, name="2027 年度体检", fasting_hours=4, bring="", avoid="")
    where = await clinic(server, coordinator, prog["id"], name="瑞金医院国际医疗部", time_zone="Asia/Shanghai")
    afternoon = at_eight_in_shanghai(6) + timedelta(hours=7)  # 15:00 at the clinic
    full = await slot(server, coordinator, where["id"], afternoon, capacity=1)
    first = await make_member("Hélène Dubois", language="zh-Hans")
    async with server.client(first.token) as http:
        assert (await http.post(f"/api/health-programs/{prog['id']}/bookings", json={"slot_id": full["id"]})).status_code == 201
    async with _member_signed_in(server) as (_, client):
        listing = (await client.get("/check-ups")).text
        assert "已满，预约即加入候补名单" in listing
        booked = await submit(client, "/check-ups", f"/check-ups/{prog['id']}/book", {"slot_id": str(full["id"])})
        page = (await client.get(booked.headers["location"])).text
    assert "此时间已满，您已在候补名单上" in page and "候补第 1 位" in page
    # A four-hour fast before 15:00 leaves breakfast: the page says when to stop, not "no breakfast".
    assert "体检前请空腹" in page and "请勿进食早餐" not in page
    assert "11:00（上海时间）后请勿进食，可以饮水" in page
    assert "请携带" not in page and "请避免" not in page
