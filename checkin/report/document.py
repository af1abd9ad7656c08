"""The report as a PDF to forward: its title and month, then each section's heading, its chart
(reportlab draws it natively) and its table, in the reader's language, set in reportlab's
built-in CID fonts for Chinese (nothing to embed, no font file to ship)."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from checkin.measures.console_pages import Formats
from checkin.report.charts import font_of, report_charts
from checkin.report.rows import MonthlyReport
from checkin.report.tables import Figure, month_label, report_tables
from club.i18n.catalogs import gettext
from club.i18n.formats import date_time_text
from club.i18n.languages import Language

__all__ = ["report_pdf"]

_LINE = colors.HexColor("#e4ded3")
_MUTED = colors.HexColor("#5c5750")


def _escaped(text: str) -> str:
    """Paragraph reads a small markup: the club's words are text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_pdf(report: MonthlyReport, language: Language, club_name: str, accent: str, zone: str) -> bytes:
    font = font_of(language)
    fmt = Formats(language)
    # CJK text breaks between any two characters: wordWrap "CJK" lets a Chinese line wrap.
    wrap = "CJK" if language is not Language.en else None
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, textColor=colors.HexColor(accent), wordWrap=wrap)
    heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=18, spaceBefore=12, spaceAfter=4, wordWrap=wrap)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, textColor=_MUTED, wordWrap=wrap)
    month = month_label(report.period.first, language)
    story: list = [
        Paragraph(_escaped(f"{club_name} · {gettext(language, 'Monthly report')}"), title),
        Paragraph(_escaped(month), heading),
        Paragraph(_escaped(gettext(language, "Drawn {when}.", when=date_time_text(report.generated_at, zone, language))), body),
    ]
    charts = report_charts(report, language, accent)
    for table in report_tables(report, language):
        rows = [table.headers, *([c.text(fmt) for c in row] for row in table.rows)]
        grid = Table(rows, repeatRows=1, hAlign="LEFT")
        style = [
            ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("TEXTCOLOR", (0, 0), (-1, 0), _MUTED), ("LINEBELOW", (0, 0), (-1, -1), 0.5, _LINE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        # Figures to the right, as the console's tables set them.
        for col in range(len(table.headers)):
            if table.rows and table.rows[0][col].figure is not Figure.text:
                style.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
        grid.setStyle(TableStyle(style))
        part: list = [Paragraph(_escaped(table.title), heading), Paragraph(_escaped(table.note), body), Spacer(1, 4)]
        chart = charts.get(table.key)
        if chart is not None:
            part.append(chart.drawing)
        story += [KeepTogether(part), grid]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"{gettext(language, 'Monthly report')} {month}", author=club_name, lang=language.tag,
    ).build(story)
    return out.getvalue()
