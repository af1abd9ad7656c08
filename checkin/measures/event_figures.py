"""Per event and per kind of event: answers, seats, the waitlist's moves, cancellations and the
door, counted by the database in one statement for a period (or one event).

The per-kind statement is the per-event one, summed: the two cannot disagree. The waits from
joining the waitlist to promotion (their median and longest) are the one figure a sum cannot
carry: the per-kind statement ranks the kind's waits itself, over the same held events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import msgspec

from checkin.measures.dialect import fetch, seconds_between
from checkin.measures.rows import EventFigures, KindFigures
from checkin.measures.rules import Period, rate
from club.errors import NotFound
from events.tables import EventStatus, RsvpStatus

__all__ = ["event_figures", "events_figures", "kind_figures", "kind_figures_by_month"]

# Counts each event row carries, in the order the per-kind statement sums them.
COUNTS = (
    "capacity", "rsvps", "confirmed", "seats_confirmed", "waitlisted", "joined_waitlist", "promoted",
    "promotion_wait_s", "cancelled", "late_cancellations", "checked_in", "no_shows",
)

_CONFIRMED = RsvpStatus.confirmed.value
_WAITLISTED = RsvpStatus.waitlisted.value
_CANCELLED = RsvpStatus.cancelled.value
# Only a member's own cancellation is theirs to measure: the club's (a cancelled event) is not.
_BY_MEMBER = f"r.status = '{_CANCELLED}' AND r.cancelled_by = 'member'"


def _waits_sql(key: str, where: str, held_only: bool) -> str:
    """The median and the longest wait from joining the waitlist to promotion per `key` (an event
    column of e), over the promoted RSVPs of the events `where` picks. Both backends rank with
    window functions: the median is the middle wait, or the mean of the two middle ones."""
    held = f" AND e.status NOT IN ('{EventStatus.cancelled.value}', '{EventStatus.draft.value}')" if held_only else ""
    wait = seconds_between("r.waitlisted_at", "r.promoted_at")
    return f"""
  SELECT w.k, MAX(w.wait) AS max_promotion_wait_s,
    AVG(CASE WHEN w.n IN ((w.c + 1) / 2, (w.c + 2) / 2) THEN w.wait END) AS median_promotion_wait_s
  FROM (
    SELECT {key} AS k, {wait} AS wait,
      ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {wait}) AS n, COUNT(*) OVER (PARTITION BY {key}) AS c
    FROM rsvp r JOIN event e ON e.id = r.event
    WHERE r.promoted_at IS NOT NULL AND r.waitlisted_at IS NOT NULL AND {where}{held}
  ) w
  GROUP BY w.k"""


def _events_sql(where: str, late: timedelta) -> str:
    """The per-event statement; `where` picks the events (aliased e) and is repeated in each part,
    so every part reads only those events' rows through their indexes."""
    late_s = int(late.total_seconds())
    return f"""
SELECT e.id AS event_id, e.kind, e.title, e.status, e.starts_at, e.venue_time_zone, e.capacity,
  COALESCE(r.rsvps, 0) AS rsvps, COALESCE(r.confirmed, 0) AS confirmed,
  COALESCE(r.seats_confirmed, 0) AS seats_confirmed, COALESCE(r.waitlisted, 0) AS waitlisted,
  COALESCE(r.joined_waitlist, 0) AS joined_waitlist, COALESCE(r.promoted, 0) AS promoted,
  COALESCE(r.promotion_wait_s, 0) AS promotion_wait_s, COALESCE(r.cancelled, 0) AS cancelled,
  COALESCE(r.late_cancellations, 0) AS late_cancellations,
  COALESCE(c.checked_in, 0) AS checked_in, COALESCE(n.no_shows, 0) AS no_shows,
  wt.median_promotion_wait_s, wt.max_promotion_wait_s
FROM event e
LEFT JOIN (
  SELECT r.event,
    COUNT(*) AS rsvps,
    SUM(CASE WHEN r.status = '{_CONFIRMED}' THEN 1 ELSE 0 END) AS confirmed,
    SUM(CASE WHEN r.status = '{_CONFIRMED}' THEN r.seats ELSE 0 END) AS seats_confirmed,
    SUM(CASE WHEN r.status = '{_WAITLISTED}' THEN 1 ELSE 0 END) AS waitlisted,
    SUM(CASE WHEN r.waitlisted_at IS NOT NULL THEN 1 ELSE 0 END) AS joined_waitlist,
    SUM(CASE WHEN r.promoted_at IS NOT NULL THEN 1 ELSE 0 END) AS promoted,
    SUM(CASE WHEN r.promoted_at IS NOT NULL THEN {seconds_between("r.waitlisted_at", "r.promoted_at")} ELSE 0 END)
      AS promotion_wait_s,
    SUM(CASE WHEN {_BY_MEMBER} THEN 1 ELSE 0 END) AS cancelled,
    SUM(CASE WHEN {_BY_MEMBER} AND {seconds_between("r.cancelled_at", "e.starts_at")} <= {late_s} THEN 1 ELSE 0 END)
      AS late_cancellations
  FROM rsvp r JOIN event e ON e.id = r.event
  WHERE {where}
  GROUP BY r.event
) r ON r.event = e.id
LEFT JOIN (
  -- A trip admits an RSVP at each meeting point: it came once.
  SELECT ci.event, COUNT(DISTINCT ci.rsvp) AS checked_in
  FROM check_in ci JOIN event e ON e.id = ci.event
  WHERE ci.reverted_at IS NULL AND {where}
  GROUP BY ci.event
) c ON c.event = e.id
LEFT JOIN (
  -- A no-show admitted by hand afterwards came after all. Asked per no-show (an index probe on
  -- check_in's rsvp), not as an anti-join: PostgreSQL estimated that join at one row and looped
  -- every event over all of it (16 s for a year of a 100,000-member club, bench/monthly_report.py).
  SELECT ns.event, SUM(CASE WHEN EXISTS (
    SELECT 1 FROM check_in ci WHERE ci.rsvp = ns.rsvp AND ci.reverted_at IS NULL
  ) THEN 0 ELSE 1 END) AS no_shows
  FROM no_show ns JOIN event e ON e.id = ns.event
  WHERE {where}
  GROUP BY ns.event
) n ON n.event = e.id
LEFT JOIN ({_waits_sql("e.id", where, held_only=False)}
) wt ON wt.k = e.id
WHERE {where} AND e.status <> '{EventStatus.draft.value}'
"""


def _kinds_sql(where: str, late: timedelta, bucket: str = "") -> str:
    """The per-kind sums; with `bucket` (an expression over f.starts_at, its parameters first in
    the statement) per bucket and kind, by position (PostgreSQL would see two expressions)."""
    held = f"f.status <> '{EventStatus.cancelled.value}'"
    sums = ",\n  ".join(f"SUM(CASE WHEN {held} THEN f.{name} ELSE 0 END) AS {name}" for name in COUNTS)
    # The kind's own waits, ranked over its held events (a part more); per bucket, none.
    waits = "NULL AS median_promotion_wait_s, NULL AS max_promotion_wait_s"
    ranked = ""
    if not bucket:
        waits = "MAX(kw.median_promotion_wait_s) AS median_promotion_wait_s, MAX(kw.max_promotion_wait_s) AS max_promotion_wait_s"
        ranked = f"LEFT JOIN ({_waits_sql('e.kind', where, held_only=True)}\n) kw ON kw.k = f.kind"
    return f"""
SELECT {bucket + " AS bucket, " if bucket else ""}f.kind, SUM(CASE WHEN {held} THEN 1 ELSE 0 END) AS events,
  SUM(CASE WHEN {held} THEN 0 ELSE 1 END) AS cancelled_events,
  {sums},
  {waits}
FROM ({_events_sql(where, late)}) f
{ranked}
GROUP BY {"1, " if bucket else ""}f.kind
ORDER BY {"1, " if bucket else ""}f.kind
"""


_PERIOD = "e.starts_at >= {} AND e.starts_at < {}"
_ONE = "e.id = {}"
_PARTS = 5  # the per-event statement names its events in five places
_KIND_PARTS = _PARTS + 1  # and the per-kind one ranks their waits once more


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    """The rates of a row of counts (arithmetic on one row: the counting was the database's)."""
    counts = {k: int(row[k]) for k in COUNTS if k != "promotion_wait_s"}
    wait = float(row["promotion_wait_s"] or 0)
    median, longest = row.get("median_promotion_wait_s"), row.get("max_promotion_wait_s")
    door = counts["checked_in"] + counts["no_shows"]
    held = row.get("status") != EventStatus.cancelled.value and counts["capacity"] > 0
    return {
        **{k: v for k, v in row.items() if k != "promotion_wait_s"},
        **counts,
        "mean_promotion_wait_s": wait / counts["promoted"] if counts["promoted"] else None,
        "median_promotion_wait_s": float(median) if median is not None else None,
        "max_promotion_wait_s": float(longest) if longest is not None else None,
        "fill_rate": counts["seats_confirmed"] / counts["capacity"] if held else None,
        "show_rate": rate(counts["checked_in"], door),
        "no_show_rate": rate(counts["no_shows"], door),
    }


async def events_figures(period: Period, late: timedelta) -> list[EventFigures]:
    """Every published or cancelled event starting in the period, in the order they start."""
    sql = _events_sql(_PERIOD, late) + "ORDER BY e.starts_at, e.id"
    rows = await fetch(sql, *[period.starts, period.ends] * _PARTS)
    return msgspec.convert([_rates(r) for r in rows], list[EventFigures], strict=False)


async def event_figures(event_id: int, late: timedelta) -> EventFigures:
    rows = await fetch(_events_sql(_ONE, late), *[event_id] * _PARTS)
    if not rows:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    return msgspec.convert(_rates(rows[0]), EventFigures, strict=False)


async def kind_figures(period: Period, late: timedelta) -> list[KindFigures]:
    """Each kind with an event starting in the period."""
    rows = await fetch(_kinds_sql(_PERIOD, late), *[period.starts, period.ends] * _KIND_PARTS)
    return msgspec.convert([_rates(r) for r in rows], list[KindFigures], strict=False)


async def kind_figures_by_month(months: Sequence[Period], late: timedelta) -> list[list[KindFigures]]:
    """kind_figures for each of consecutive `months` (in order), in one statement: the per-kind
    sums grouped by the month an event starts in too. A month with no event has an empty list."""
    ends = [m.ends for m in months[:-1]]
    bucket = "CASE " + " ".join(f"WHEN f.starts_at < {{}} THEN {n}" for n in range(len(ends))) + f" ELSE {len(ends)} END"
    span = [months[0].starts, months[-1].ends]
    rows = await fetch(_kinds_sql(_PERIOD, late, bucket if ends else "0"), *ends, *span * _PARTS)
    found: list[list[KindFigures]] = [[] for _ in months]
    for r in rows:  # the months times the kinds: a few dozen rows
        found[int(r["bucket"])].append(msgspec.convert(_rates(r), KindFigures, strict=False))
    return found
