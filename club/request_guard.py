"""Refuses, before any route runs, what no route could store: NUL characters, absurdly deep JSON,
and ids no column can hold.

One check for every route, so a new route or field cannot forget it. PostgreSQL cannot store a
NUL character in text; JSON nested a thousand deep exhausts Python's recursion while decoding;
an id above int32 (PostgreSQL) or int64 (SQLite) fails in the driver. Each would otherwise be a
500, possibly after the route had written something.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from club.bounds import INT32_MAX
from club.errors import InvalidInput, NotFound

__all__ = ["MAX_JSON_DEPTH", "RequestGuard"]

# Our deepest body (a sequence's steps) is three levels; this leaves room and stays far below
# the recursion limit of the decoders.
MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NUL = "\x00"


class RequestGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        check_path_params(scope.get("path_params") or {})
        check_query(scope.get("query_string", b""))
        if scope.get("method") in _BODY_METHODS:
            # Read once: Litestar keeps the body in the scope, so the route reads the same bytes.
            request: Request[Any, Any, Any] = Request(scope, receive)
            body = await request.body()
            if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                check_form_body(body)
            else:
                check_json_body(body)
        await next_app(scope, receive, send)


def check_path_params(params: dict[str, Any]) -> None:
    """An integer path parameter is an id: outside 1..INT32_MAX no row has it, so 404."""
    for name, value in params.items():
        if isinstance(value, int) and not 1 <= value <= INT32_MAX:
            thing = name.removesuffix("_id").replace("_", " ")
            raise NotFound("There is no {thing} {value}.", text_values={"thing": thing, "value": value})
        if isinstance(value, str) and _NUL in value:
            raise InvalidInput("The path parameter `{name}` contains a NUL character.", text_values={"name": name})


def _nul_field(encoded: bytes) -> str | None:
    """The first field of a URL-encoded text (a query, a form) holding a NUL character, or None."""
    if b"\x00" not in encoded and b"%00" not in encoded:
        return None
    if b"\x00" not in unquote_to_bytes(encoded):
        return None
    names = [k for k, v in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True) if _NUL in k + v]
    return names[0] if names else "?"


def check_query(query_string: bytes) -> None:
    name = _nul_field(query_string)
    if name is not None:
        raise InvalidInput("The query parameter `{name}` contains a NUL character.", text_values={"name": name})


def check_form_body(body: bytes) -> None:
    """A page's form (application/x-www-form-urlencoded) holds no NUL either: no column stores one."""
    name = _nul_field(body)
    if name is not None:
        raise InvalidInput("The form field `{name}` contains a NUL character.", text_values={"name": name})


def check_json_body(body: bytes) -> None:
    """No NUL in any string or key, and no nesting deeper than MAX_JSON_DEPTH.

    A body that is not JSON at all is left to the route's decoder, which answers 400 for it."""
    if not body:
        return
    try:
        value = msgspec.json.decode(body)
    except RecursionError:
        raise _too_deep() from None
    except msgspec.DecodeError:
        return
    stack: list[tuple[Any, str, int]] = [(value, "$", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(item, str):
            if _NUL in item:
                raise InvalidInput("Text may not contain a NUL character (at `{where}`).", text_values={"where": where})
        elif isinstance(item, dict):
            for key, inner in item.items():
                if _NUL in key:
                    raise InvalidInput("A field name contains a NUL character (in `{where}`).", text_values={"where": where})
                stack.append((inner, f"{where}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]", depth + 1) for i, inner in enumerate(item))


def _too_deep() -> InvalidInput:
    return InvalidInput("The JSON body is nested too deeply (at most {depth} levels).", text_values={"depth": MAX_JSON_DEPTH})
