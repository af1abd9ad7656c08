"""What the door answers, decided from plain facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE, ScanFacts, ScanResult, decide_scan
from events.tables import RsvpStatus

START = datetime(2027, 3, 4, 18, 0, tzinfo=UTC)
GOOD = ScanFacts(
    scanned_at_event_id=7, ticket_event_id=7, ticket_version=2, current_ticket_version=2,
    rsvp_status=RsvpStatus.confirmed, event_cancelled=False, already_checked_in=False,
    now=START, starts_at=START, ends_at=START + timedelta(hours=3),
)


def test_a_confirmed_current_ticket_at_the_right_time_is_admitted() -> None:
    assert decide_scan(GOOD)[0] is ScanResult.admitted


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ticket_event_id": 8}, ScanResult.wrong_event),
        ({"ticket_version": 1}, ScanResult.invalid),
        ({"event_cancelled": True}, ScanResult.cancelled),
        ({"rsvp_status": RsvpStatus.cancelled}, ScanResult.cancelled),
        ({"rsvp_status": RsvpStatus.waitlisted}, ScanResult.not_confirmed),
        ({"already_checked_in": True}, ScanResult.already_checked_in),
        ({"member_suspended": True}, ScanResult.suspended),
        ({"now": START - CHECKIN_OPENS_BEFORE - timedelta(seconds=1)}, ScanResult.not_open),
        ({"now": START + timedelta(hours=3) + CHECKIN_CLOSES_AFTER + timedelta(seconds=1)}, ScanResult.closed),
    ],
)
def test_each_refusal_has_its_own_answer(change: dict, expected: ScanResult) -> None:
    result, reason = decide_scan(replace(GOOD, **change))
    assert result is expected and reason


def test_the_doors_open_exactly_at_the_opening_time() -> None:
    assert decide_scan(replace(GOOD, now=START - CHECKIN_OPENS_BEFORE))[0] is ScanResult.admitted


def test_a_cancelled_ticket_says_cancelled_even_before_doors_open() -> None:
    early = replace(GOOD, rsvp_status=RsvpStatus.cancelled, now=START - timedelta(days=2))
    assert decide_scan(early)[0] is ScanResult.cancelled


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"already_checked_in": True},
        {"rsvp_status": RsvpStatus.waitlisted},
        {"now": START - CHECKIN_OPENS_BEFORE - timedelta(days=1)},
        {"now": START + timedelta(days=1)},
        {"departs_at": START - timedelta(minutes=5)},
    ],
)
def test_a_suspended_member_is_refused_whatever_the_ticket_or_the_hour(change: dict) -> None:
    result, reason = decide_scan(replace(GOOD, member_suspended=True, **change))
    assert result is ScanResult.suspended and "suspended" in reason


def test_a_suspended_members_cancelled_or_foreign_ticket_says_so_first() -> None:
    # What is wrong with the code itself comes before who holds it.
    assert decide_scan(replace(GOOD, member_suspended=True, ticket_event_id=8))[0] is ScanResult.wrong_event
    assert decide_scan(replace(GOOD, member_suspended=True, rsvp_status=RsvpStatus.cancelled))[0] is ScanResult.cancelled
