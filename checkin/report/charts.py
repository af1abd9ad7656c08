"""The report's charts, drawn by reportlab's graphics: attendance over the twelve months (a line
per kind), the month's fill rate per kind, members by activity per tier (stacked) and the
year's mean score per quarter and kind. Each is a Drawing: the page writes it as inline SVG
(renderSVG), the PDF draws it natively, so both show the same chart.

Chinese labels are set in reportlab's built-in CID fonts (STSong-Light, MSung-Light), which
need no font file; the page's style sheet sets its own font stack over them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from checkin.measures.console_pages import SEGMENT_LABELS
from checkin.report.rows import MonthlyReport
from checkin.report.tables import kinds_in, short_month_label
from club.i18n.catalogs import gettext
from club.i18n.languages import Language

__all__ = ["Chart", "font_of", "report_charts", "svg_of"]

# The chart's own fonts: a CID font for Chinese, Helvetica (one of PDF's standard fonts) for English.
_FONTS = {Language.zh_hans: "STSong-Light", Language.zh_hant: "MSung-Light", Language.en: "Helvetica"}
# Ink and the club's accent first, then quiet tones: a restrained palette, as the pages' is.
_INK = colors.HexColor("#1a1a1a")
_GRID = colors.HexColor("#e4ded3")
_TONES = ("#5c5750", "#b8a78c", "#2f6b3a", "#7d8fa3", "#a3271f")
WIDTH, HEIGHT = 480, 220


def font_of(language: Language) -> str:
    """The chart's (and the PDF's) font for `language`, registered with reportlab once."""
    name = _FONTS[language]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of one of the report's sections (ReportTable.key), its title in the reader's language."""

    key: str
    title: str
    drawing: Drawing


def _palette(accent: str, n: int) -> list[colors.Color]:
    tones = (accent, *_TONES)
    return [colors.HexColor(tones[i % len(tones)]) for i in range(n)]


def _legend(drawing: Drawing, font: str, names: Sequence[str], tones: Sequence[colors.Color]) -> None:
    legend = Legend()
    legend.x, legend.y = 56, HEIGHT - 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 96
    legend.fontName, legend.fontSize = font, 9
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 8
    legend.colorNamePairs = list(zip(tones, names, strict=True))
    drawing.add(legend)


def _axes(chart: VerticalBarChart | HorizontalLineChart, font: str) -> None:
    chart.x, chart.y, chart.width, chart.height = 48, 36, WIDTH - 64, HEIGHT - 72
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = font, 8, _INK
        axis.strokeColor = _GRID
    chart.valueAxis.gridStrokeColor = _GRID
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.valueMin = 0


def _whole_steps(chart: VerticalBarChart | HorizontalLineChart, stacked: bool = False) -> None:
    """Counts step by whole numbers: a chart of three members has no 1.5."""
    top = max(map(sum, zip(*chart.data, strict=True))) if stacked else max(max(series) for series in chart.data)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))


def _empty(drawing: Drawing, font: str, words: str) -> Drawing:
    drawing.add(String(WIDTH / 2, HEIGHT / 2, words, fontName=font, fontSize=10, fillColor=_INK, textAnchor="middle"))
    return drawing


def _attendance(report: MonthlyReport, t: Language, font: str, accent: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    kinds = kinds_in(report)
    if not kinds:
        return _empty(drawing, font, gettext(t, "No event in these twelve months."))
    chart = HorizontalLineChart()
    _axes(chart, font)
    chart.data = [[next((k.checked_in for k in m.kinds if k.kind is kind), 0) for m in report.months] for kind in kinds]
    _whole_steps(chart)
    chart.categoryAxis.categoryNames = [short_month_label(m.first, t) for m in report.months]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    tones = _palette(accent, len(kinds))
    for i, tone in enumerate(tones):
        chart.lines[i].strokeColor, chart.lines[i].strokeWidth = tone, 2
    drawing.add(chart)
    _legend(drawing, font, [gettext(t, k.value) for k in kinds], tones)
    return drawing


def _fill(report: MonthlyReport, t: Language, font: str, accent: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    held = [k for k in report.kinds if k.fill_rate is not None]
    if not held:
        return _empty(drawing, font, gettext(t, "No event starts in this month."))
    chart = VerticalBarChart()
    _axes(chart, font)
    chart.data = [[round((k.fill_rate or 0) * 100, 1) for k in held]]
    chart.categoryAxis.categoryNames = [gettext(t, k.kind.value) for k in held]
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = 100, 25
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor, chart.bars[0].strokeColor = colors.HexColor(accent), None
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = font, 8, 7
    drawing.add(chart)
    return drawing


def _segments(report: MonthlyReport, t: Language, font: str, accent: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    tiers = report.segments.tiers
    if not tiers:
        return _empty(drawing, font, gettext(t, "No active member yet."))
    chart = VerticalBarChart()
    _axes(chart, font)
    chart.categoryAxis.style = "stacked"
    chart.data = [[tier.segments[i].members for tier in tiers] for i in range(len(SEGMENT_LABELS))]
    _whole_steps(chart, stacked=True)
    chart.categoryAxis.categoryNames = [gettext(t, tier.tier_name) if tier.tier_name else gettext(t, "No tier yet") for tier in tiers]
    tones = _palette(accent, len(SEGMENT_LABELS))
    for i, tone in enumerate(tones):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = tone, None
    drawing.add(chart)
    _legend(drawing, font, [gettext(t, label) for label in SEGMENT_LABELS.values()], tones)
    return drawing


def _satisfaction(report: MonthlyReport, t: Language, font: str, accent: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    quarters = report.satisfaction.quarters
    kinds = [kind for kind in kinds_in(report) if any(k.kind is kind for q in quarters for k in q.kinds)]
    if not kinds:
        return _empty(drawing, font, gettext(t, "No survey answer this year yet."))
    chart = VerticalBarChart()
    _axes(chart, font)
    chart.data = [[next((k.mean_score or 0 for k in q.kinds if k.kind is kind), 0) for q in quarters] for kind in kinds]
    chart.categoryAxis.categoryNames = [gettext(t, "Q{n}", n=q.quarter) for q in quarters]
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = 10, 2
    tones = _palette(accent, len(kinds))
    for i, tone in enumerate(tones):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = tone, None
    drawing.add(chart)
    _legend(drawing, font, [gettext(t, k.value) for k in kinds], tones)
    return drawing


def report_charts(report: MonthlyReport, language: Language, accent: str) -> dict[str, Chart]:
    """The charts by the key of the section they illustrate (the headline has none)."""
    font = font_of(language)
    drawn = {
        "attendance": (_attendance, "Checked in per month, by kind of event"),
        "fill": (_fill, "Fill rate by kind of event"),
        "segments": (_segments, "Members by activity per tier"),
        "satisfaction": (_satisfaction, "Mean score per quarter, by kind of event"),
    }
    return {key: Chart(key, gettext(language, title), draw(report, language, font, accent))
            for key, (draw, title) in drawn.items()}


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def svg_of(chart: Chart) -> str:
    """The chart as an <svg> element to set inline in a page: no XML prolog, the chart's title as
    its accessible name, and its clip path named for it (several charts share one page)."""
    svg = renderSVG.drawToString(chart.drawing, svgAttrs={"role": "img", "aria-label": chart.title})
    svg = _PROLOG.sub("", svg, count=1)
    svg = svg.replace("<title>...</title>", f"<title>{escape(chart.title)}</title>", 1).replace("<desc>...</desc>", "", 1)
    svg = svg.replace('id="group"', f'id="chart-{chart.key}"', 1)
    return svg.replace('id="clip"', f'id="clip-{chart.key}"').replace("url(#clip)", f"url(#clip-{chart.key})")
