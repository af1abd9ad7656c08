"""The answers summed by the database: per event, per kind and per quarter, one statement each.

Every summary is the same aggregate (COUNT, AVG of the score, the promoters and detractors
counted by CASE) grouped by different keys, so the per-event, per-kind and per-quarter figures
cannot disagree. An answer counts in the period its event starts in, on the club's clock: a
salon's answers are the salon's quarter's, whenever the members sent them.
"""

from __future__ import annotations

from typing import Any

import msgspec

from checkin.measures.dialect import fetch
from checkin.measures.rules import Period
from checkin.surveys.rows import (
    EventSatisfaction,
    EventsSatisfaction,
    KindSatisfaction,
    QuarterSatisfaction,
    SurveyFigures,
    YearSatisfaction,
)
from checkin.surveys.rules import DETRACTOR_UP_TO, PROMOTER_FROM, quarter_periods, shares_of
from club.errors import NotFound
from events.tables import Event, EventStatus

__all__ = ["event_satisfaction", "events_satisfaction", "period_satisfaction", "year_satisfaction"]

_FIGURES = f"""COUNT(*) AS answers, AVG(a.score) AS mean_score,
  SUM(CASE WHEN a.score >= {PROMOTER_FROM} THEN 1 ELSE 0 END) AS promoters,
  SUM(CASE WHEN a.score <= {DETRACTOR_UP_TO} THEN 1 ELSE 0 END) AS detractors"""


def _sql(keys: str, where: str, group: str = "", order: str = "") -> str:
    """The aggregate over the answers of the events `where` picks (aliased e), grouped by `group`
    (by position where a key holds parameters: PostgreSQL would see two different expressions)."""
    return f"""
SELECT {keys + ", " if keys else ""}{_FIGURES}
FROM survey_answer a JOIN event e ON e.id = a.event
WHERE {where} AND e.status <> '{EventStatus.draft.value}'
{"GROUP BY " + group if group else ""}
{order}
"""


def _figures(row: dict[str, Any] | None) -> dict[str, Any]:
    """The shares of a row of counts (arithmetic on one row: the counting was the database's).
    PostgreSQL's AVG of integers is a numeric: a float here."""
    answers = int(row["answers"]) if row else 0
    promoters = int(row["promoters"] or 0) if row else 0
    detractors = int(row["detractors"] or 0) if row else 0
    shares = shares_of(answers, promoters, detractors)
    return {
        "answers": answers,
        "mean_score": float(row["mean_score"]) if row and row["mean_score"] is not None else None,
        "promoters": promoters, "passives": answers - promoters - detractors, "detractors": detractors,
        "promoter_share": shares.promoters, "passive_share": shares.passives, "detractor_share": shares.detractors,
        "net_promoter": shares.net,
    }


_EVENT_KEYS = "e.id AS event_id, e.kind, e.title, e.status, e.starts_at, e.venue_time_zone"
_EVENT_GROUP = "e.id, e.kind, e.title, e.status, e.starts_at, e.venue_time_zone"
_PERIOD = "e.starts_at >= {} AND e.starts_at < {}"


async def event_satisfaction(event_id: int) -> EventSatisfaction:
    """One event's answers (none yet: zero answers, no mean)."""
    event = await Event.select(
        Event.id.as_alias("event_id"), Event.kind, Event.title, Event.status, Event.starts_at, Event.venue_time_zone
    ).where(Event.id == event_id).first()
    if event is None:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    rows = await fetch(_sql("", "e.id = {}"), event_id)
    return msgspec.convert({**event, **_figures(rows[0] if rows else None)}, EventSatisfaction, strict=False)


async def events_satisfaction(period: Period) -> EventsSatisfaction:
    """Each event starting in the period that has answers, in the order they start."""
    rows = await fetch(_sql(_EVENT_KEYS, _PERIOD, _EVENT_GROUP, "ORDER BY e.starts_at, e.id"), period.starts, period.ends)
    events = msgspec.convert([{**r, **_figures(r)} for r in rows], list[EventSatisfaction], strict=False)
    return EventsSatisfaction(first=period.first, last=period.last, time_zone=period.zone, events=events)


async def period_satisfaction(period: Period) -> SurveyFigures:
    """The answers about every event starting in the period, summed (a month's, for its report)."""
    rows = await fetch(_sql("", _PERIOD), period.starts, period.ends)
    return msgspec.convert(_figures(rows[0] if rows else None), SurveyFigures, strict=False)


def _quarter_case() -> str:
    """The quarter an event's start falls in; its three values are the ends of Q1 to Q3."""
    return "CASE WHEN e.starts_at < {} THEN 1 WHEN e.starts_at < {} THEN 2 WHEN e.starts_at < {} THEN 3 ELSE 4 END"


async def year_satisfaction(year: int, zone: str) -> YearSatisfaction:
    """The year's answers per quarter, all kinds together and per kind, and the year's total:
    two statements (per quarter and kind, per quarter) and a third for the year."""
    quarters = quarter_periods(year, zone)
    ends = [q.ends for q in quarters[:3]]
    span = (quarters[0].starts, quarters[-1].ends)
    case = _quarter_case()
    by_kind = await fetch(_sql(f"{case} AS quarter, e.kind", _PERIOD, "1, 2", "ORDER BY 1, 2"), *ends, *span)
    by_quarter = await fetch(_sql(f"{case} AS quarter", _PERIOD, "1"), *ends, *span)
    total = await fetch(_sql("", _PERIOD), *span)
    kinds: dict[int, list[KindSatisfaction]] = {}
    for r in by_kind:
        kinds.setdefault(int(r["quarter"]), []).append(
            msgspec.convert({"kind": r["kind"], **_figures(r)}, KindSatisfaction, strict=False)
        )
    summed = {int(r["quarter"]): r for r in by_quarter}
    return YearSatisfaction(
        year=year, time_zone=zone,
        total=msgspec.convert(_figures(total[0] if total else None), SurveyFigures, strict=False),
        quarters=[
            msgspec.convert(
                {"quarter": n, "first": q.first, "last": q.last, "kinds": kinds.get(n, []), **_figures(summed.get(n))},
                QuarterSatisfaction, strict=False,
            )
            for n, q in enumerate(quarters, start=1)
        ],
    )
