"""Reminder times and texts as pure rules: zones, daylight saving, quiet hours, late joiners.

Time is frozen by passing `now` and instants explicitly; nothing here reads the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from club.i18n.languages import Language
from events.outbox import NoticeKind
from events.reminders.rules import (
    QuietHours,
    in_quiet_hours,
    local_time_text,
    notice_text,
    parse_clock,
    plan_step,
    quiet_adjust,
    render,
    retry_delay,
    step_due,
    unknown_placeholders,
)

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours(parse_clock("21:00"), parse_clock("08:00"))


def test_the_day_before_at_18_00_is_18_00_where_the_event_happens() -> None:
    salon = datetime(2027, 4, 14, 12, 0, tzinfo=UTC)  # 14:00 in Paris, 20:00 in Shanghai
    assert step_due(salon, SHANGHAI, -1, 0, "18:00") == datetime(2027, 4, 13, 10, 0, tzinfo=UTC)
    assert step_due(salon, PARIS, -1, 0, "18:00") == datetime(2027, 4, 13, 16, 0, tzinfo=UTC)


def test_an_events_time_is_quoted_on_the_venues_clock_naming_the_city_when_the_reader_is_elsewhere() -> None:
    show = datetime(2027, 3, 2, 18, 0, tzinfo=UTC)  # 19:00 in Paris, 03:00 the next day in Shanghai
    assert local_time_text(show, PARIS, PARIS, Language.en) == "Tue, Mar 2, 2027, 19:00"
    assert local_time_text(show, PARIS, SHANGHAI, Language.en) == "Tue, Mar 2, 2027, 19:00 (Paris time)"
    assert local_time_text(show, PARIS, SHANGHAI, Language.zh_hans) == "2027年3月2日（周二）19:00（巴黎时间）"
    assert local_time_text(show, PARIS, SHANGHAI, Language.zh_hant) == "2027年3月2日（週二）19:00（巴黎時間）"
    lunch = datetime(2027, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Paris, 07:00 in New York: same day
    assert local_time_text(lunch, PARIS, ZoneInfo("America/New_York"), Language.en) == "Tue, Mar 2, 2027, 12:00 (Paris time)"
    # Lisbon and London share a clock in winter: nothing to add.
    assert local_time_text(lunch, ZoneInfo("Europe/Lisbon"), ZoneInfo("Europe/London"), Language.en) == "Tue, Mar 2, 2027, 11:00"


def test_the_day_is_the_places_calendar_day_not_utcs() -> None:
    # 01:00 on the 14th in Shanghai is still the 13th in UTC: "the day before" is the 13th there.
    early = datetime(2027, 4, 13, 17, 0, tzinfo=UTC)
    assert step_due(early, SHANGHAI, -1, 0, "18:00") == datetime(2027, 4, 13, 10, 0, tzinfo=UTC)


def test_the_day_before_keeps_its_clock_time_across_the_spring_change() -> None:
    # Paris springs forward in the night to Sunday 29 March 2026: Saturday is UTC+1, Sunday UTC+2.
    sunday_evening = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # 18:00 CEST
    day_before = step_due(sunday_evening, PARIS, -1, 0, None)
    assert day_before.astimezone(PARIS).strftime("%a %H:%M") == "Sat 18:00"
    assert sunday_evening - day_before == timedelta(hours=23)  # a short day, by the clock
    # Minutes are elapsed time: "two hours before" is two real hours, whatever the clocks do.
    assert step_due(sunday_evening, PARIS, 0, -120, None) == sunday_evening - timedelta(hours=2)


def test_the_day_before_keeps_its_clock_time_across_the_autumn_change() -> None:
    # Paris falls back in the night to Sunday 25 October 2026: Saturday is UTC+2, Sunday UTC+1.
    sunday_morning = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # 10:00 CET
    day_before = step_due(sunday_morning, PARIS, -1, 0, None)
    assert day_before.astimezone(PARIS).strftime("%a %H:%M") == "Sat 10:00"
    assert sunday_morning - day_before == timedelta(hours=25)


def test_a_clock_time_inside_the_spring_gap_moves_forward_by_the_gap() -> None:
    monday = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    due = step_due(monday, PARIS, -1, 0, "02:30")  # 02:30 does not exist on 29 March in Paris
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert due.astimezone(PARIS).strftime("%H:%M") == "03:30"


def test_quiet_hours_are_the_members_night_not_the_venues() -> None:
    instant = datetime(2027, 4, 13, 14, 0, tzinfo=UTC)  # 16:00 in Paris, 22:00 in Shanghai
    assert not in_quiet_hours(instant, PARIS, NIGHT)
    assert in_quiet_hours(instant, SHANGHAI, NIGHT)
    assert not in_quiet_hours(instant, SHANGHAI, QuietHours(parse_clock("00:00"), parse_clock("00:00")))


def test_a_message_due_at_night_is_held_to_the_morning_or_dropped_per_step() -> None:
    anchor = datetime(2027, 4, 15, 8, 0, tzinfo=UTC)
    late_evening = datetime(2027, 4, 13, 21, 30, tzinfo=UTC)  # 23:30 in Paris
    planned_at = datetime(2027, 4, 1, tzinfo=UTC)
    held = quiet_adjust(late_evening, PARIS, NIGHT, "hold", anchor, planned_at)
    assert held.due_at == datetime(2027, 4, 14, 6, 0, tzinfo=UTC)  # 08:00 in Paris
    dropped = quiet_adjust(late_evening, PARIS, NIGHT, "drop", anchor, planned_at)
    assert dropped.due_at is None and "quiet" in dropped.reason
    small_hours = datetime(2027, 4, 14, 3, 0, tzinfo=UTC)  # 05:00 in Paris: same morning
    assert quiet_adjust(small_hours, PARIS, NIGHT, "hold", anchor, planned_at).due_at == datetime(2027, 4, 14, 6, 0, tzinfo=UTC)


def test_a_held_message_whose_morning_comes_after_its_moment_goes_the_evening_before() -> None:
    # A Paris salon at 19:00 (18:00 UTC); "three hours before" is 23:00 for a member whose home
    # is Shanghai, and their morning comes after the salon: they hear at 20:30 their time.
    salon = datetime(2027, 4, 14, 17, 0, tzinfo=UTC)
    three_before = salon - timedelta(hours=3)
    planned = quiet_adjust(three_before, SHANGHAI, NIGHT, "hold", salon, datetime(2027, 4, 1, tzinfo=UTC))
    assert planned.due_at == datetime(2027, 4, 14, 12, 30, tzinfo=UTC)  # 20:30 in Shanghai
    assert not in_quiet_hours(planned.due_at, SHANGHAI, NIGHT)
    # Planned at 20:45 there (after that evening, before the night): now.
    late = datetime(2027, 4, 14, 12, 45, tzinfo=UTC)
    assert quiet_adjust(three_before, SHANGHAI, NIGHT, "hold", salon, late).due_at == late
    # Looked at once the night has begun (the member moved, a retry landed at night): dropped.
    night = datetime(2027, 4, 14, 14, 0, tzinfo=UTC)
    dropped = quiet_adjust(night, SHANGHAI, NIGHT, "hold", salon, night)
    assert dropped.due_at is None and "moment" in dropped.reason


def test_a_step_the_member_expects_at_night_is_sent_at_its_time() -> None:
    checkup = datetime(2027, 4, 14, 5, 30, tzinfo=UTC)  # 07:30 in Paris
    no_breakfast = datetime(2027, 4, 14, 4, 0, tzinfo=UTC)  # 06:00: night, but that is the point
    assert quiet_adjust(no_breakfast, PARIS, NIGHT, "send", checkup, no_breakfast).due_at == no_breakfast


def test_a_held_step_is_never_timed_into_the_night_or_before_now() -> None:
    anchor = datetime(2027, 4, 20, tzinfo=UTC)
    for zone in (PARIS, SHANGHAI, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")):
        for hour in range(24):
            due = datetime(2027, 4, 14, hour, 10, tzinfo=UTC)
            for now in (due - timedelta(hours=20), due):
                planned = quiet_adjust(due, zone, NIGHT, "hold", anchor, now)
                assert planned.due_at is not None and planned.due_at >= now, (zone, hour)
                assert not in_quiet_hours(planned.due_at, zone, NIGHT), (zone, hour)


def test_quiet_hours_follow_daylight_saving() -> None:
    # 07:30 local both days, but the UTC instant differs by the hour Paris sprang forward.
    saturday = datetime(2026, 3, 28, 6, 30, tzinfo=UTC)
    sunday = datetime(2026, 3, 29, 5, 30, tzinfo=UTC)
    anchor = datetime(2026, 4, 1, tzinfo=UTC)
    assert quiet_adjust(saturday, PARIS, NIGHT, "hold", anchor, saturday).due_at == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert quiet_adjust(sunday, PARIS, NIGHT, "hold", anchor, sunday).due_at == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_late_joiners_get_past_steps_now_only_if_the_step_says_so() -> None:
    now = datetime(2027, 4, 14, 9, 0, tzinfo=UTC)
    anchor = datetime(2027, 4, 14, 16, 0, tzinfo=UTC)
    past, future = now - timedelta(hours=20), now + timedelta(hours=3)
    assert plan_step(future, now, False, anchor).due_at == future
    assert plan_step(past, now, True, anchor).due_at == now
    skipped = plan_step(past, now, False, anchor)
    assert skipped.due_at is None and "joined after" in skipped.reason
    # Once the event has begun, a reminder before it is pointless even for late joiners.
    started = anchor + timedelta(minutes=5)
    assert plan_step(past, started, True, anchor).due_at is None


def test_templates_fill_known_placeholders_and_name_unknown_ones() -> None:
    text = render("Dear {member_name}, {event_title} at {venue}. {preparation}", {
        "member_name": "Mei", "event_title": "Check-up", "venue": "Clinic", "preparation": "No food after midnight.",
    })
    assert text == "Dear Mei, Check-up at Clinic. No food after midnight."
    assert unknown_placeholders("Hi {member_name} {member_name.__class__} {} {0} {salary}") == ["0", "salary", "{}"]
    assert unknown_placeholders("{member_name} at {local_time}") == []


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 30), (2, 120), (3, 480), (9, 3600)])
def test_retries_back_off_and_are_capped(attempts: int, seconds: int) -> None:
    assert retry_delay(attempts) == timedelta(seconds=seconds)


def test_a_show_invitation_notice_names_the_seat_and_the_reply_by_date_on_the_members_clock() -> None:
    payload = {
        "title": "Couture show", "venue": "Grand Palais", "starts_at": "2027-03-02T19:00:00+00:00",
        "category": "Front row", "reply_by": "2027-02-20T16:00:00+00:00",
    }
    subject, body = notice_text(NoticeKind.show_invited, payload, "Wei Chen", SHANGHAI, Language.en)
    assert subject == "An invitation for you: Couture show"
    assert "Front row" in body and "personal" in body
    assert "reply by Sun, Feb 21, 2027, 00:00" in body  # 16:00 UTC is past midnight there
    assert "{" not in body
    _, chinese = notice_text(NoticeKind.show_invited, payload, "Wei Chen", SHANGHAI, Language.zh_hans)
    assert chinese.startswith("尊敬的Wei Chen，") and "专属邀请函" in chinese and "请于2027年2月21日（周日）00:00前回复" in chinese
