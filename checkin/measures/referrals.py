"""Referrals made and converted, per month of a period, in one statement.

A referral is made when a member joins with `referred_by` set (their `joined_on`, a day on the
club's calendar); it converts when it earns its referrer the points: the club.referrals row,
written at the referred member's first admission or at their enrolment, as the club's setting
says (REFERRAL_AWARD_ON). Per month: `made`, how many of those `converted` since, and their rate;
and `earned`, the conversions that happened in the month, whichever month the referral was made.
"""

from __future__ import annotations

from typing import Any

from checkin.measures.dialect import fetch
from checkin.measures.overview import period_out
from checkin.measures.rows import ReferralMonth, ReferralsOut
from checkin.measures.rules import Period, months_of, rate

__all__ = ["referrals_of"]


def _sql(buckets: int) -> str:
    joined = "CASE " + " ".join(f"WHEN m.joined_on < {{}} THEN {n}" for n in range(buckets - 1)) + f" ELSE {buckets - 1} END"
    earned = "CASE " + " ".join(f"WHEN r.earned_at < {{}} THEN {n}" for n in range(buckets - 1)) + f" ELSE {buckets - 1} END"
    if buckets == 1:
        joined = earned = "0"
    return f"""
SELECT x.bucket, SUM(x.made) AS made, SUM(x.converted) AS converted, SUM(x.earned) AS earned
FROM (
  SELECT {joined} AS bucket, 1 AS made, CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS converted, 0 AS earned
  FROM member m LEFT JOIN referral r ON r.member = m.id
  WHERE m.referred_by IS NOT NULL AND m.joined_on >= {{}} AND m.joined_on <= {{}}
  UNION ALL
  SELECT {earned} AS bucket, 0 AS made, 0 AS converted, 1 AS earned
  FROM referral r WHERE r.earned_at >= {{}} AND r.earned_at < {{}}
) x
GROUP BY x.bucket
"""


def _month(period: Period, found: dict[str, Any] | None) -> ReferralMonth:
    made = int(found["made"] or 0) if found else 0
    converted = int(found["converted"] or 0) if found else 0
    return ReferralMonth(first=period.first, last=period.last, made=made, converted=converted,
                         rate=rate(converted, made), earned=int(found["earned"] or 0) if found else 0)


async def referrals_of(period: Period) -> ReferralsOut:
    """Each month the period touches (cut to it), and the period's total."""
    months = months_of(period)
    # A month holds the days before the next one's first day, and the instants before its start.
    values = [*[m.first for m in months[1:]], period.first, period.last, *[m.ends for m in months[:-1]],
              period.starts, period.ends]
    rows = {int(r["bucket"]): r for r in await fetch(_sql(len(months)), *values)}
    total = {k: sum(int(r[k] or 0) for r in rows.values()) for k in ("made", "converted", "earned")}
    return ReferralsOut(
        period=period_out(period), months=[_month(m, rows.get(n)) for n, m in enumerate(months)],
        total=_month(period, total),
    )
