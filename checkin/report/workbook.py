"""The report as an .xlsx workbook: a sheet per section, its headers in the reader's language,
every figure a number (shares as fractions shown as percentages), so a coordinator can sum,
chart or paste it further."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from checkin.report.rows import MonthlyReport
from checkin.report.tables import Figure, month_label, report_tables
from club.i18n.catalogs import gettext
from club.i18n.languages import Language

__all__ = ["report_workbook"]

_FORMATS = {Figure.share: "0.0%", Figure.score: "0.0", Figure.net: "+0;-0;0", Figure.count: "#,##0"}
# Characters Excel refuses in a sheet's name; it holds at most 31.
_NOT_IN_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def report_workbook(report: MonthlyReport, language: Language) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    title = gettext(language, "Monthly report: {month}", month=month_label(report.period.first, language))
    for table in report_tables(report, language):
        ws = book.create_sheet(table.title.translate(_NOT_IN_NAMES)[:31])
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([c.number for c in row])
            for written, c in zip(ws[ws.max_row], row, strict=True):
                if c.figure in _FORMATS and c.value is not None:
                    written.number_format = _FORMATS[c.figure]
                elif c.figure is Figure.text:
                    written.data_type = "s"  # text, never a formula: openpyxl reads a leading "=" as one
        # The section's note and the report it belongs to, below the figures, not among them.
        ws.append([])
        ws.append([table.note])
        ws.append([title])
        for index, header in enumerate(table.headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(28, 2 * len(header) + 4))
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
