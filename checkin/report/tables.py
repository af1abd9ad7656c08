"""The report as tables in the reader's language: the one layout the page, the workbook and the
PDF all show, so the three say the same figures under the same headings.

A cell keeps its figure as a number with what it is (a count, a share, a score, a net promoter
score): the workbook writes the number, the page and the PDF write it as the language does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from babel.dates import format_skeleton

from checkin.measures.console_pages import SEGMENT_LABELS, Formats
from checkin.measures.rows import KindFigures
from checkin.report.rows import MonthlyReport
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from events.tables import EventKind

__all__ = ["Cell", "Figure", "ReportTable", "kinds_in", "month_label", "report_tables", "short_month_label"]


class Figure(Enum):
    text = "text"
    count = "count"
    share = "share"  # 0 to 1, written as a percentage
    score = "score"  # a mean score out of 10
    net = "net"  # a net promoter share, -1 to 1, written from -100 to +100


@dataclass(frozen=True, slots=True)
class Cell:
    value: str | int | float | None
    figure: Figure = Figure.count

    def text(self, fmt: Formats) -> str:
        """The cell as the reader's language writes it (a dash where there is nothing)."""
        if self.value is None:
            return "—"
        if self.figure is Figure.share:
            return fmt.percent(float(self.value))
        if self.figure is Figure.score:
            return fmt.score(float(self.value))
        if self.figure is Figure.net:
            return fmt.net(float(self.value))
        return str(self.value)

    @property
    def number(self) -> str | int | float | None:
        """The cell as a workbook holds it: a net promoter score from -100 to 100, a share as a
        fraction (the cell's format shows it as a percentage)."""
        if self.figure is Figure.net and self.value is not None:
            return round(float(self.value) * 100, 1)
        return self.value


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One section: `key` names it (the page's anchors, the chart's), `title` and `note` are in
    the reader's language, `headers` too; the first column of each row names it."""

    key: str
    title: str
    note: str
    headers: list[str]
    rows: list[list[Cell]]


def month_label(first: date, language: Language) -> str:
    """A month as a heading writes it: 2026年11月, November 2026."""
    return format_skeleton("yMMMM", first, locale=language.value)


def short_month_label(first: date, language: Language) -> str:
    """A month under a chart's axis: 2026/11 or 11/2026, as the language orders them."""
    return format_skeleton("yM", first, locale=language.value)


def kinds_in(report: MonthlyReport) -> list[EventKind]:
    """The kinds with an event in any of the twelve months, in the club's order of kinds."""
    seen = {k.kind for m in report.months for k in m.kinds} | {k.kind for k in report.kinds}
    return [k for k in EventKind if k in seen]


def _headline(report: MonthlyReport, t: Language) -> ReportTable:
    h = report.headline
    rows = [
        (N_("Events held"), Cell(h.events)), (N_("Cancelled events"), Cell(h.cancelled_events)),
        (N_("RSVPs"), Cell(h.rsvps)), (N_("Seats held"), Cell(h.seats_confirmed)),
        (N_("Seats offered"), Cell(h.capacity)), (N_("Fill rate"), Cell(h.fill_rate, Figure.share)),
        (N_("Checked in"), Cell(h.checked_in)), (N_("No-shows"), Cell(h.no_shows)),
        (N_("Share of no-shows"), Cell(h.no_show_rate, Figure.share)),
        (N_("Late cancellations"), Cell(h.late_cancellations)),
        (N_("Survey answers"), Cell(h.answers)), (N_("Mean score"), Cell(h.mean_score, Figure.score)),
        (N_("Net promoter score"), Cell(h.net_promoter, Figure.net)),
        (N_("Members"), Cell(h.members)), (N_("Active members"), Cell(h.active_members)),
    ]
    return ReportTable(
        "headline", gettext(t, "The month at a glance"),
        gettext(t, "Events starting in the month; members as of the day the report is drawn."),
        [gettext(t, "Figure"), gettext(t, "Value")],
        [[Cell(gettext(t, label), Figure.text), cell] for label, cell in rows],
    )


def _attendance(report: MonthlyReport, t: Language) -> ReportTable:
    kinds = kinds_in(report)
    rows = []
    for m in report.months:
        came = {k.kind: k.checked_in for k in m.kinds}
        rows.append([Cell(month_label(m.first, t), Figure.text), *(Cell(came.get(k, 0)) for k in kinds),
                     Cell(sum(came.values()))])
    return ReportTable(
        "attendance", gettext(t, "Attendance over twelve months"),
        gettext(t, "Members checked in at events starting in each month, by kind of event."),
        [gettext(t, "Month"), *(gettext(t, k.value) for k in kinds), gettext(t, "All kinds")], rows,
    )


def _fill(kinds: list[KindFigures], t: Language) -> ReportTable:
    return ReportTable(
        "fill", gettext(t, "Fill rate by kind of event"),
        gettext(t, "Seats held over seats offered at the month's events; cancelled events are in no sum."),
        [gettext(t, h) for h in (N_("Kind"), N_("Events"), N_("Seats held"), N_("Seats offered"), N_("Fill rate"),
                                 N_("Checked in"), N_("No-shows"), N_("Share of no-shows"))],
        [[Cell(gettext(t, k.kind.value), Figure.text), Cell(k.events), Cell(k.seats_confirmed), Cell(k.capacity),
          Cell(k.fill_rate, Figure.share), Cell(k.checked_in), Cell(k.no_shows), Cell(k.no_show_rate, Figure.share)]
         for k in kinds],
    )


def _segments(report: MonthlyReport, t: Language) -> ReportTable:
    s = report.segments
    return ReportTable(
        "segments", gettext(t, "Members by activity"),
        gettext(t, "Active: came within {active_days} days, and at least {visits} times within {window_days} days. "
                   "Dormant: never came, or not within {dormant_days} days. Cooling: in between. "
                   "Active memberships only, as of now.",
                active_days=s.active_days, visits=s.active_visits, window_days=s.window_days, dormant_days=s.dormant_days),
        [gettext(t, "Tier"), *(gettext(t, SEGMENT_LABELS[seg]) for seg in SEGMENT_LABELS), gettext(t, "Members")],
        [[Cell(gettext(t, tier.tier_name) if tier.tier_name else gettext(t, "No tier yet"), Figure.text),
          *(Cell(c.members) for c in tier.segments), Cell(tier.members)] for tier in s.tiers],
    )


def _satisfaction(report: MonthlyReport, t: Language) -> ReportTable:
    rows = []
    for q in report.satisfaction.quarters:
        name = gettext(t, "Q{n}", n=q.quarter)
        rows.append([Cell(name, Figure.text), Cell(gettext(t, "All kinds"), Figure.text), Cell(q.answers),
                     Cell(q.mean_score, Figure.score), Cell(q.net_promoter, Figure.net)])
        rows += [[Cell(name, Figure.text), Cell(gettext(t, k.kind.value), Figure.text), Cell(k.answers),
                  Cell(k.mean_score, Figure.score), Cell(k.net_promoter, Figure.net)] for k in q.kinds]
    return ReportTable(
        "satisfaction", gettext(t, "Satisfaction in {year}", year=report.satisfaction.year),
        gettext(t, "Satisfaction survey scores (0 to 10) about events starting in each quarter, by kind of event."),
        [gettext(t, h) for h in (N_("Quarter"), N_("Kind"), N_("Answers"), N_("Mean score"), N_("Net promoter score"))],
        rows,
    )


def report_tables(report: MonthlyReport, language: Language) -> list[ReportTable]:
    """The report's sections in the order it reads: the month, the year's attendance, the
    month's fill rate, the members, the satisfaction."""
    return [_headline(report, language), _attendance(report, language), _fill(report.kinds, language),
            _segments(report, language), _satisfaction(report, language)]
