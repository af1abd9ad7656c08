"""The monthly report's API, for coordinators only: a month's report as data, as an .xlsx and as
a PDF (in the caller's language). `month=2026-11`, or this month on the club's clock; a bad month
is a 400 problem."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from checkin.report import urls
from checkin.report.files import PDF, month_of, report_download, report_of
from checkin.report.rows import MonthlyReport
from club.auth import coordinator_only
from club.downloads import XLSX
from club.settings import Settings

__all__ = ["REPORT_ROUTES", "ReportController"]

Month = Annotated[str | None, QueryParameter(name="month", max_length=7, description="A month on the club's clock, like 2026-11")]


class ReportController(Controller):
    tags = ["measures"]
    guards = [coordinator_only]

    @get(urls.REPORT, operation_id="monthlyReport",
         summary="A month's report: headline, twelve months' attendance, fill rate, segments, satisfaction")
    async def report(self, settings: Settings, month: Month = None) -> MonthlyReport:
        return await report_of(settings, month_of(settings, month))

    @get(urls.REPORT_XLSX, operation_id="monthlyReportXlsx", summary="A month's report as an Excel workbook",
         media_type=XLSX)
    async def xlsx(self, request: Request, settings: Settings, month: Month = None) -> Response[bytes]:
        return await report_download(request, settings, month, XLSX)

    @get(urls.REPORT_PDF, operation_id="monthlyReportPdf", summary="A month's report as a PDF, with its charts",
         media_type=PDF)
    async def pdf(self, request: Request, settings: Settings, month: Month = None) -> Response[bytes]:
        return await report_download(request, settings, month, PDF)


REPORT_ROUTES: list[Any] = [ReportController]
