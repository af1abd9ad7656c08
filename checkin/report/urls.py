"""Route paths of the monthly report: the console's page and files, and the API's."""

from __future__ import annotations

CONSOLE_REPORT = "/console/report"
CONSOLE_REPORT_XLSX = "/console/report.xlsx"
CONSOLE_REPORT_PDF = "/console/report.pdf"

REPORT = "/api/measures/report"
REPORT_XLSX = "/api/measures/report.xlsx"
REPORT_PDF = "/api/measures/report.pdf"
