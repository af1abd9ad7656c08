"""What the server makes of an offline scan, on plain values: which reading is which outcome,
which of two admissions stands, a device clock ahead of the server's, and the door list's hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checkin.rules import ScanResult
from checkin.sync_rules import SyncOutcome, door_list_available, offline_admission, scan_time, takes_the_admission

NOW = datetime(2026, 12, 11, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(("reading", "outcome"), [
    (ScanResult.admitted, SyncOutcome.admitted),
    (ScanResult.already_checked_in, SyncOutcome.duplicate),
    (ScanResult.invalid, SyncOutcome.admitted_while_revoked),  # reissued
    (ScanResult.cancelled, SyncOutcome.admitted_while_revoked),
    (ScanResult.suspended, SyncOutcome.admitted_while_revoked),
    (ScanResult.not_confirmed, SyncOutcome.admitted_while_revoked),
    (ScanResult.wrong_event, SyncOutcome.admitted_while_revoked),
    (ScanResult.not_open, SyncOutcome.admitted_outside_hours),
    (ScanResult.closed, SyncOutcome.admitted_outside_hours),
    (ScanResult.departed, SyncOutcome.admitted_outside_hours),
])
def test_an_offline_admission_is_what_the_servers_reading_makes_it(reading: ScanResult, outcome: SyncOutcome) -> None:
    assert offline_admission(reading) is outcome


def test_the_earlier_scan_takes_the_admission_and_a_tie_keeps_the_standing_one() -> None:
    assert takes_the_admission(NOW - timedelta(seconds=1), NOW)
    assert not takes_the_admission(NOW, NOW)
    assert not takes_the_admission(NOW + timedelta(minutes=3), NOW)


def test_a_device_clock_ahead_of_the_server_cannot_put_a_scan_in_the_future() -> None:
    assert scan_time(NOW + timedelta(hours=2), NOW) == NOW
    assert scan_time(NOW - timedelta(minutes=40), NOW) == NOW - timedelta(minutes=40)


def test_door_staff_get_the_list_from_a_day_before_check_in_opens_until_it_closes() -> None:
    starts, ends = NOW + timedelta(hours=27), NOW + timedelta(hours=29)  # check-in opens at NOW + 24 h
    assert door_list_available(starts, ends, NOW)
    assert not door_list_available(starts, ends, NOW - timedelta(seconds=1))
    assert door_list_available(starts, ends, ends + timedelta(minutes=30))
    assert not door_list_available(starts, ends, ends + timedelta(minutes=30, seconds=1))
