"""The member pages' static files (their style sheet) and the service worker, served at the root
so that its scope is the whole site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from club.web import urls
from club.web.templates import STATIC_VERSION

__all__ = ["STATIC_ROUTES"]

_STATIC = Path(__file__).resolve().parent / "static"
# The worker keeps the style sheet at the address the pages name it by (its digest), so a
# ticket kept offline shows styled; a new style sheet is a new worker, picked up at once.
_WORKER = (_STATIC / "sw.js").read_bytes().replace(b"{STATIC_VERSION}", STATIC_VERSION.encode())


@get(urls.SERVICE_WORKER, include_in_schema=False, name="service-worker")
async def service_worker() -> Response[bytes]:
    # Never cached by the browser: a new worker is picked up on the next visit.
    return Response(
        _WORKER, media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


STATIC_ROUTES: list[Any] = [
    service_worker,
    # Named with ?v=STATIC_VERSION by the pages, so a phone may keep them for a day.
    create_static_files_router(
        path=urls.STATIC, directories=[_STATIC], include_in_schema=False,
        cache_control=CacheControlHeader(max_age=86400, public=True),
    ),
]
