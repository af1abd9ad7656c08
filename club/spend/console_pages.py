"""The console's spend import (coordinators): a CSV file of receipts and refunds, read through the
same service as the API's import (club.spend.importing), and its report line by line: what
landed, what was already recorded, and what was refused and why.

The receipts and refunds themselves are the record of the import: each row keeps who recorded it
(`recorded_by`), when, and that it came by CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from club.auth import principal_of
from club.errors import InvalidInput
from club.i18n.http import request_language
from club.settings import Settings
from club.spend import urls
from club.spend.figures import rates_shown
from club.spend.importing import COLUMNS, MAX_BYTES, MAX_LINES, import_csv
from club.spend.routes import rates_of
from club.spend.schemas import ImportReportOut
from club.web.console import club_zone, console_page

__all__ = ["CONSOLE_PAGES"]


@dataclass
class ImportForm:
    file: UploadFile | None = None


def _page(request: Request[Any, Any, Any], settings: Settings, *, report: ImportReportOut | None = None,
          general: str | None = None, status_code: int = 200) -> Template:
    return console_page(
        request, "spend/console_import.html", status_code=status_code, report=report, general=general,
        columns=COLUMNS, max_lines=MAX_LINES, rates=rates_shown(rates_of(settings)), zone=club_zone(request),
    )


@get(urls.CONSOLE_IMPORT, name="console-spend")
async def import_form_page(request: Request[Any, Any, Any], settings: Settings) -> Template:
    return _page(request, settings)


@post(urls.CONSOLE_IMPORT, status_code=200, request_max_body_size=MAX_BYTES + 64 * 1024)  # a file: see routes.import_file
async def import_page(
    request: Request[Any, Any, Any], settings: Settings,
    data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:
    language = request_language(request)
    if data.file is None or not data.file.filename:
        return _page(request, settings, general=InvalidInput("Please choose a CSV file.").detail_in(language), status_code=400)
    content = await data.file.read(MAX_BYTES + 1)
    try:
        report = await import_csv(content, rates_of(settings), settings.zone, by=principal_of(request).user_id, language=language)
    except InvalidInput as refusal:
        return _page(request, settings, general=refusal.detail_in(language), status_code=400)
    return _page(request, settings, report=report)


CONSOLE_PAGES: list[Any] = [import_form_page, import_page]
