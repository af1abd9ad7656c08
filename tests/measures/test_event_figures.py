"""Per event and per kind, counted by the database over hand-built rows (tests/measures/scene.py
says how each figure comes about), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checkin.measures.event_figures import event_figures, events_figures, kind_figures
from checkin.measures.rules import Period
from club.errors import NotFound
from events.tables import EventKind, EventStatus
from tests.measures.scene import build_december

LATE = timedelta(hours=48)
DECEMBER = Period(date(2026, 12, 1), date(2026, 12, 31), "UTC")


def _counts(figures: object) -> dict[str, object]:
    names = ("rsvps", "confirmed", "seats_confirmed", "waitlisted", "joined_waitlist", "promoted", "cancelled",
             "late_cancellations", "checked_in", "no_shows")
    return {n: getattr(figures, n) for n in names}


async def test_each_event_of_the_month_with_its_figures() -> None:
    d = await build_december()
    figures = {f.event_id: f for f in await events_figures(DECEMBER, LATE)}
    # The draft is no event yet, and November's salon is November's; the rest in the order they start.
    assert list(figures) == [d.trip_d, d.salon_a, d.salon_c, d.salon_b]

    a = figures[d.salon_a]
    assert _counts(a) == {
        "rsvps": 12, "confirmed": 9, "seats_confirmed": 9, "waitlisted": 0, "joined_waitlist": 2, "promoted": 1,
        "cancelled": 3, "late_cancellations": 2, "checked_in": 7, "no_shows": 2,
    }
    assert (a.capacity, a.fill_rate, a.mean_promotion_wait_s) == (10, 0.9, 3 * 3600)
    assert a.show_rate == pytest.approx(7 / 9) and a.no_show_rate == pytest.approx(2 / 9)
    assert (a.title, a.kind, a.status) == ("Salon A", EventKind.salon, EventStatus.published)

    b = figures[d.salon_b]
    assert set(_counts(b).values()) == {0}
    assert (b.fill_rate, b.show_rate, b.no_show_rate, b.mean_promotion_wait_s) == (0.0, None, None, None)

    c = figures[d.salon_c]
    assert c.status is EventStatus.cancelled
    assert (c.rsvps, c.confirmed, c.cancelled, c.late_cancellations, c.fill_rate) == (3, 0, 0, 0, None)

    trip = figures[d.trip_d]
    assert _counts(trip) == {
        "rsvps": 4, "confirmed": 2, "seats_confirmed": 2, "waitlisted": 0, "joined_waitlist": 0, "promoted": 0,
        "cancelled": 2, "late_cancellations": 1, "checked_in": 1, "no_shows": 1,
    }
    assert (trip.fill_rate, trip.show_rate) == (0.5, 0.5)


async def test_the_late_window_is_the_clubs_setting() -> None:
    d = await build_december()
    # With a window of 9 hours, only m10's cancellation an hour before salon A is late; the trip's none.
    figures = {f.event_id: f for f in await events_figures(DECEMBER, timedelta(hours=9))}
    assert figures[d.salon_a].late_cancellations == 1 and figures[d.trip_d].late_cancellations == 0


async def test_each_kind_sums_its_held_events() -> None:
    await build_december()
    kinds = {k.kind: k for k in await kind_figures(DECEMBER, LATE)}
    assert list(kinds) == [EventKind.salon, EventKind.trip]
    salon = kinds[EventKind.salon]
    # A and B held, C cancelled: C's RSVPs and seats are in no sum.
    assert (salon.events, salon.cancelled_events, salon.capacity) == (2, 1, 30)
    assert _counts(salon) == {
        "rsvps": 12, "confirmed": 9, "seats_confirmed": 9, "waitlisted": 0, "joined_waitlist": 2, "promoted": 1,
        "cancelled": 3, "late_cancellations": 2, "checked_in": 7, "no_shows": 2,
    }
    assert (salon.fill_rate, salon.mean_promotion_wait_s) == (pytest.approx(0.3), 3 * 3600)
    trip = kinds[EventKind.trip]
    assert (trip.events, trip.cancelled_events, trip.capacity, trip.fill_rate, trip.no_show_rate) == (1, 0, 4, 0.5, 0.5)


async def test_one_event_and_a_month_without_events() -> None:
    d = await build_december()
    one = await event_figures(d.salon_a, LATE)
    assert (one.rsvps, one.checked_in, one.fill_rate) == (12, 7, 0.9)
    november = Period(date(2026, 11, 1), date(2026, 11, 30), "UTC")
    (f,) = await events_figures(november, LATE)
    assert (f.event_id, f.checked_in, f.show_rate) == (d.salon_f, 1, 1.0)
    empty = Period(date(2026, 10, 1), date(2026, 10, 31), "UTC")
    assert await events_figures(empty, LATE) == [] and await kind_figures(empty, LATE) == []
    with pytest.raises(NotFound):
        await event_figures(999_999, LATE)


async def test_a_period_is_read_on_the_clubs_clock() -> None:
    d = await build_december()
    # Trip D starts at 08:00 UTC on 5 December: in Shanghai that is 16:00 on the 5th, in Los Angeles
    # 00:00 on the 5th; salon F (30 November 18:00 UTC) is already 1 December in Shanghai.
    shanghai = {f.event_id for f in await events_figures(Period(date(2026, 12, 1), date(2026, 12, 4), "Asia/Shanghai"), LATE)}
    assert shanghai == {d.salon_f}
    angeles = {f.event_id for f in await events_figures(Period(date(2026, 12, 5), date(2026, 12, 5), "America/Los_Angeles"), LATE)}
    assert angeles == {d.trip_d}
