"""How many members answered the satisfaction survey they were sent: per event, per kind and per
quarter, in two statements.

Per event: `attended`, the members with a standing admission; `sent`, those of them a survey step
(a reminder step carrying {survey_link}, events.reminders.surveys) was sent to, by any channel,
once each; `answered`, those of them who answered (checkin.surveys, one answer per member per
event); the response rate is answered over sent. The kinds and quarters sum the events' counts
(events starting in them on the club's clock, as the satisfaction's own summaries count), so
the three cannot disagree. A draft or a cancelled event sends no survey and is in none.
"""

from __future__ import annotations

from typing import Any

import msgspec

from checkin.measures.dialect import fetch
from checkin.measures.rows import (
    EventResponses,
    KindResponses,
    QuarterResponses,
    ResponseFigures,
    YearResponses,
)
from checkin.measures.rules import Period, rate
from checkin.surveys.rules import quarter_periods
from events.reminders.surveys import SURVEY_PLACEHOLDER
from events.reminders.tables import ScheduleStatus
from events.tables import EventStatus

__all__ = ["events_responses", "year_responses"]

# The step's texts in any language: its template, its subject, its texts per language (JSON).
_IS_SURVEY = "(st.template LIKE {} OR st.subject LIKE {} OR CAST(st.texts AS TEXT) LIKE {})"
_PATTERN = f"%{SURVEY_PLACEHOLDER}%"
_WHERE = f"e.starts_at >= {{}} AND e.starts_at < {{}} AND e.status = '{EventStatus.published.value}'"
_STANDING = "EXISTS (SELECT 1 FROM check_in ci WHERE ci.event = {event} AND ci.member = {member} AND ci.reverted_at IS NULL)"

_EVENTS_SQL = f"""
SELECT e.id AS event_id, e.kind, e.title, e.starts_at, e.venue_time_zone,
  (SELECT COUNT(DISTINCT ci.member) FROM check_in ci WHERE ci.event = e.id AND ci.reverted_at IS NULL) AS attended,
  COALESCE(s.sent, 0) AS sent, COALESCE(s.answered, 0) AS answered
FROM event e
JOIN (
  SELECT x.event, COUNT(*) AS sent,
    SUM(CASE WHEN EXISTS (SELECT 1 FROM survey_answer a WHERE a.event = x.event AND a.member = x.member)
      THEN 1 ELSE 0 END) AS answered
  FROM (
    SELECT DISTINCT sr.event, sr.member
    FROM scheduled_reminder sr
    JOIN reminder_step st ON st.id = sr.step
    JOIN event e ON e.id = sr.event
    WHERE sr.status = '{ScheduleStatus.sent.value}' AND {_IS_SURVEY} AND {_WHERE}
      AND {_STANDING.format(event="sr.event", member="sr.member")}
  ) x
  GROUP BY x.event
) s ON s.event = e.id
WHERE {_WHERE}
"""

_PARAMS = 5  # the pattern three times, the period twice, in the part that finds the sends


def _figures(row: dict[str, Any] | None) -> dict[str, Any]:
    counts = {k: int(row[k] or 0) if row else 0 for k in ("attended", "sent", "answered")}
    return {**counts, "response_rate": rate(counts["answered"], counts["sent"])}


async def events_responses(period: Period) -> list[EventResponses]:
    """Each published event starting in the period that sent a survey, in the order they start."""
    sql = _EVENTS_SQL + "ORDER BY e.starts_at, e.id"
    rows = await fetch(sql, *[_PATTERN] * 3, period.starts, period.ends, period.starts, period.ends)
    return msgspec.convert([{**r, **_figures(r)} for r in rows], list[EventResponses], strict=False)


async def year_responses(year: int, zone: str) -> YearResponses:
    """The year's response rates per quarter, all kinds together and per kind, and the year's:
    one statement, the events' counts summed per quarter and kind."""
    quarters = quarter_periods(year, zone)
    case = "CASE WHEN f.starts_at < {} THEN 1 WHEN f.starts_at < {} THEN 2 WHEN f.starts_at < {} THEN 3 ELSE 4 END"
    sql = f"""
SELECT {case} AS quarter, f.kind, SUM(f.attended) AS attended, SUM(f.sent) AS sent, SUM(f.answered) AS answered
FROM ({_EVENTS_SQL}) f
GROUP BY 1, 2
ORDER BY 1, 2
"""
    span = (quarters[0].starts, quarters[-1].ends)
    rows = await fetch(sql, *[q.ends for q in quarters[:3]], *[_PATTERN] * 3, *span, *span)
    kinds: dict[int, list[KindResponses]] = {}
    for r in rows:  # the quarters times the kinds: a few rows
        kinds.setdefault(int(r["quarter"]), []).append(
            msgspec.convert({"kind": r["kind"], **_figures(r)}, KindResponses, strict=False))

    def summed(found: list[KindResponses]) -> dict[str, Any]:
        return _figures({k: sum(getattr(x, k) for x in found) for k in ("attended", "sent", "answered")})

    every = [k for found in kinds.values() for k in found]
    return YearResponses(
        year=year, time_zone=zone, total=msgspec.convert(summed(every), ResponseFigures),
        quarters=[
            msgspec.convert({"quarter": n, "first": q.first, "last": q.last, "kinds": kinds.get(n, []),
                             **summed(kinds.get(n, []))}, QuarterResponses)
            for n, q in enumerate(quarters, start=1)
        ],
    )
