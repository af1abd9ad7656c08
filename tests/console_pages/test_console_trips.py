"""The console's trips, through the real server in zh-Hans as a coordinator's session: the trips
with what their passports need; one trip's itinerary on each leg's clock, rooms board, passport
check with every number masked, and the manifest as the API gives it."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from club.tables import Role
from tests.conftest import LiveServer
from tests.console import console_client
from tests.console_pages.test_console_lists import ZH, words
from tests.factories import Caller, make_member, make_user
from tests.travel.helpers import add_item, add_traveler, at, link, put_passport, rsvp, trip
from travel import urls
from travel.rules import add_months


async def _party(server: LiveServer, coordinator: Caller) -> dict:
    """A trip through Milan: one passport good, one a day short, one companion not named, one
    member with no passport yet; a twin room with one bed taken."""
    start = at(days=40)
    event = await trip(server, coordinator, starts=start, title="意大利时装之旅", venue="上海浦东机场 T2")
    await add_item(server, coordinator, event["id"], start + timedelta(days=2), title="米兰时装周", place="Milan",
                   time_zone="Europe/Rome", meeting_point="Four Seasons lobby", is_checkpoint=True)
    returns_on = (start + timedelta(days=10)).astimezone(ZoneInfo("Europe/Rome")).date()
    required = add_months(returns_on, 6)
    good, short, missing = await make_member("林夕"), await make_member("高远"), await make_member("周琳")
    travelers = {}
    for caller, expiry, guests, number in ((good, required, 1, "E12345678"), (short, required - timedelta(days=1), 0, "G87654321")):
        mine = await rsvp(server, caller, event["id"], guests=guests)
        async with server.client(caller.token) as http:
            traveler = (await add_traveler(http, mine["id"], dietary_notes="素食")).json()
            assert (await put_passport(http, traveler["id"], number, expiry.isoformat())).status_code == 200
            travelers[caller.member_id] = traveler["id"]
    mine = await rsvp(server, missing, event["id"])
    async with server.client(missing.token) as http:
        travelers[missing.member_id] = (await add_traveler(http, mine["id"])).json()["id"]
    async with server.client(coordinator.token) as http:
        room = (await http.post(link(urls.TRIP_ROOMS, event_id=event["id"]), json={"label": "Suite 8", "kind": "twin"})).json()
        assigned = await http.post(link(urls.ROOM_OCCUPANTS, room_id=room["id"]), json={"traveler_id": travelers[good.member_id]})
        assert assigned.status_code == 200
    return {"event": event, "good": good, "short": short, "missing": missing, "travelers": travelers}


async def test_the_trip_desk_shows_itinerary_rooms_and_passports_with_every_number_masked(
    server: LiveServer, coordinator: Caller
) -> None:
    party = await _party(server, coordinator)
    event = party["event"]
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        listing = await console.get("/console/trips")
        assert listing.status_code == 200
        row = words(re.search(rf'<tr id="trip-{event["id"]}">.*?</tr>', listing.text, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
        # Three confirmed RSVPs, four places (one companion), three to follow up.
        assert "意大利时装之旅" in row and "3 位出行人待跟进" in row

        page = await console.get(f"/console/trips/{event['id']}")
        assert page.status_code == 200, page.text
        html, seen = page.text, words(page.text)
        # No page holds a whole passport number: the API's masked form only.
        assert "E12345678" not in html and "G87654321" not in html
        assert "•••••5678" in html and "•••••4321" in html
        # The passport check, per traveler: what is missing.
        check = words(re.search(r'<section id="passports".*?</section>', html, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
        assert "3 位出行人待跟进" in check
        assert "高远：护照" in check  # expires the day before it must still be valid
        assert "林夕的同行人 同行人 尚未填写出行人信息" in check  # the companion not named yet
        assert "周琳 会员 尚未登记护照" in check
        assert "林夕：" not in check
        # The itinerary on the leg's own clock, naming the city for a club on Paris time.
        itinerary = words(re.search(r'<section id="itinerary".*?</section>', html, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
        assert "米兰时装周" in itinerary and "罗马时间" in itinerary and "Four Seasons lobby" in itinerary
        # The rooms board: the room, who sleeps in it, its free bed; and who has no room yet.
        rooms = words(re.search(r'<section id="rooms".*?</section>', html, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
        assert "Suite 8" in rooms and "双床间" in rooms and "林夕" in rooms and "空余 1 个床位" in rooms
        assert "2 位出行人尚未分配房间" in rooms and "高远" in rooms and "周琳" in rooms
        assert f'href="/console/trips/{event["id"]}/manifest.csv"' in html and "素食" in seen


async def test_the_manifest_downloads_as_the_api_gives_it_and_only_to_coordinators(
    server: LiveServer, coordinator: Caller
) -> None:
    party = await _party(server, coordinator)
    event_id = party["event"]["id"]
    async with server.client(coordinator.token) as http:
        api_csv = await http.get(link(urls.TRIP_MANIFEST_CSV, event_id=event_id), headers=ZH)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        csv = await console.get(f"/console/trips/{event_id}/manifest.csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert csv.headers["content-disposition"] == f'attachment; filename="trip-{event_id}-manifest.csv"'
        # The same file the API's manifest gives: the whole numbers are there, for booking flights.
        assert csv.content == api_csv.content and "E12345678" in csv.content.decode("utf-8")
        book = await console.get(f"/console/trips/{event_id}/manifest.xlsx")
        assert book.status_code == 200 and book.content[:2] == b"PK"
    async with await console_client(server.base_url, party["good"], **ZH) as members_session:
        assert (await members_session.get(f"/console/trips/{event_id}/manifest.csv")).status_code in (403, 404)
        assert (await members_session.get(f"/console/trips/{event_id}")).status_code in (403, 404)
    door = await make_user(Role.staff)
    async with await console_client(server.base_url, door, **ZH) as door_session:
        assert (await door_session.get(f"/console/trips/{event_id}/manifest.xlsx")).status_code in (403, 404)


async def test_a_salon_is_not_a_trip_desk(server: LiveServer, coordinator: Caller) -> None:
    from tests.events.helpers import published_event

    salon = await published_event(server, coordinator)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        assert (await console.get(f"/console/trips/{salon['id']}")).status_code == 409
        assert (await console.get("/console/trips/999999")).status_code == 404


async def test_a_members_console_page_shows_their_trips_and_what_their_passports_need(
    server: LiveServer, coordinator: Caller
) -> None:
    party = await _party(server, coordinator)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        short = (await console.get(f"/console/members/{party['short'].member_id}")).text
        good = (await console.get(f"/console/members/{party['good'].member_id}")).text
    pattern = r'<section class="card console-panel member-trips".*?</section>'
    short_panel = words(re.search(pattern, short, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
    assert "意大利时装之旅" in short_panel and "已确认" in short_panel and "1 位出行人待跟进" in short_panel
    good_panel = words(re.search(pattern, good, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
    assert "携 1 位同行人" in good_panel and "1 位出行人待跟进" in good_panel  # the companion not named yet
    assert "E12345678" not in good and f'href="/console/trips/{party["event"]["id"]}"' in good
