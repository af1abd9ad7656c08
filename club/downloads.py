"""Files the API hands out (calendars, CSV, spreadsheets): one charset, a strong ETag, HEAD.

Calendar apps poll a feed every few minutes and ask with `HEAD` or `If-None-Match` whether it
changed; a 304 with no body saves the member's phone the download. The tag is a hash of the
content, so two processes give the same file the same tag and any change gives a new one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from litestar import Request, Response
from litestar.enums import HttpMethod

if TYPE_CHECKING:
    from litestar.handlers import HTTPRouteHandler

__all__ = [
    "CSV",
    "GET_AND_HEAD",
    "ICS",
    "XLSX",
    "calendar_tag",
    "entity_tag",
    "file_response",
    "get_or_head_operation",
    "tag_matches",
]

# Litestar appends "; charset=utf-8" to every text/ media type itself: naming it here doubled it.
ICS = "text/calendar"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GET_AND_HEAD = [HttpMethod.GET, HttpMethod.HEAD]

# DTSTAMP is the moment the file was written (RFC 5545): the one line that differs between two
# answers with the same entries, so the calendar's tag leaves it out.
_DTSTAMP = re.compile(rb"^DTSTAMP[;:][^\r\n]*\r?\n", re.MULTILINE)


def entity_tag(body: bytes) -> str:
    """A strong ETag: a hash of the bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def calendar_tag(ics: bytes) -> str:
    """A strong ETag for an iCalendar file: a hash of everything but its DTSTAMPs, so the same
    entries keep their tag from one poll to the next and any change to an entry gives a new one."""
    return entity_tag(_DTSTAMP.sub(b"", ics))


def tag_matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 13.1.2): `*`, or any listed tag, W/ or not."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == tag for candidate in if_none_match.split(","))


def file_response(
    request: Request[Any, Any, Any],
    body: bytes,
    media_type: str,
    *,
    tag: str | None = None,
    filename: str | None = None,
    cache_control: str | None = None,
    language: str | None = None,
) -> Response[bytes]:
    """The file with its ETag; 304 when the client holds it already; headers only for HEAD.
    `language` (a BCP 47 tag) is the Content-Language of a file written for its reader."""
    tag = tag or entity_tag(body)
    headers = {"ETag": tag}
    if language:
        headers["Content-Language"] = language
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if cache_control:
        headers["Cache-Control"] = cache_control
    if tag_matches(request.headers.get("if-none-match"), tag):
        return Response(b"", status_code=304, headers=headers)
    if request.method == HttpMethod.HEAD:
        # The GET's headers, Content-Length included, and no body (the server sends none for HEAD).
        return Response(b"", media_type=media_type, headers={**headers, "Content-Length": str(len(body))})
    return Response(body, media_type=media_type, headers=headers)


def get_or_head_operation(name: str) -> Callable[[HTTPRouteHandler, str, list[Any]], str]:
    """Operation ids for a route that answers GET and HEAD: `name`, and `name` + "Head"."""

    def operation_id(_handler: HTTPRouteHandler, method: str, _path: list[Any]) -> str:
        return name if method == HttpMethod.GET else f"{name}Head"

    return operation_id
