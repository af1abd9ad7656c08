"""The OpenAPI document declares the errors each route really gives, in their real shape.

Every error is an RFC 9457 problem (`application/problem+json`, club.errors); Litestar would
document its own `{status_code, detail, extra}` shape, and only for 400. This walks the
registered routes once the app is built and declares, per route, the answers it can give:

- 400 for a route that takes a body or parameters, 413 for one that takes a body;
- 401 for any route behind the bearer token, 403 where a role guard stands, and 429 there too
  (failed tokens are counted per client address, club.rate_limit), as on the calendar feeds;
- 404 for a route with a path parameter; 409 for a state change; 503 busy for a state change
  (a row held too long, club.locking).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example
from litestar.routes import HTTPRoute

from club.auth import any_user
from club.errors import PROBLEM_JSON

__all__ = ["Problem", "document_errors"]

_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
# What Litestar injects itself; any other parameter of a handler is read from the request.
_INJECTED = {"request", "state", "scope", "socket", "headers", "cookies", "query", "body"}

_ANSWERS: dict[int, tuple[str, str, str]] = {
    400: ("invalid-input", "Invalid input", "The request is malformed or a value is out of its range."),
    401: ("unauthenticated", "Authentication required", "A valid bearer token is required."),
    403: ("forbidden", "Forbidden", "Your role may not do this."),
    404: ("not-found", "Not found", "It does not exist, or it is not yours to see."),
    409: ("conflict", "Conflict", "The club's state does not allow this now; the detail says why."),
    413: ("request-too-large", "Request body too large", "The body is larger than the service accepts."),
    429: ("too-many-requests", "Too many requests", "Too many attempts; Retry-After says when to try again."),
    503: ("busy", "Busy", "The club is busy with this record; please try again."),
}


class Problem(msgspec.Struct):
    """An RFC 9457 problem: `type` is stable and a client may switch on it; fields beyond these
    (a waitlist position, a tier's name) are named in the route's description."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


def _spec(status: int) -> ResponseSpec:
    slug, title, description = _ANSWERS[status]
    example = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": description}
    return ResponseSpec(
        data_container=Problem,
        generate_examples=False,
        description=description,
        media_type=PROBLEM_JSON,
        examples=[Example(summary=title, value=example)],
    )


def _answers(handler: HTTPRouteHandler, path: str, public: bool, method: str) -> set[int]:
    codes: set[int] = set()
    read = set(handler.parsed_fn_signature.parameters) - _INJECTED - set(handler.resolve_dependencies())
    if read:
        codes.add(400)
    if "data" in read:
        codes.add(413)
    if "{" in path:
        codes.add(404)
    if method in _CHANGES:
        codes |= {409, 503}
    if not public:
        codes |= {401, 429}
        # Guards come wrapped (AsyncCallable); any guard but "any signed-in user" can refuse a role.
        if any(getattr(guard, "func", guard) is not any_user for guard in handler.resolve_guards()):
            codes.add(403)
    elif "{" in path:
        codes.add(429)  # a secret in the path (a calendar feed) counts its failures too
    return codes


def document_errors(app: Litestar, public_paths: Iterable[str]) -> None:
    """Declare each route's problem answers; call once, after the app is built."""
    public = [re.compile(p) for p in public_paths]
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            is_public = any(p.search(route.path) for p in public)
            codes: set[int] = set()
            for method in handler.http_methods:
                codes |= _answers(handler, route.path, is_public, method)
            declared: dict[int, Any] = dict(handler.responses or {})
            for status in sorted(codes):
                declared.setdefault(status, _spec(status))
            handler.responses = declared
