"""Multipliers applied by award(), the one place: at the door, at the till (and its refund), on a
referral and on a bonus day; never on an adjustment. And a tier's yearly spend, reached by a receipt."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from club import clock
from club.db import write_transaction
from club.multipliers import urls
from club.points import adjust, award
from club.referrals import ReferralPolicy, earn_referral
from club.spend.tables import Receipt
from club.tables import Member, PointsEntry, PointsReason, Tier
from club.visits import urls as visit_urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.spend.helpers import receipt, refund
from tests.visits.helpers import add_stores, card_of
from tests.visits.helpers import scan as visit_scan


async def _tier_id(name: str) -> int:
    row = await Tier.select(Tier.id).where(Tier.name == name).first()
    assert row is not None
    return int(row["id"])


async def _make_diamond(member_id: int) -> None:
    await Member.update({Member.tier: await _tier_id("Diamond")}).where(Member.id == member_id)


async def _entries(member_id: int) -> list[dict[str, Any]]:
    return await PointsEntry.select(PointsEntry.delta, PointsEntry.reason, PointsEntry.note).where(
        PointsEntry.member == member_id).order_by(PointsEntry.id)


async def _set(server: LiveServer, coordinator: Caller, tier: str, kind: str, factor: str) -> None:
    async with server.client(coordinator.token) as http:
        answer = await http.post(urls.TIER_MULTIPLIERS, json={"tier_id": await _tier_id(tier), "kind": kind, "factor": factor})
    assert answer.status_code == 201, answer.text


async def test_a_diamond_member_earns_double_at_the_door_and_the_entry_says_why(
    server: LiveServer, coordinator: Caller, staff: Caller,
) -> None:
    await _set(server, coordinator, "Diamond", "attendance", "2")
    event = await door_open_event(server, coordinator, attendance_points=100)
    vip, plain = await make_member("Hélène Vasseur"), await make_member("Camille Roux")
    assert vip.member_id and plain.member_id
    await _make_diamond(vip.member_id)
    _, vip_ticket = await rsvp_and_ticket(server, vip, event["id"])
    _, plain_ticket = await rsvp_and_ticket(server, plain, event["id"])
    async with server.client(staff.token) as http:
        vip_answer = await scan(http, event["id"], vip_ticket)  # type: ignore[arg-type]
        plain_answer = await scan(http, event["id"], plain_ticket)  # type: ignore[arg-type]
    assert (vip_answer["result"], vip_answer["points_awarded"]) == ("admitted", 200)
    assert plain_answer["points_awarded"] == 100
    [entry] = await _entries(vip.member_id)
    assert entry["delta"] == 200 and entry["note"] == f"attended event {event['id']} [base 100 x tier 2 = 200]"
    assert [e["delta"] for e in await _entries(plain.member_id)] == [100]


async def test_a_bonus_day_multiplies_its_kinds_on_the_clubs_date_only(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("Lin Yue", time_zone="America/New_York")
    assert member.member_id
    with clock.frozen_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        async with server.client(coordinator.token) as http:
            made = await http.post(urls.BONUS_DAYS, json={"name": "Member day", "date": "2026-12-12", "factor": "1.5",
                                                          "kinds": ["visit", "attendance"]})
            assert made.status_code == 201, made.text
            listed = (await http.get(urls.MULTIPLIERS)).json()
    assert [d["name"] for d in listed["bonus_days"]] == ["Member day"]
    # 11 December, 22:59 UTC: 23:59 in Paris (the club's zone), still the 11th: no bonus.
    with clock.frozen_at(datetime(2026, 12, 11, 22, 59, tzinfo=UTC)):
        assert (await award(member.member_id, 100, PointsReason.visit, "v-1")).points == 100
    # 23:00 UTC is the 12th in Paris, though 18:00 on the 11th where the member is: the club's date counts.
    with clock.frozen_at(datetime(2026, 12, 11, 23, 0, tzinfo=UTC)):
        assert (await award(member.member_id, 101, PointsReason.visit, "v-2")).points == 151  # rounded down
        assert (await award(member.member_id, 100, PointsReason.birthday, "b-1")).points == 100  # not its kind
        adjusted = await adjust(member.member_id, 100, "Goodwill", coordinator.user_id)
        assert adjusted.points == 100  # an adjustment is never multiplied


async def test_a_receipt_keeps_what_it_earned_and_its_refund_takes_back_its_share(server: LiveServer, coordinator: Caller) -> None:
    await _set(server, coordinator, "Diamond", "spend", "2")
    member = await make_member("Hélène Vasseur")
    assert member.member_id
    await _make_diamond(member.member_id)
    async with server.client(coordinator.token) as http:
        sale = await http.post("/api/spend/receipts", json=receipt(member.member_id, amount_minor=100_000))  # ¥1,000
        assert sale.status_code == 201 and sale.json()["points"] == 2_000, sale.text
        again = await http.post("/api/spend/receipts", json=receipt(member.member_id, amount_minor=100_000))
        assert again.status_code == 200 and again.json()["points"] == 2_000
        half = await http.post("/api/spend/refunds", json=refund("F-1", 50_000))
        assert half.status_code == 201 and half.json()["points"] == 1_000, half.text
    assert [e["delta"] for e in await _entries(member.member_id)] == [2_000, -1_000]


async def test_a_referral_earns_through_the_same_rules(server: LiveServer, coordinator: Caller) -> None:
    await _set(server, coordinator, "Diamond", "referral", "3")
    referrer = await make_member("Referrer")
    assert referrer.member_id
    await _make_diamond(referrer.member_id)
    newcomer = await make_member("Newcomer", referred_by=referrer.member_id)
    assert newcomer.member_id
    async with write_transaction():
        assert await earn_referral(newcomer.member_id, "enrolment", ReferralPolicy("enrolment", 500))
        # Once per referred member: the referral's own key (there is no other cap in club.referrals).
        assert not await earn_referral(newcomer.member_id, "enrolment", ReferralPolicy("enrolment", 500))
    [entry] = await _entries(referrer.member_id)
    assert entry["delta"] == 1_500 and entry["reason"] == "referral" and "base 500 x tier 3" in entry["note"]


async def test_a_members_own_day_multiplies_then_cannot_move(server: LiveServer) -> None:
    member = await make_member("Lin Yue")
    assert member.member_id
    with clock.frozen_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        async with server.client(member.token) as http:
            chosen = await http.put(urls.MY_BONUS_DAY, json={"date": "2026-12-20"})
            assert chosen.status_code == 200 and chosen.json()["date"] == "2026-12-20", chosen.text
            moved = await http.put(urls.MY_BONUS_DAY, json={"date": "2026-12-24"})
            assert moved.status_code == 200 and moved.json()["may_change"] is True
            past = await http.put(urls.MY_BONUS_DAY, json={"date": "2026-11-30"})
            assert past.status_code == 409 and past.json()["type"].endswith("own-bonus-day-refused")
    with clock.frozen_at(datetime(2026, 12, 24, 10, 0, tzinfo=UTC)):
        assert (await award(member.member_id, 100, PointsReason.attendance, "a-1")).points == 200
        async with server.client(member.token) as http:
            mine = (await http.get(urls.MY_BONUS_DAY)).json()
            assert mine["used"] is True and mine["may_change"] is False
            refused = await http.put(urls.MY_BONUS_DAY, json={"date": "2026-12-30"})
            assert refused.status_code == 409, refused.text
    with clock.frozen_at(datetime(2026, 12, 25, 10, 0, tzinfo=UTC)):
        assert (await award(member.member_id, 100, PointsReason.attendance, "a-2")).points == 100


async def test_a_receipt_that_reaches_a_tiers_yearly_spend_promotes_at_once(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        gold = await _tier_id("Gold")
        patched = await http.patch(f"/api/tiers/{gold}", json={"spend_threshold": 100_000, "spend_currency": "cny"})
        assert patched.status_code == 200 and patched.json()["spend_currency"] == "CNY", patched.text
    member = await make_member("Camille Roux")
    assert member.member_id
    await award(member.member_id, 1_500, PointsReason.visit, "v-1")  # Gold's points, not its spend
    tier = await Member.select(Member.tier.name).where(Member.id == member.member_id).first()
    assert tier is not None and tier["tier.name"] == "Silver"
    async with server.client(coordinator.token) as http:
        small = await http.post("/api/spend/receipts", json=receipt(member.member_id, "R-1", amount_minor=50_000))
        assert small.status_code == 201
        tier = await Member.select(Member.tier.name).where(Member.id == member.member_id).first()
        assert tier is not None and tier["tier.name"] == "Silver"  # ¥500 of the ¥1,000 a year Gold asks
        big = await http.post("/api/spend/receipts", json=receipt(member.member_id, "R-2", amount_minor=60_000))
        assert big.status_code == 201
    tier = await Member.select(Member.tier.name).where(Member.id == member.member_id).first()
    assert tier is not None and tier["tier.name"] == "Gold"
    assert await Receipt.count().where(Receipt.member == member.member_id) == 2



async def test_a_diamond_visit_earns_double_and_the_daily_cap_counts_visits_alike(
    server: LiveServer, coordinator: Caller, staff: Caller,
) -> None:
    await _set(server, coordinator, "Diamond", "visit", "2")
    await add_stores(server, coordinator)
    vip = await make_member("Hélène Vasseur")
    assert vip.member_id
    await _make_diamond(vip.member_id)
    card = await card_of(server, vip)
    with clock.frozen_at(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)):
        async with server.client(staff.token) as counter:
            first = (await counter.post(visit_urls.VISITS, json=visit_scan(card, nonce="scan-0001"))).json()
            retried = (await counter.post(visit_urls.VISITS, json=visit_scan(card, nonce="scan-0001"))).json()
            second = (await counter.post(visit_urls.VISITS, json=visit_scan(card, "BJ-SKP"))).json()
            third = (await counter.post(visit_urls.VISITS, json=visit_scan(card, "PA-STH"))).json()
    # The counter says what the member received; the cap (100 a day, 50 a visit) counts two visits, as for anyone.
    assert (first["result"], first["points_awarded"], first["visit_points_today"]) == ("earned", 100, 50)
    assert first["detail"] == "Visit counted: 100 points."
    assert (retried["result"], retried["points_awarded"]) == ("earned", 100)
    assert (second["points_awarded"], second["visit_points_today"]) == (100, 100)
    assert third["result"] == "cap_reached"
    assert [e["delta"] for e in await _entries(vip.member_id)] == [100, 100]
