"""The till's API over real HTTP: a receipt earns points once however often it is sent, a refund
takes back its share once and never more than the receipt earned, currencies are checked, a
suspended member's purchase earns nothing, a purchase may lift the tier, and only coordinators
(a till's account) may post; members read their own rolling twelve months."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.ledger import balance_of, entries_of
from club.spend import urls
from club.spend.tables import Receipt, Refund
from club.tables import Member, PointsReason, Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.spend.helpers import receipt, refund

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_a_receipt_earns_once_however_often_the_till_sends_it(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as till:
            first = await till.post(urls.RECEIPTS, json=receipt(member.member_id))
            again = await till.post(urls.RECEIPTS, json=receipt(member.member_id))
            other_store = await till.post(urls.RECEIPTS, json=receipt(member.member_id, store="BJ-SKP", amount_minor=50_000))
            changed = await till.post(urls.RECEIPTS, json=receipt(member.member_id, amount_minor=100))
    assert first.status_code == 201, first.text
    assert first.json() | {"id": 0} == {
        "id": 0, "store": "SH-IFC", "receipt": "R-1001", "member_id": member.member_id, "currency": "CNY",
        "amount_minor": 1_280_050, "points": 12_800, "no_points_reason": None, "purchased_at": "2026-11-20T06:05:00Z",
        "via": "till", "refunded_minor": 0, "points_taken_back": 0,
    }
    assert again.status_code == 200 and again.json() == first.json()
    assert other_store.status_code == 201 and other_store.json()["points"] == 500  # the same number at another store
    assert changed.status_code == 409 and changed.json()["type"] == "/problems/receipt-conflict"
    assert await balance_of(member.member_id) == 13_300  # type: ignore[arg-type]
    entries = await entries_of(member.member_id)  # type: ignore[arg-type]
    assert sorted((e.reason, e.delta) for e in entries) == [(PointsReason.spend, 500), (PointsReason.spend, 12_800)]
    # 13,300 points lifted the member past Gold (1,000) and Platinum (5,000) to Platinum.
    tier = await Member.select(Member.tier.name).where(Member.id == member.member_id).first()
    assert tier == {"tier.name": "Platinum"}


async def test_refunds_take_back_their_share_once_and_never_more_than_the_receipt(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as till:
            assert (await till.post(urls.RECEIPTS, json=receipt(member.member_id, amount_minor=300_000))).status_code == 201
            part = await till.post(urls.REFUNDS, json=refund("F-1", 100_000))
            resent = await till.post(urls.REFUNDS, json=refund("F-1", 100_000))
            reused = await till.post(urls.REFUNDS, json=refund("F-1", 5_000))
            too_much = await till.post(urls.REFUNDS, json=refund("F-2", 200_001))
            rest = await till.post(urls.REFUNDS, json=refund("F-3", 200_000))
            nothing_left = await till.post(urls.REFUNDS, json=refund("F-4", 1))
            unknown = await till.post(urls.REFUNDS, json=refund("F-5", 100, number="R-404"))
            hkd = await till.post(urls.REFUNDS, json=refund("F-6", 100, currency="HKD"))
    assert part.status_code == 201, part.text
    assert (part.json()["points"], part.json()["receipt_left_minor"]) == (1_000, 200_000)
    assert resent.status_code == 200 and resent.json() == part.json()
    assert reused.status_code == 409 and reused.json()["type"] == "/problems/refund-conflict"
    assert too_much.status_code == 409 and too_much.json()["type"] == "/problems/refund-exceeds-receipt"
    assert rest.status_code == 201 and rest.json()["points"] == 2_000 and rest.json()["receipt_left_minor"] == 0
    assert nothing_left.status_code == 409
    assert unknown.status_code == 404
    assert hkd.status_code == 400 and hkd.json()["type"] == "/problems/currency-mismatch"
    assert "HKD" in hkd.json()["detail"] and "CNY" in hkd.json()["detail"]
    assert await balance_of(member.member_id) == 0  # type: ignore[arg-type]
    assert await Refund.count() == 2
    entries = await entries_of(member.member_id)  # type: ignore[arg-type]
    assert sorted((e.reason, e.delta) for e in entries) == [
        (PointsReason.refund, -2_000), (PointsReason.refund, -1_000), (PointsReason.spend, 3_000)
    ]


async def test_currencies_and_amounts_are_checked_before_anything_is_written(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    async with server.client(coordinator.token) as till:
        unknown = await till.post(urls.RECEIPTS, json=receipt(member.member_id, currency="XYZ"))
        not_here = await till.post(urls.RECEIPTS, json=receipt(member.member_id, currency="USD"))
        float_amount = await till.post(urls.RECEIPTS, json=receipt(member.member_id, amount_minor=12.5))
        negative = await till.post(urls.RECEIPTS, json=receipt(member.member_id, amount_minor=-100))
        colon = await till.post(urls.RECEIPTS, json=receipt(member.member_id, store="SH:IFC"))
        nobody = await till.post(urls.RECEIPTS, json=receipt(2_000_000))
        future = await till.post(urls.RECEIPTS, json=receipt(member.member_id, purchased_at="2099-01-01T00:00:00Z"))
    assert unknown.status_code == 400 and unknown.json()["type"] == "/problems/unknown-currency"
    assert not_here.status_code == 400 and not_here.json()["type"] == "/problems/currency-not-earned"
    assert "USD" in not_here.json()["detail"] and "CNY" in not_here.json()["detail"]
    for answer in (float_amount, negative, colon, future):
        assert answer.status_code == 400, answer.text
    assert nobody.status_code == 404
    assert await Receipt.count() == 0 and await balance_of(member.member_id) == 0  # type: ignore[arg-type]


async def test_a_suspended_members_purchase_is_recorded_without_points(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with server.client(coordinator.token) as till:
        assert (await till.post(f"/api/members/{member.member_id}/suspend", json={"reason": "test"})).status_code in (200, 201)
        recorded = await till.post(urls.RECEIPTS, json=receipt(member.member_id, amount_minor=500_000))
        refunded = await till.post(urls.REFUNDS, json=refund("F-1", 500_000))
        spend = await till.get(urls.link(urls.MEMBER_SPEND, member_id=member.member_id))  # type: ignore[arg-type]
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["points"], recorded.json()["no_points_reason"]) == (0, "member-suspended")
    assert refunded.status_code == 201 and refunded.json()["points"] == 0
    assert await balance_of(member.member_id) == 0  # type: ignore[arg-type]
    assert spend.json()["totals"] == [{"currency": "CNY", "amount_minor": 0, "receipts": 1}]


async def test_the_rolling_twelve_months_sum_purchases_less_their_refunds(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as till:
            for number, at, amount in (("OLD", "2025-11-30T23:00:00Z", 900_000), ("A", "2025-12-02T10:00:00Z", 100_000),
                                        ("B", "2026-11-20T10:00:00Z", 250_000)):
                made = await till.post(urls.RECEIPTS, json=receipt(member.member_id, number, amount, purchased_at=at))
                assert made.status_code == 201, made.text
            assert (await till.post(urls.REFUNDS, json=refund("F-B", 50_000, number="B"))).status_code == 201
            theirs = (await till.get(urls.link(urls.MEMBER_SPEND, member_id=member.member_id))).json()  # type: ignore[arg-type]
        async with server.client(member.token) as phone:
            mine = await phone.get(urls.MY_SPEND)
    assert mine.status_code == 200 and mine.json() == theirs
    assert theirs["since"] == "2025-12-01T09:00:00Z" and theirs["until"] == "2026-12-01T09:00:00Z"
    assert theirs["totals"] == [{"currency": "CNY", "amount_minor": 300_000, "receipts": 2}]


async def test_members_and_door_staff_cannot_post_receipts_or_read_others_spend(server: LiveServer, member: Caller) -> None:
    staff = await make_user(Role.staff)
    other = await make_member("Other")
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for path, body in ((urls.RECEIPTS, receipt(caller.member_id or other.member_id)), (urls.REFUNDS, refund("F-1", 100)),
                               (urls.IMPORTS, None)):
                answer = await http.post(path, json=body) if body else await http.post(path, content=b"kind\n")
                assert answer.status_code == 403, (path, answer.text)
            assert (await http.get(urls.link(urls.MEMBER_SPEND, member_id=other.member_id))).status_code == 403  # type: ignore[arg-type]
    async with server.client(staff.token) as http:
        assert (await http.get(urls.MY_SPEND)).status_code == 403
    assert await Receipt.count() == 0
