"""The pure rules of show invitations, with plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.shows.rules import (
    Candidate,
    answer_refusal,
    choose_offers,
    local_iso,
    offer_order,
    reply_by,
    seats_held,
)

T0 = datetime(2027, 2, 20, 9, 0, tzinfo=UTC)


def test_offers_go_by_tier_then_invitation_time_then_id() -> None:
    queue = [
        Candidate(1, 1, T0, None),  # no tier: last
        Candidate(2, 1, T0 + timedelta(minutes=5), 3),
        Candidate(3, 1, T0, 1),
        Candidate(4, 1, T0, 3),
        Candidate(5, 1, T0, 3),
    ]
    assert offer_order(queue) == [4, 5, 2, 3, 1]


def test_a_plus_one_that_does_not_fit_keeps_its_place_while_a_single_seat_is_given() -> None:
    queue = [Candidate(1, 2, T0, 3), Candidate(2, 1, T0, 2), Candidate(3, 1, T0, 1)]
    assert choose_offers(1, queue) == [2]
    assert choose_offers(2, queue) == [1]
    assert choose_offers(4, queue) == [1, 2, 3]
    assert choose_offers(0, queue) == []


def test_seats_held_by_status() -> None:
    assert seats_held("offered", True, False) == 2  # the guest's seat is kept until the answer
    assert seats_held("offered", False, False) == 1
    assert seats_held("accepted", True, False) == 1
    assert seats_held("accepted", True, True) == 2
    for status in ("queued", "declined", "expired", "withdrawn"):
        assert seats_held(status, True, True) == 0


def test_reply_by_never_passes_the_show() -> None:
    show = T0 + timedelta(hours=10)
    assert reply_by(T0, 72, show) == show
    assert reply_by(T0, 2, show) == T0 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("status", "answer", "refusal"),
    [
        ("offered", "accept", None), ("accepted", "accept", "same"), ("queued", "accept", "queued"),
        ("declined", "accept", "declined"), ("expired", "accept", "expired"), ("withdrawn", "accept", "withdrawn"),
        ("offered", "decline", None), ("queued", "decline", None), ("accepted", "decline", None),
        ("declined", "decline", "same"), ("expired", "decline", "expired"), ("withdrawn", "decline", "withdrawn"),
    ],
)
def test_which_answers_an_invitation_takes(status: str, answer: str, refusal: str | None) -> None:
    assert answer_refusal(status, answer) == refusal


def test_reply_by_is_shown_on_the_shows_clock() -> None:
    assert local_iso(T0, "Europe/Paris") == "2027-02-20T10:00:00+01:00"
    assert local_iso(None, "Europe/Paris") is None
