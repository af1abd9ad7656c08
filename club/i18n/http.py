"""Which language an HTTP answer is written in, and the `Content-Language` every answer carries.

The one rule, for the problem handler, the pages and the middleware alike: the signed-in
person's own language (a member's `language`), else the first language of `Accept-Language`
the club writes, else the club's (`settings.club_locale`).

Staff and coordinators have no language of their own: the door page is fetched without a bearer
token (the token stays in the page's fragment and the device's storage), so an account's language
could not choose its words, and a door phone is shared by a shift and set up in its staff's
language, which its browser sends. Their answers follow Accept-Language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from club.i18n.languages import Language, from_accept_language, language_of

__all__ = ["ContentLanguage", "request_language", "scope_language"]


@lru_cache(maxsize=256)
def _accepted(header: str) -> Language | None:
    # Every answer asks, and a browser sends the same header on every request.
    return from_accept_language(header)


@lru_cache(maxsize=64)
def _own(tag: str) -> Language | None:
    return language_of(tag)


def scope_language(scope: Scope) -> Language:
    """The reader's language for the request of `scope` (see the module's rule)."""
    own = getattr(scope.get("user"), "language", None)
    language = _own(own) if own else None
    if language is not None:
        return language
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            language = _accepted(value.decode("latin-1"))
            break
    if language is not None:
        return language
    club_default: Language = scope["app"].state.settings.club_locale
    return club_default


def request_language(connection: ASGIConnection[Any, Any, Any, Any]) -> Language:
    """The reader's language for this request: their own, else Accept-Language, else the club's."""
    return scope_language(connection.scope)


class ContentLanguage(ASGIMiddleware):
    """Names the reader's language in every answer that does not name its own."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                if "content-language" not in headers:
                    headers["Content-Language"] = scope_language(scope).tag
            await send(message)

        await next_app(scope, receive, send_with_language)
