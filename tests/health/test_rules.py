"""The pure rules of health programs, with plain values and frozen clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from events.reminders.rules import render, step_due, unknown_placeholders
from events.reminders.tables import Anchor
from events.tables import EventStatus, RsvpStatus
from health_programs.rules import (
    BookingRefusal,
    BookingStatus,
    Preparation,
    booking_key,
    booking_refusal,
    booking_status,
    concierge_steps,
    eligibility_reasons,
    move_refusal,
    preparation_text,
    reinvitation_due,
    reinvitation_text,
    slot_outside_season,
    twelve_months_after,
)

PREP = Preparation(fasting_hours=12, bring="ID card {and} glasses", avoid="alcohol")


def test_preparation_reads_as_a_script_and_braces_never_become_placeholders() -> None:
    text = preparation_text(PREP)
    assert text == "Nothing to eat for 12 hours before the appointment; water is fine. Bring: ID card (and) glasses. Avoid: alcohol."
    assert preparation_text(Preparation(0, "", "")) == "No fasting is needed."
    for step in concierge_steps(PREP):
        assert unknown_placeholders(step.template) == [], step


def test_the_morning_sms_says_not_to_eat_breakfast_only_when_fasting() -> None:
    values = {"member_name": "Mei", "local_time": "Monday at 08:30", "venue": "Clinic"}
    fasting = render(concierge_steps(PREP)[2].template, values)
    assert fasting.startswith("Good morning Mei: your check-up is today, Monday at 08:30, at Clinic; please do not eat breakfast")
    relaxed = render(concierge_steps(Preparation(0, "", ""))[2].template, values)
    assert "breakfast" not in relaxed and "no fasting is needed" in relaxed


def test_step_times_land_on_the_members_clock_across_the_paris_dst_change() -> None:
    appointment = datetime(2027, 3, 29, 6, 30, tzinfo=UTC)  # 08:30 in Paris, the day after the change
    end = appointment + timedelta(hours=1)
    steps = concierge_steps(PREP)

    def due(zone: str) -> list[str]:
        return [
            step_due(end if s.anchor == Anchor.event_end else appointment, ZoneInfo(zone), s.offset_days, 0, s.at_local_time)
            .astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M %Z")
            for s in steps
        ]

    assert due("Europe/Paris") == ["03-26 11:00 CET", "03-28 16:00 CEST", "03-29 06:30 CEST", "03-30 10:00 CEST"]
    assert due("Asia/Shanghai") == ["03-26 11:00 CST", "03-28 16:00 CST", "03-29 06:30 CST", "03-30 10:00 CST"]


def test_eligibility_by_tier_and_one_booking_a_program() -> None:
    assert eligibility_reasons([], None, []) == []
    assert eligibility_reasons({2, 3}, 3, ["Gold", "Platinum"]) == []
    assert eligibility_reasons({2, 3}, 1, ["Gold", "Platinum"]) == ["this program is for Gold, Platinum members"]
    assert booking_key(3, 7) == "3:7"  # unique: one booking a program for each member
    assert booking_refusal(None, None, 5) is None
    assert booking_refusal(BookingStatus.cancelled, 4, 5) is None
    assert booking_refusal(BookingStatus.slot_cancelled, 4, 5) is None
    assert booking_refusal(BookingStatus.confirmed, 5, 5) == BookingRefusal.same
    assert booking_refusal(BookingStatus.waitlisted, 4, 5) == BookingRefusal.already_booked
    assert booking_status(RsvpStatus.confirmed, EventStatus.cancelled) is BookingStatus.slot_cancelled
    assert booking_status(RsvpStatus.waitlisted, EventStatus.published) is BookingStatus.waitlisted


def test_move_rules() -> None:
    now = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
    start = now + timedelta(days=2)

    def why(**kw: object) -> str | None:
        args = {"current_status": BookingStatus.confirmed, "current_starts_at": start, "current_program_id": 1, "target_program_id": 1,
                "same_slot": False, "target_seats_free": 1, "now": now, "by_coordinator": False, **kw}
        refusal = move_refusal(**args)  # type: ignore[arg-type]
        return refusal[0] if refusal else None

    assert why() is None
    assert why(current_status=BookingStatus.waitlisted) is None
    assert why(current_status=BookingStatus.cancelled) == "booking-cancelled"
    assert why(current_status=BookingStatus.slot_cancelled) == "booking-cancelled"
    assert why(target_program_id=2) == "wrong-program"
    assert why(same_slot=True) == "same-slot"
    assert why(target_seats_free=0) == "slot-full"
    assert why(current_starts_at=now + timedelta(hours=24)) is None  # exactly at the cut-off
    assert why(current_starts_at=now + timedelta(hours=23, minutes=59)) == "move-too-late"
    assert why(current_starts_at=now + timedelta(hours=2), by_coordinator=True) is None
    assert why(current_starts_at=now, by_coordinator=True) == "move-too-late"


def test_season_and_the_annual_rhythm() -> None:
    assert not slot_outside_season(date(2027, 1, 1), date(2027, 1, 1), date(2027, 12, 31))
    assert slot_outside_season(date(2028, 1, 1), date(2027, 1, 1), date(2027, 12, 31))
    checkup = datetime(2027, 4, 13, 1, 30, tzinfo=UTC)
    assert twelve_months_after(checkup) == datetime(2028, 4, 13, 1, 30, tzinfo=UTC)
    assert twelve_months_after(datetime(2028, 2, 29, 9, tzinfo=UTC)) == datetime(2029, 3, 1, 9, tzinfo=UTC)
    assert not reinvitation_due(checkup, datetime(2028, 4, 13, 1, 29, tzinfo=UTC))
    assert reinvitation_due(checkup, datetime(2028, 4, 13, 1, 30, tzinfo=UTC))
    subject, body = reinvitation_text("Mei", "Shanghai United", "Annual check-up 2028")
    assert subject.endswith("Annual check-up 2028") and "Shanghai United" in body
