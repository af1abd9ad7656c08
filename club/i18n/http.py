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

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from club.i18n.languages import Language, reader_language

__all__ = ["ContentLanguage", "request_language", "scope_language"]


def scope_language(scope: Scope) -> Language:
    """The reader's language for the request of `scope` (see the module's rule)."""
    own = getattr(scope.get("user"), "language", None)
    accept = next((value.decode("latin-1") for name, value in scope.get("headers", ()) if name == b"accept-language"), None)
    return reader_language(own, accept, scope["app"].state.settings.club_locale)


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
