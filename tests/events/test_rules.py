"""The pure event rules with plain values: eligibility reasons, schedules, windows, waitlist order, promotion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.rules import (
    EventFacts,
    MemberFacts,
    Waiting,
    check_schedule,
    ineligibility_reasons,
    order_waitlist,
    position_reason,
    rsvp_refusal,
    waitlist_promotions,
)

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
ACTIVE_GOLD = MemberFacts(status="active", tier_rank=2)


def test_an_open_event_has_no_reasons() -> None:
    assert ineligibility_reasons(EventFacts(kind="salon"), ACTIVE_GOLD) == []


@pytest.mark.parametrize(
    ("event", "member", "reasons"),
    [
        (EventFacts("salon", min_tier_rank=2, min_tier_name="Gold"), MemberFacts("active", 1), ["Gold and above"]),
        (EventFacts("salon", min_tier_rank=2, min_tier_name="Gold"), MemberFacts("active", None), ["Gold and above"]),
        (EventFacts("salon", min_tier_rank=2, min_tier_name="Gold"), MemberFacts("active", 3), []),
        (EventFacts("fashion_week", invitation_only=True), ACTIVE_GOLD, ["by invitation"]),
        (EventFacts("fashion_week", invitation_only=True), MemberFacts("active", 2, invited=True), []),
        (EventFacts("salon"), MemberFacts("suspended", 2), ["your membership is suspended"]),
        (EventFacts("salon", min_points=500), MemberFacts("active", 1, points=499), ["at least 500 points"]),
        (EventFacts("salon", min_points=500), MemberFacts("active", 1, points=500), []),
        (EventFacts("health_checkup", max_per_12_months=1), MemberFacts("active", 1, same_kind_nearby=1), ["one health_checkup per 12 months"]),
        (EventFacts("health_checkup", max_per_12_months=1), MemberFacts("active", 1, same_kind_nearby=0), []),
        (EventFacts("trip", max_per_12_months=5), MemberFacts("active", 1, same_kind_nearby=5), ["5 trip per 12 months"]),
    ],
)
def test_each_rule_gives_its_reason(event: EventFacts, member: MemberFacts, reasons: list[str]) -> None:
    assert ineligibility_reasons(event, member) == reasons


def test_all_reasons_are_listed_together() -> None:
    event = EventFacts("fashion_week", min_tier_rank=4, min_tier_name="Diamond", invitation_only=True, min_points=100)
    member = MemberFacts("lapsed", 1, points=0)
    assert ineligibility_reasons(event, member) == [
        "your membership is lapsed", "Diamond and above", "by invitation", "at least 100 points"
    ]


def test_schedule_problems() -> None:
    assert check_schedule("Europe/Paris", T0, T0 + timedelta(hours=1), None, None) == []
    assert check_schedule("Mars/Olympus", T0, T0 + timedelta(hours=1), None, None)[0].startswith("'Mars/Olympus'")
    assert check_schedule("UTC", T0, T0, None, None) == ["the event must end after it starts"]
    assert check_schedule("UTC", T0, T0 + timedelta(hours=1), T0 - timedelta(days=1), T0 - timedelta(days=2)) == [
        "RSVPs must close after they open"
    ]
    assert check_schedule("UTC", T0, T0 + timedelta(hours=1), None, T0 + timedelta(minutes=1)) == [
        "RSVPs must close by the start of the event"
    ]


@pytest.mark.parametrize(
    ("status", "now", "opens", "closes", "refusal"),
    [
        ("published", T0 - timedelta(days=1), None, None, None),
        ("cancelled", T0 - timedelta(days=1), None, None, "cancelled"),
        ("draft", T0 - timedelta(days=1), None, None, "draft"),
        ("published", T0, None, None, "past"),
        ("published", T0 + timedelta(days=1), None, None, "past"),
        ("published", T0 - timedelta(days=3), T0 - timedelta(days=2), None, "not_open"),
        ("published", T0 - timedelta(days=2), T0 - timedelta(days=2), None, None),
        ("published", T0 - timedelta(hours=1), None, T0 - timedelta(hours=1), "closed"),
    ],
)
def test_rsvp_window(status: str, now: datetime, opens: datetime | None, closes: datetime | None, refusal: str | None) -> None:
    assert rsvp_refusal(status, T0, opens, closes, now) == refusal


def _w(rsvp_id: int, seats: int = 1, minute: int = 0, rank: int | None = 1) -> Waiting:
    return Waiting(rsvp_id, seats, T0 + timedelta(minutes=minute), rank)


def test_first_come_orders_by_time_then_id() -> None:
    entries = [_w(3, minute=1), _w(2, minute=0), _w(1, minute=1, rank=4)]
    assert [w.rsvp_id for w in order_waitlist("first_come", entries)] == [2, 1, 3]


def test_tier_priority_orders_by_rank_then_time_and_no_tier_last() -> None:
    entries = [_w(1, minute=0, rank=1), _w(2, minute=5, rank=3), _w(3, minute=1, rank=3), _w(4, minute=0, rank=None)]
    assert [w.rsvp_id for w in order_waitlist("tier_priority", entries)] == [3, 2, 1, 4]


def test_position_reason_says_why() -> None:
    assert position_reason("tier_priority", "Gold", 2, T0).startswith("tier priority: Gold (rank 2)")
    assert position_reason("first_come", "Gold", 2, T0) == "first come: joined at 2026-03-01 18:00:00.000000 UTC"


def test_promotion_fills_in_order() -> None:
    result = waitlist_promotions(2, [_w(1), _w(2), _w(3)])
    assert [w.rsvp_id for w in result.promoted] == [1, 2] and result.skipped == []


def test_a_party_of_three_is_not_promoted_into_two_seats_the_next_that_fits_is() -> None:
    trio, solo, duo = _w(1, seats=3), _w(2, seats=1), _w(3, seats=2)
    result = waitlist_promotions(2, [trio, solo, duo])
    assert [w.rsvp_id for w in result.promoted] == [2]
    assert result.skipped == [trio]


def test_a_party_that_does_not_fit_with_nobody_behind_it_is_not_skipped() -> None:
    result = waitlist_promotions(2, [_w(1, seats=3)])
    assert result.promoted == [] and result.skipped == []


def test_no_free_seats_promotes_nobody() -> None:
    assert waitlist_promotions(0, [_w(1)]).promoted == []
    assert waitlist_promotions(-3, [_w(1)]).promoted == []
