"""The counter's API over real HTTP: a member's card earns visit points once per store per local
day, within the club's daily cap across stores; a ticket is not a card; a suspended member's or a
reissued card earns nothing; stores are the coordinators'; a member reads their own card."""

from __future__ import annotations

from datetime import UTC, datetime

from checkin.ticket_tokens import TicketClaims, TicketSigner
from club import clock
from club import urls as club_urls
from club.ledger import balance_of, entries_of
from club.tables import PointsReason, Role
from club.visits import urls
from club.visits.tables import Visit
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.visits.helpers import add_stores, card_of, scan

# 15:00 UTC: 23:00 in Shanghai, 16:00 in Paris.
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


async def test_a_visit_earns_once_per_store_per_day_within_the_daily_cap(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    await add_stores(server, coordinator)
    card = await card_of(server, member)
    with clock.frozen_at(NOW):
        async with server.client(staff.token) as counter:
            first = await counter.post(urls.VISITS, json=scan(card, nonce="scan-0001"))
            retried = await counter.post(urls.VISITS, json=scan(card, nonce="scan-0001"))
            again = await counter.post(urls.VISITS, json=scan(card))
            other = await counter.post(urls.VISITS, json=scan(card, "BJ-SKP"))
            third = await counter.post(urls.VISITS, json=scan(card, "PA-STH"))
    assert first.status_code == 200, first.text
    assert first.json() == {
        "result": "earned", "detail": "Visit counted: 50 points.", "store": "SH-IFC", "local_day": "2026-12-01",
        "member": {"name": "Amélie Laurent", "tier": "Silver"}, "points_awarded": 50, "visit_points_today": 50,
    }
    assert retried.json()["result"] == "earned" and retried.json()["points_awarded"] == 50  # the same scan again
    assert again.json()["result"] == "already_counted" and again.json()["points_awarded"] == 0
    assert other.json()["result"] == "earned" and other.json()["visit_points_today"] == 100
    assert third.json()["result"] == "cap_reached" and third.json()["points_awarded"] == 0
    assert await balance_of(member.member_id) == 100  # type: ignore[arg-type]
    entries = await entries_of(member.member_id)  # type: ignore[arg-type]
    assert sorted((e.reason, e.delta) for e in entries) == [(PointsReason.visit, 50), (PointsReason.visit, 50)]
    assert await Visit.count() == 2


async def test_the_day_is_the_stores_local_day(server: LiveServer, coordinator: Caller, staff: Caller, member: Caller) -> None:
    await add_stores(server, coordinator)
    card = await card_of(server, member)
    async with server.client(staff.token) as counter:
        with clock.frozen_at(NOW):  # 23:00 in Shanghai
            late = await counter.post(urls.VISITS, json=scan(card))
        with clock.frozen_at(datetime(2026, 12, 1, 16, 30, tzinfo=UTC)):  # 00:30 the next day in Shanghai
            next_day = await counter.post(urls.VISITS, json=scan(card))
    assert (late.json()["local_day"], late.json()["result"]) == ("2026-12-01", "earned")
    assert (next_day.json()["local_day"], next_day.json()["result"]) == ("2026-12-02", "earned")
    assert next_day.json()["visit_points_today"] == 50  # a new day, a new cap


async def test_a_ticket_a_forgery_a_reissued_card_and_a_suspended_member_earn_nothing(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    await add_stores(server, coordinator)
    old_card = await card_of(server, member)
    ticket = TicketSigner(server.settings.secret_key).issue(TicketClaims(event_id=1, rsvp_id=member.member_id or 0, version=1))
    async with server.client(coordinator.token) as http:
        reissued = await http.post(urls.link(urls.CARD_REISSUE, member_id=member.member_id or 0))
    assert reissued.status_code == 200 and reissued.json()["version"] == 2
    new_card = reissued.json()["token"]
    async with server.client(staff.token) as counter:
        as_ticket = await counter.post(urls.VISITS, json=scan(ticket))
        forged = await counter.post(urls.VISITS, json=scan(old_card[:-2] + "AA" if not old_card.endswith("AA") else old_card[:-2] + "BB"))
        stale = await counter.post(urls.VISITS, json=scan(old_card))
        async with server.client(coordinator.token) as http:
            assert (await http.post(club_urls.MEMBER_SUSPEND.replace("{member_id:int}", str(member.member_id)))).status_code == 200
        suspended = await counter.post(urls.VISITS, json=scan(new_card))
    for answer in (as_ticket, forged, stale):
        assert answer.status_code == 200 and answer.json()["result"] == "not_a_card", answer.text
        assert answer.json()["member"] is None  # a code that is not a card tells nothing of anyone
    assert suspended.json()["result"] == "suspended" and suspended.json()["points_awarded"] == 0
    assert await balance_of(member.member_id) == 0  # type: ignore[arg-type]


async def test_stores_are_the_coordinators_and_a_closed_or_unknown_store_is_refused(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    await add_stores(server, coordinator)
    card = await card_of(server, member)
    async with server.client(coordinator.token) as http:
        twice = await http.post(urls.STORES, json={"code": "SH-IFC", "name": "Again", "time_zone": "Asia/Shanghai"})
        bad_zone = await http.post(urls.STORES, json={"code": "XX", "name": "Nowhere", "time_zone": "Mars/Olympus"})
        closed = await http.patch(urls.STORE.replace("{code:str}", "BJ-SKP"), json={"active": False})
        listed = await http.get(urls.STORES)
    assert twice.status_code == 409 and twice.json()["type"] == "/problems/store-exists"
    assert bad_zone.status_code == 400 and bad_zone.json()["type"] == "/problems/unknown-time-zone"
    assert closed.status_code == 200 and closed.json()["active"] is False
    assert [s["code"] for s in listed.json()] == ["BJ-SKP", "PA-STH", "SH-IFC"]
    async with server.client(staff.token) as counter:
        unknown = await counter.post(urls.VISITS, json=scan(card, "NOPE"))
        at_closed = await counter.post(urls.VISITS, json=scan(card, "BJ-SKP"))
        bad = await counter.post(urls.VISITS, json={"token": card, "store": "SH-IFC"})
    assert unknown.status_code == 404
    assert at_closed.status_code == 409 and at_closed.json()["type"] == "/problems/store-closed"
    assert bad.status_code == 400


async def test_a_member_reads_their_card_and_cannot_post_visits(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    await add_stores(server, coordinator)
    async with server.client(member.token) as me:
        card = await me.get(urls.MY_CARD)
        posted = await me.post(urls.VISITS, json=scan(card.json()["token"]))
        stores = await me.get(urls.STORES)
    assert card.status_code == 200 and card.json()["version"] == 1 and card.json()["token"].startswith("CARD-")
    assert posted.status_code == 403 and stores.status_code == 403
    staff = await make_user(Role.staff)
    async with server.client(staff.token) as http:
        assert (await http.get(urls.MY_CARD)).status_code == 403
        assert (await http.post(urls.STORES, json={"code": "Z", "name": "Z", "time_zone": "UTC"})).status_code == 403
    other = await make_member("Another Member")
    assert other.member_id != member.member_id
