"""Errors on the member pages are pages: the same refusal as the API's problem, in words on the
page's shell, with a way back; a page that needs a signed-in member sends the browser to sign in.

club.errors builds every error answer; for a page request it hands the answer here
(`club.errors.provide_page_answer`), so no page ever shows a problem's JSON.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.response import Redirect

from club.web.templates import page
from club.web.urls import SIGN_IN

__all__ = ["is_page_request", "page_answer", "safe_next"]

PAGE_OPT = "page"


def is_page_request(request: Request[Any, Any, Any]) -> bool:
    """A request of a member page: its route says so, or (no route matched) a browser asked for
    a page outside the API."""
    handler = request.scope.get("route_handler")
    opt = getattr(handler, "opt", None) or {}
    if opt:
        return bool(opt.get(PAGE_OPT))
    path = request.url.path
    return not path.startswith(("/api/", "/schema")) and "text/html" in request.headers.get("accept", "")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "") if not parts.netloc else "/"


def page_answer(request: Request[Any, Any, Any], status: int, title: str, detail: str, headers: dict[str, str]) -> Response[Any]:
    """The page for an error (`title` and `detail` already in the reader's language)."""
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"{SIGN_IN}?next={quote(safe_next(target), safe='/')}", status_code=303)
    referer = request.headers.get("referer", "")
    back = safe_next(urlsplit(referer).path) if referer and urlsplit(referer).netloc == request.url.netloc else None
    response = page(request, "club/error.html", status_code=status, title=title, detail=detail, back=back)
    response.headers.update({k: v for k, v in headers.items() if k.lower() not in ("content-language", "www-authenticate")})
    return response
