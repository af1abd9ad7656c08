"""Referrals made and converted per month of a period, counted by the database over hand-built
members and referral rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checkin.measures.referrals import referrals_of
from checkin.measures.rules import Period
from club.tables import Referral
from tests.measures.builders import member


async def _converted(member_id: int, referrer: int, when: datetime) -> None:
    await Referral.insert(Referral(member=member_id, referrer=referrer, points=500, earned_by="first_attendance",
                                   earned_at=when, awarded_at=when))


async def test_referrals_made_and_converted_per_month() -> None:
    r = await member("Referrer")
    r1 = await member("r1", referred_by=r, joined_on=date(2026, 10, 20))
    await member("r2", referred_by=r, joined_on=date(2026, 10, 31))  # not converted
    r3 = await member("r3", referred_by=r, joined_on=date(2026, 10, 10))  # made before the period
    r4 = await member("r4", referred_by=r, joined_on=date(2026, 11, 30))
    r5 = await member("r5", referred_by=r, joined_on=date(2026, 12, 31))
    await member("r6", referred_by=r, joined_on=date(2027, 1, 1))  # after it
    await member("walked in", joined_on=date(2026, 11, 2))  # nobody's referral
    await _converted(r1, r, datetime(2026, 11, 5, tzinfo=UTC))
    await _converted(r3, r, datetime(2026, 10, 16, tzinfo=UTC))
    await _converted(r4, r, datetime(2026, 12, 1, tzinfo=UTC))
    await _converted(r5, r, datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC))

    found = await referrals_of(Period(date(2026, 10, 15), date(2026, 12, 31), "UTC"))
    months = [(m.first, m.last, m.made, m.converted, m.rate, m.earned) for m in found.months]
    assert months == [
        # October from the 15th: r1 and r2 made, r1 converted since; r3's conversion happened here.
        (date(2026, 10, 15), date(2026, 10, 31), 2, 1, 0.5, 1),
        (date(2026, 11, 1), date(2026, 11, 30), 1, 1, 1.0, 1),
        (date(2026, 12, 1), date(2026, 12, 31), 1, 1, 1.0, 2),
    ]
    t = found.total
    assert (t.made, t.converted, t.rate, t.earned) == (4, 3, 0.75, 4)
    one = await referrals_of(Period(date(2026, 11, 1), date(2026, 11, 30), "UTC"))
    assert [(m.made, m.converted, m.earned) for m in one.months] == [(1, 1, 1)]
    none = await referrals_of(Period(date(2026, 1, 1), date(2026, 1, 31), "UTC"))
    assert (none.total.made, none.total.rate) == (0, None)
