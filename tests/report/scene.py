"""November 2026 at a club on Paris's clock, built by hand (tests/measures/builders.py), with every
figure its monthly report must hold written beside the rows that make it. The report is drawn on
5 December 2026 at 12:00 UTC; its twelve months are December 2025 to November 2026.

Members: m1 Gold, m2 m3 m4 Silver, m5 Platinum (never came).
- Salon A, 10 November 18:00 UTC, 4 seats: m1 m2 m3 confirmed, m4 confirmed and cancelled at 08:00
  on the day (late); m1 m2 admitted, m3 a no-show. Answers: m1 10, m2 6.
- Trip B, 20 November 08:00 UTC, 2 seats: m1 confirmed and admitted. Answer: m1 9.
- Salon C, 15 October 18:00 UTC, 10 seats: m2 m3 confirmed and admitted. Answer: m2 7.
- Salon D, 3 December (after the month): m4 admitted. Salon E, 10 November 2025 (before the twelve
  months): m1 admitted. Neither is in any of the report's sums; their admissions do count in the
  members' segments (Salon E's is outside the 365-day window).

November: 2 events held, 5 RSVPs, 4 of 6 seats held (66.7%), 3 checked in, 1 no-show (25%), 1
  late cancellation; salons 3/4 (75%, 2 in, 1 no-show: 33.3%), trips 1/2 (50%, 1 in, 0%).
  Answers 3, mean 25/3 = 8.3, promoters 2 and detractors 1 of 3: net +33.
Attendance: October 2026 salons 2; November salons 2 and trips 1 (3); every other month 0.
Q4 2026: 4 answers, mean 8.0, net (2-1)/4 = +25; salons 3 answers, mean 23/3 = 7.7, net 0;
  trips 1 answer, 9.0, net +100. Q1 to Q3: no answer.
Segments on 5 December (active: within 90 days and 2 visits in 365; dormant: not within 180):
  m1 active (20 Nov, 2 visits), m2 active (10 Nov, 2), m3 cooling (15 Oct, 1), m4 cooling (3 Dec, 1),
  m5 dormant. Platinum: dormant 1; Gold: active 1; Silver: active 1, cooling 2. 5 members, 2 active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from events.tables import EventKind
from tests.measures.builders import admit, event, member, miss, rsvp
from tests.surveys.helpers import answer

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class November:
    salon_a: int
    trip_b: int
    salon_c: int
    m: dict[int, int]


async def build_november() -> November:
    tiers = {1: "Gold", 2: "Silver", 3: "Silver", 4: "Silver", 5: "Platinum"}
    m = {n: await member(f"Member {n}", tier=tier) for n, tier in tiers.items()}

    a = await event(at(11, 10, 18), capacity=4, title="Salon A")
    ra = {n: await rsvp(a, m[n], created=at(11, 1, 10), confirmed=at(11, 1, 10)) for n in (1, 2, 3)}
    await rsvp(a, m[4], created=at(11, 1, 10), confirmed=at(11, 1, 10), cancelled=at(11, 10, 8))
    await admit(a, ra[1], m[1], at(11, 10, 18))
    await admit(a, ra[2], m[2], at(11, 10, 18))
    await miss(a, ra[3], m[3], at(11, 10, 21))
    await answer(a, m[1], 10)
    await answer(a, m[2], 6)

    b = await event(at(11, 20, 8), capacity=2, kind=EventKind.trip, title="Trip B")
    await admit(b, await rsvp(b, m[1], created=at(11, 2, 9), confirmed=at(11, 2, 9)), m[1], at(11, 20, 8))
    await answer(b, m[1], 9)

    c = await event(at(10, 15, 18), capacity=10, title="Salon C")
    for n in (2, 3):
        await admit(c, await rsvp(c, m[n], created=at(10, 1, 9), confirmed=at(10, 1, 9)), m[n], at(10, 15, 18))
    await answer(c, m[2], 7)

    d = await event(at(12, 3, 18), capacity=10, title="Salon D")
    await admit(d, await rsvp(d, m[4], created=at(11, 25, 9), confirmed=at(11, 25, 9)), m[4], at(12, 3, 18))
    e = await event(at(11, 10, 18, year=2025), capacity=10, title="Salon E")
    await admit(e, await rsvp(e, m[1], created=at(11, 1, 9, year=2025), confirmed=at(11, 1, 9, year=2025)), m[1],
                at(11, 10, 18, year=2025))
    return November(a, b, c, m)
