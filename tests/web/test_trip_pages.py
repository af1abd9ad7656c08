"""The trip pages as a member reads them, in zh-Hans, through the real server: the itinerary on
each leg's clock, passports masked (the whole number never reaches the HTML), a companion whose
passport expires within six months of the return flagged as missing, passports recorded through
the page, and another member's trip or traveler answering 404."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from club.i18n.languages import Language
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.pages import csrf_of, page_client, sign_in, submit
from tests.travel.helpers import add_item, add_traveler, at, put_passport, rsvp, trip
from travel.pages import day_text
from travel.rules import add_months
from travel.tables import TravelDocument, Traveler

TOKYO = ZoneInfo("Asia/Tokyo")
NUMBER = "E12345678"


@asynccontextmanager
async def _signed_in(server: LiveServer, member: Caller, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with page_client(server.base_url) as client:
        signed = await sign_in(client, email, member.member_id or 0)
        assert signed.status_code == 303, signed.text
        yield client


async def _a_trip_with_two_legs(server: LiveServer, coordinator: Caller) -> dict[str, Any]:
    """Ten days from Xining (on Shanghai's clock) with a leg in Kyoto (on Tokyo's)."""
    departure = at(days=30).replace(hour=0, minute=0, second=0)
    event = await trip(server, coordinator, starts=departure, days=10, title="黄河源头与京都")
    await add_item(server, coordinator, event["id"], departure + timedelta(hours=2), title="西宁集合", place="西宁曹家堡机场")
    kyoto = (departure + timedelta(days=4)).astimezone(TOKYO).replace(hour=10, minute=0)
    await add_item(
        server, coordinator, event["id"], kyoto, title="京都茶道", place="京都建仁寺", time_zone="Asia/Tokyo",
        meeting_point="酒店大堂", is_checkpoint=True,
    )
    return event


async def _member_on_the_trip(server: LiveServer, event: dict[str, Any], email: str = "wang@members.test") -> tuple[Caller, dict[str, Any]]:
    """A Shanghai member on the trip with one companion: their own passport good, the companion's
    expiring three months after the return."""
    member = await make_member("王雅琴", email=email, language="zh-Hans", time_zone="Asia/Shanghai")
    booking = await rsvp(server, member, event["id"], guests=1)
    returns_on = (await _returns_on(event))
    async with server.client(member.token) as http:
        me = (await add_traveler(http, booking["id"])).json()
        assert (await put_passport(http, me["id"], NUMBER, add_months(returns_on, 24).isoformat(), "CHN")).status_code == 200
        companion = (await add_traveler(http, booking["id"], "companion", full_name="李明")).json()
        assert (await put_passport(http, companion["id"], "G87654321", add_months(returns_on, 3).isoformat(), "CHN")).status_code == 200
    return member, {"rsvp": booking, "me": me, "companion": companion, "returns_on": returns_on}


async def _returns_on(event: dict[str, Any]) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(event["ends_at"]).astimezone(TOKYO).date()


async def test_the_itinerary_is_on_each_legs_clock_and_passports_are_masked(server: LiveServer, coordinator: Caller) -> None:
    event = await _a_trip_with_two_legs(server, coordinator)
    member, party = await _member_on_the_trip(server, event)
    async with _signed_in(server, member, "wang@members.test") as client:
        listing = await client.get("/trips")
        assert listing.status_code == 200 and "黄河源头与京都" in listing.text
        assert "护照信息尚缺 1 项" in listing.text
        answer = await client.get(f"/trips/{event['id']}")
    assert answer.status_code == 200
    html = answer.text
    # The Kyoto leg on Tokyo's clock, named; the Xining leg on the member's own (Shanghai's), unnamed.
    assert "10:00–18:00（东京时间）" in html and "京都茶道" in html and "集合地点：酒店大堂" in html
    assert "（上海时间）" not in html and "西宁集合" in html
    # Passports masked: the last four characters, never the whole number.
    assert "•••••5678" in html and "•••••4321" in html
    assert NUMBER not in html and "12345678" not in html and "G87654321" not in html
    # The companion's passport expires within six months of the return: flagged, with the day it must last to.
    required = add_months(party["returns_on"], 6)
    assert f"护照有效期须至少至{day_text(required, Language.zh_hans)}" in html
    expiry = day_text(add_months(party["returns_on"], 3), Language.zh_hans)
    assert f"李明：护照将于{expiry}到期，早于{day_text(required, Language.zh_hans)}" in html
    assert "有效期不足" in html and "有效期符合本次旅行要求" in html


async def test_a_passport_recorded_through_the_page_clears_what_is_missing(server: LiveServer, coordinator: Caller) -> None:
    event = await _a_trip_with_two_legs(server, coordinator)
    member, party = await _member_on_the_trip(server, event)
    page = f"/trips/{event['id']}/travelers/{party['companion']['id']}"
    async with _signed_in(server, member, "wang@members.test") as client:
        # A mistyped number is refused on the page, and not written back into it.
        refused = await submit(client, page, page + "/passport", {"passport_number": "G1-2", "nationality": "CHN", "expiry_date": "2031-01-01"})
        assert refused.status_code == 400
        assert "请按护照所印填写号码" in refused.text and "G1-2" not in refused.text
        renewed = add_months(party["returns_on"], 60).isoformat()
        saved = await submit(client, page, page + "/passport", {"passport_number": "g 2468 1357", "nationality": "chn", "expiry_date": renewed})
        assert saved.status_code == 303
        after = (await client.get(saved.headers["location"])).text
    assert "护照信息已保存" in after and "护照信息齐全" in after
    assert "•••••1357" in after and "G24681357" not in after
    stored = await TravelDocument.select(TravelDocument.passport_number_sealed).where(
        TravelDocument.traveler == party["companion"]["id"]
    ).first()
    assert stored is not None and "G24681357" not in stored["passport_number_sealed"]


async def test_a_member_names_themselves_and_a_companion_from_the_page(server: LiveServer, coordinator: Caller) -> None:
    event = await _a_trip_with_two_legs(server, coordinator)
    member = await make_member("周敏", email="zhou@members.test", language="zh-Hans", time_zone="Asia/Shanghai")
    await rsvp(server, member, event["id"], guests=1)
    async with _signed_in(server, member, "zhou@members.test") as client:
        html = (await client.get(f"/trips/{event['id']}")).text
        assert "您本人的出行人信息" in html and "1 位同行人尚未填写" in html
        me = await submit(client, f"/trips/{event['id']}", f"/trips/{event['id']}/travelers", {"role": "member"})
        assert me.status_code == 303
        assert "出行人已添加" in (await client.get(me.headers["location"])).text
        companion = await submit(client, f"/trips/{event['id']}", f"/trips/{event['id']}/travelers", {"role": "companion", "full_name": " 周  然 "})
        assert companion.status_code == 303
        html = (await client.get(f"/trips/{event['id']}")).text
        listing = (await client.get("/trips")).text
    names = [r["full_name"] for r in await Traveler.select(Traveler.full_name).order_by(Traveler.id)]
    assert names == ["周敏", "周 然"]
    assert "护照信息尚缺 2 项" in listing and "周敏：尚未登记护照" in html and "周 然：尚未登记护照" in html


async def test_another_members_trip_and_traveler_are_not_found(server: LiveServer, coordinator: Caller) -> None:
    event = await _a_trip_with_two_legs(server, coordinator)
    _, party = await _member_on_the_trip(server, event)
    other = await make_member("陈静", email="chen@members.test", language="zh-Hans", time_zone="Asia/Shanghai")
    async with _signed_in(server, other, "chen@members.test") as client:
        trip_page = await client.get(f"/trips/{event['id']}")
        assert trip_page.status_code == 404 and "未找到" in trip_page.text and "京都茶道" not in trip_page.text
        traveler_page = await client.get(f"/trips/{event['id']}/travelers/{party['companion']['id']}")
        assert traveler_page.status_code == 404 and "李明" not in traveler_page.text
        own = (await client.get("/trips")).text
        assert "黄河源头与京都" not in own
        posted = await client.post(
            f"/trips/{event['id']}/travelers/{party['companion']['id']}/passport",
            data={"_csrf_token": csrf_of(own), "passport_number": "X1234567", "nationality": "CHN", "expiry_date": "2040-01-01"},
        )
        assert posted.status_code == 404
    stored = await TravelDocument.select(TravelDocument.expiry_date).where(TravelDocument.traveler == party["companion"]["id"]).first()
    assert stored is not None and stored["expiry_date"] == add_months(party["returns_on"], 3)


async def test_the_home_page_shows_the_next_trip_and_what_is_missing(server: LiveServer, coordinator: Caller) -> None:
    event = await _a_trip_with_two_legs(server, coordinator)
    member, _ = await _member_on_the_trip(server, event)
    async with _signed_in(server, member, "wang@members.test") as client:
        home = (await client.get("/")).text
    assert "您的下一次旅行" in home and "黄河源头与京都" in home and "护照信息尚缺 1 项" in home
    nobody = await make_member("刘洋", email="liu@members.test", language="zh-Hans")
    async with _signed_in(server, nobody, "liu@members.test") as client:
        assert "您的下一次旅行" not in (await client.get("/")).text
