"""December 2026 at a club, built by hand (tests/measures/builders.py), with every figure the
measures must find in it written beside the rows that make it.

Salon A (capacity 10, 10 December 18:00 UTC), 12 RSVPs:
- m1..m10 confirmed on 1 December; m9 cancels at 08:00 on the day (10 h before: late), and m11,
  waiting since 05:00, is promoted at once (3 h on the waitlist); m10 cancels at 17:00 (late), with
  nobody waiting: the seat stays free. m12 waited from 2 December and left on 4 December (not late).
- The door: m1..m7 admitted (m3 also has an earlier admission that was undone; m7 was recorded as
  a no-show, then admitted by hand); m8 never came; m11 was admitted and undone, so a no-show.
  → 12 RSVPs, 9 confirmed (9 seats, fill 0.9), 2 joined the waitlist, 1 promoted after 3 h, 0 still
  waiting, 3 cancelled by members, 2 late, 7 checked in, 2 no-shows.
Salon B (capacity 20, 15 December): no RSVP at all → fill 0.0, no door rates.
Salon C (capacity 8, 12 December), cancelled by the club on 11 December with its 3 RSVPs: the
  club's cancellations are not the members' (0 cancelled, 0 late), and no fill rate.
Trip D (capacity 4, 5 December 08:00): m1 admitted at two meeting points (came once), m2 never
  came; m3 cancelled exactly 48 h before (late: the threshold is inside), m4 48 h and a second
  before (not late). → 4 RSVPs, 2 confirmed, fill 0.5, 2 cancelled, 1 late, 1 in, 1 no-show.
Draft E (12 December) is no event yet; salon F (30 November, m1 admitted) is November's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from club.tables import PointsReason
from events.tables import EventKind, EventStatus
from tests.measures.builders import admit, at, event, member, miss, points, rsvp


@dataclass(frozen=True)
class December:
    salon_a: int
    salon_b: int
    salon_c: int
    trip_d: int
    draft_e: int
    salon_f: int
    m: dict[int, int]  # m[1] .. m[12]: member ids


async def build_december() -> December:
    m = {n: await member(f"Member {n}", tier="Gold" if n == 1 else "Silver") for n in range(1, 13)}
    a = await event(at(10, 18), capacity=10, title="Salon A")
    r: dict[int, int] = {}
    for n in range(1, 9):
        r[n] = await rsvp(a, m[n], created=at(1, 10), confirmed=at(1, 10))
    r[9] = await rsvp(a, m[9], created=at(1, 10), confirmed=at(1, 10), cancelled=at(10, 8))
    r[10] = await rsvp(a, m[10], created=at(1, 10), confirmed=at(1, 10), cancelled=at(10, 17))
    r[11] = await rsvp(a, m[11], created=at(10, 5), waitlisted=at(10, 5), promoted=at(10, 8))
    r[12] = await rsvp(a, m[12], created=at(2, 10), waitlisted=at(2, 10), cancelled=at(4, 10))
    for n in range(1, 8):
        await admit(a, r[n], m[n], at(10, 18, 5))
    await admit(a, r[3], m[3], at(10, 17, 40), reverted=True)
    await miss(a, r[7], m[7], at(10, 21))
    await miss(a, r[8], m[8], at(10, 21))
    await admit(a, r[11], m[11], at(10, 18, 10), reverted=True)
    await miss(a, r[11], m[11], at(10, 21))

    b = await event(at(15, 18), capacity=20, title="Salon B")

    c = await event(at(12, 18), capacity=8, status=EventStatus.cancelled, title="Salon C")
    for n in (1, 2, 3):
        await rsvp(c, m[n], created=at(2, 9), confirmed=at(2, 9), cancelled=at(11, 12), cancelled_by="club")

    d = await event(at(5, 8), capacity=4, kind=EventKind.trip, title="Trip D")
    d1 = await rsvp(d, m[1], created=at(1, 9), confirmed=at(1, 9))
    d2 = await rsvp(d, m[2], created=at(1, 9), confirmed=at(1, 9))
    await rsvp(d, m[3], created=at(1, 9), confirmed=at(1, 9), cancelled=at(5, 8) - timedelta(hours=48))
    await rsvp(d, m[4], created=at(1, 9), confirmed=at(1, 9), cancelled=at(5, 8) - timedelta(hours=48, seconds=1))
    await admit(d, d1, m[1], at(5, 8), item=1)
    await admit(d, d1, m[1], at(6, 9), item=2)
    await miss(d, d2, m[2], at(7, 12))

    e = await event(at(12, 10), status=EventStatus.draft, title="Draft E")
    await rsvp(e, m[5], created=at(3, 9), confirmed=at(3, 9))

    f = await event(at(30, 18, month=11), title="Salon F")
    f1 = await rsvp(f, m[1], created=at(20, 9, month=11), confirmed=at(20, 9, month=11))
    await admit(f, f1, m[1], at(30, 18, 2, month=11))

    await points(m[1], 100, PointsReason.attendance, at(10, 18, 5))
    await points(m[1], 100, PointsReason.attendance, at(5, 8))
    await points(m[1], 500, PointsReason.referral, at(6, 9))
    await points(m[1], -50, PointsReason.adjustment, at(7, 9))
    return December(a, b, c, d, e, f, m)
