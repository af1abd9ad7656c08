"""Domain errors, and their one mapping to RFC 9457 problem-details responses.

Services raise the domain errors; routes never build error responses themselves. Each error
has a stable `type` (a path under /problems/) a client can switch on, and a human `detail`.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "exception_handlers",
    "problem",
]

log = logging.getLogger("club.errors")

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status_code = 409
    slug = "conflict"
    title = "Conflict"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def headers(self) -> dict[str, str]:
        """Response headers the answer carries (Retry-After for a busy one)."""
        return {}


class InvalidInput(DomainError):
    status_code = 400
    slug = "invalid-input"
    title = "Invalid input"


class NotFound(DomainError):
    status_code = 404
    slug = "not-found"
    title = "Not found"


class Forbidden(DomainError):
    status_code = 403
    slug = "forbidden"
    title = "Forbidden"


class Conflict(DomainError):
    pass


_HTTP_SLUGS = {
    400: ("validation-error", "Invalid request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("request-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
}


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request: Request[Any, Any, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return problem(exc.status_code, exc.slug, exc.title, exc.detail, request, headers=exc.headers() or None, **exc.extra)


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "Request failed"))
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException) and exc.extra:
        # Litestar lists the failing fields; keep only what locates the problem, never values.
        extra["errors"] = [
            {"key": e.get("key"), "message": e.get("message"), "source": e.get("source")}
            for e in exc.extra
            if isinstance(e, dict)
        ] or None
    headers = dict(exc.headers or {})
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", "Bearer")
    return problem(exc.status_code, slug, title, exc.detail, request, headers=headers, **extra)


def _integrity_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # A unique key caught a duplicate the service did not check for: still the client's conflict.
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return problem(409, "conflict", "Conflict", "This conflicts with an existing record.", request)


def _lock_wait_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # A plain statement that waited on a row lock past the transaction's lock_timeout: the
    # same busy answer as club.locking gives, and the transaction has rolled back.
    log.warning("lock wait timed out on %s %s", request.method, request.url.path)
    return problem(503, "busy", "Busy", "The club is busy with this record; please try again.", request,
                   headers={"Retry-After": "1"})


def _unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500, "internal-error", "Internal error", "Something went wrong on our side.", request
    )


def exception_handlers() -> dict[type[Exception] | int, Any]:
    import asyncpg

    return {
        DomainError: _domain_error,
        HTTPException: _http_error,
        sqlite3.IntegrityError: _integrity_error,
        asyncpg.IntegrityConstraintViolationError: _integrity_error,
        asyncpg.LockNotAvailableError: _lock_wait_error,
        Exception: _unexpected_error,
    }

