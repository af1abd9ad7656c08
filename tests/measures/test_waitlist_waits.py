"""How long the waitlist took to move, per event and per kind: the median and the longest wait
from joining the waitlist to promotion, counted by the database over hand-built RSVPs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checkin.measures.event_figures import event_figures, events_figures, kind_figures
from checkin.measures.rules import Period
from events.tables import EventKind, EventStatus
from tests.measures.builders import at, event, member, rsvp

LATE = timedelta(hours=48)
DECEMBER = Period(date(2026, 12, 1), date(2026, 12, 31), "UTC")
HOUR = 3600


async def _promoted(event_id: int, *waits_h: float) -> None:
    """Members who joined the waitlist on 1 December at 10:00 and were promoted `waits_h` later."""
    for wait in waits_h:
        m = await member()
        joined = at(1, 10)
        await rsvp(event_id, m, created=joined, waitlisted=joined, promoted=joined + timedelta(hours=wait))


async def test_the_median_and_longest_wait_per_event_and_per_kind() -> None:
    # Salon A: waits of 1, 2 and 6 hours (median 2, longest 6); one member still waiting and one
    # confirmed at once are no wait. Salon B: waits of 4 and 8 hours (median 6, the mean of the two).
    # Salon C, cancelled by the club, had a wait of 20 hours: its own, in no kind's figures.
    # The salons' waits together: 1, 2, 4, 6, 8 (median 4, longest 8). The trip: nobody waited.
    a = await event(at(10, 18), title="Salon A")
    await _promoted(a, 1, 2, 6)
    await rsvp(a, await member(), created=at(2, 9), waitlisted=at(2, 9))
    await rsvp(a, await member(), created=at(2, 9), confirmed=at(2, 9))
    b = await event(at(11, 18), title="Salon B")
    await _promoted(b, 8, 4)
    c = await event(at(12, 18), title="Salon C", status=EventStatus.cancelled)
    await _promoted(c, 20)
    trip = await event(at(13, 8), kind=EventKind.trip, title="Trip")
    await rsvp(trip, await member(), created=at(2, 9), confirmed=at(2, 9))

    figures = {f.event_id: f for f in await events_figures(DECEMBER, LATE)}
    assert (figures[a].promoted, figures[a].median_promotion_wait_s, figures[a].max_promotion_wait_s) == (3, 2 * HOUR, 6 * HOUR)
    assert figures[a].mean_promotion_wait_s == pytest.approx(3 * HOUR)
    assert (figures[b].median_promotion_wait_s, figures[b].max_promotion_wait_s) == (6 * HOUR, 8 * HOUR)
    assert (figures[c].median_promotion_wait_s, figures[c].max_promotion_wait_s) == (20 * HOUR, 20 * HOUR)
    assert (figures[trip].median_promotion_wait_s, figures[trip].max_promotion_wait_s) == (None, None)
    one = await event_figures(b, LATE)
    assert (one.median_promotion_wait_s, one.max_promotion_wait_s) == (6 * HOUR, 8 * HOUR)

    kinds = {k.kind: k for k in await kind_figures(DECEMBER, LATE)}
    salon = kinds[EventKind.salon]
    assert (salon.promoted, salon.median_promotion_wait_s, salon.max_promotion_wait_s) == (5, 4 * HOUR, 8 * HOUR)
    assert salon.mean_promotion_wait_s == pytest.approx(21 / 5 * HOUR)
    assert (kinds[EventKind.trip].median_promotion_wait_s, kinds[EventKind.trip].max_promotion_wait_s) == (None, None)


async def test_an_even_number_of_waits_and_seconds() -> None:
    # Waits of 10 s, 30 s, 50 s and 90 s: the median is the mean of 30 and 50.
    a = await event(at(10, 18))
    for seconds in (90, 10, 50, 30):
        joined = at(1, 10)
        await rsvp(a, await member(), created=joined, waitlisted=joined, promoted=joined + timedelta(seconds=seconds))
    one = await event_figures(a, LATE)
    assert (one.median_promotion_wait_s, one.max_promotion_wait_s) == (40, 90)
