"""A month's report asked for by a coordinator: the month read from the query (this month when
none is given), the report gathered, and the page's charts or a file written in their language.
The console's pages and the API's routes both come here, so they answer the same month alike."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from checkin.measures.rules import MeasurePolicy, Period, period_of
from checkin.report.document import report_pdf
from checkin.report.gathering import monthly_report
from checkin.report.rows import MonthlyReport
from checkin.report.workbook import report_workbook
from club import clock
from club.downloads import XLSX, file_response
from club.i18n.http import request_language
from club.settings import Settings

__all__ = ["PDF", "month_of", "report_download", "report_of"]

PDF = "application/pdf"


def month_of(settings: Settings, month: str | None) -> Period:
    """The month asked for ("2026-11"), or this month on the club's clock; InvalidInput otherwise."""
    zone = settings.club_time_zone
    return period_of(month or None, None, None, clock.today(zone), zone)


async def report_of(settings: Settings, month: Period) -> MonthlyReport:
    return await monthly_report(month, clock.now(), MeasurePolicy.of(settings))


async def report_download(request: Request[Any, Any, Any], settings: Settings, month: str | None, media_type: str) -> Response[bytes]:
    """The month's report as an .xlsx or a PDF, in the reader's language (their browser's, else
    the club's), named for the month."""
    period = month_of(settings, month)  # a bad month: InvalidInput, a 400 before any statement
    report = await report_of(settings, period)
    language = request_language(request)
    if media_type == XLSX:
        body, extension = report_workbook(report, language), "xlsx"
    else:
        body = report_pdf(report, language, settings.club_name, settings.club_accent, settings.club_time_zone)
        extension = "pdf"
    name = f"monthly-report-{period.first:%Y-%m}.{extension}"
    return file_response(request, body, media_type, filename=name, language=language.tag, cache_control="private, no-store")

