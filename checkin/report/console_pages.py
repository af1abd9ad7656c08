"""The console's monthly report: the page (the month's headline, then each section's chart,
drawn server side as inline SVG, and its table) and its .xlsx and PDF downloads.

A bad month is the page again with its problem beside the field and no figures (400); asked of
a download, it is the console's error page with the same problem (400).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import Parameter
from litestar.response import Template
from markupsafe import Markup

from checkin.measures.console_pages import Formats
from checkin.measures.rules import month_period
from checkin.report import urls
from checkin.report.charts import report_charts, svg_of
from checkin.report.files import PDF, month_of, report_download, report_of
from checkin.report.tables import month_label, report_tables
from club import clock
from club.downloads import XLSX
from club.errors import InvalidInput
from club.i18n.http import request_language
from club.settings import Settings
from club.web.console import console_page

__all__ = ["CONSOLE_PAGES"]

Month = Annotated[str, Parameter(max_length=20)]


@get(urls.CONSOLE_REPORT, name="console-report")
async def report_page(request: Request[Any, Any, Any], settings: Settings, month: Month = "") -> Template:
    language = request_language(request)
    try:
        period = month_of(settings, month)
    except InvalidInput as exc:
        zone = settings.club_time_zone
        return console_page(
            request, "report/console_report.html", status_code=400, report=None, month=month,
            error=exc.detail_in(language), this_month=month_period(clock.today(zone), zone).first.strftime("%Y-%m"),
        )
    report = await report_of(settings, period)
    charts = report_charts(report, language, settings.club_accent)
    chosen = period.first.strftime("%Y-%m")
    return console_page(
        request, "report/console_report.html", report=report, month=chosen, error=None, this_month=chosen,
        month_name=month_label(period.first, language), tables=report_tables(report, language), fmt=Formats(language),
        charts={key: (chart.title, Markup(svg_of(chart))) for key, chart in charts.items()},
        xlsx=f"{urls.CONSOLE_REPORT_XLSX}?month={chosen}", pdf=f"{urls.CONSOLE_REPORT_PDF}?month={chosen}",
    )


@get(urls.CONSOLE_REPORT_XLSX, name="console-report-xlsx")
async def report_xlsx(request: Request[Any, Any, Any], settings: Settings, month: Month = "") -> Response[bytes]:
    return await report_download(request, settings, month, XLSX)


@get(urls.CONSOLE_REPORT_PDF, name="console-report-pdf")
async def report_pdf_file(request: Request[Any, Any, Any], settings: Settings, month: Month = "") -> Response[bytes]:
    return await report_download(request, settings, month, PDF)


CONSOLE_PAGES: list[Any] = [report_page, report_xlsx, report_pdf_file]
