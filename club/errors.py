"""Domain errors, and their one mapping to RFC 9457 problem-details responses.

Services raise the domain errors; routes never build error responses themselves. Each error
has a stable `type` (a path under /problems/) a client can switch on, and a human `detail`.
A detail is an English catalog text with `{placeholders}`, raised with their values as keyword
arguments (`NotFound("Event {event_id} does not exist.", event_id=event_id)`); the answer
translates `title` and `detail` into the reader's language (club.i18n.http) and fills them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException

from club.i18n.catalogs import N_, gettext, translations
from club.i18n.http import request_language
from club.i18n.languages import Language

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Said",
    "SaidList",
    "exception_handlers",
    "problem",
    "provide_page_answer",
    "said_text",
]

log = logging.getLogger("club.errors")

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """`detail` is a catalog text whose `{placeholders}` are filled from `extra` (each also a
    member of the problem body) and from `text_values` (for the text only: words a client has
    no use for, or values the body already names otherwise)."""

    status_code = 409
    slug = "conflict"
    title = "Conflict"

    def __init__(self, detail: str, **extra: Any) -> None:
        # `text_values` rides in **extra so subclasses that pass **extra on keep their signatures.
        text_values: Mapping[str, Any] = extra.pop("text_values", None) or {}
        self.template = detail
        self.values = {**extra, **text_values}
        self.detail = _filled(detail, detail, self.values)
        super().__init__(self.detail)
        self.extra = extra

    def detail_in(self, language: Language) -> str:
        """The detail in `language`, its placeholders filled."""
        return _filled(translations(language).gettext(self.template), self.detail, self.values, language)

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


class Said(NamedTuple):
    """A catalog text with its values, inside another (a reason in a refusal): translated, as
    its values are, in the language the answer is written in."""

    message: str
    values: Mapping[str, Any] = {}


class SaidList(NamedTuple):
    """Texts said one after the other ("Gold and above; by invitation"), joined as `language` joins them;
    `sentence`: the first letter upper-cased, as a detail made of them begins (a no-op in Chinese)."""

    items: Sequence[Said]
    sentence: bool = False
    joint: str = "; "  # a catalog text: "; " is "；" in Chinese, ", " is "、"


def _said(language: Language, value: Any) -> Any:
    if isinstance(value, Said):
        return gettext(language, value.message, **{k: _said(language, v) for k, v in value.values.items()})
    if isinstance(value, SaidList):
        text = gettext(language, value.joint).join(_said(language, item) for item in value.items)
        return text[:1].upper() + text[1:] if value.sentence else text
    return value


def said_text(language: Language, said: Said | SaidList) -> str:
    """A text said (with its values) in `language`: in English, what a client reads in an extension member."""
    return str(_said(language, said))


def _filled(text: str, fallback: str, values: Mapping[str, Any], language: Language = Language.en) -> str:
    if not values:
        return text
    try:
        return text.format(**{name: _said(language, value) for name, value in values.items()})
    except (KeyError, IndexError, ValueError):
        # A detail built before this mechanism (an f-string holding a brace) is shown as it is.
        return fallback


_HTTP_SLUGS = {
    400: ("validation-error", N_("Invalid request")),
    401: ("unauthenticated", N_("Authentication required")),
    403: ("forbidden", N_("Forbidden")),
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    409: ("conflict", N_("Conflict")),
    413: ("request-too-large", N_("Request body too large")),
    415: ("unsupported-media-type", N_("Unsupported media type")),
    429: ("too-many-requests", N_("Too many requests")),
}
# What a reader of another language than English is told of Litestar's own refusals, whose
# details are English technical texts (kept after it for a validation error: it names the field).
_HTTP_LEAD_INS = {
    400: N_("The request could not be read; please check what was sent."),
    401: N_("Please sign in: this needs a valid access token."),
    403: N_("Your account is not allowed to do this."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept this kind of request."),
    413: N_("The request is too large; please send less at once."),
    415: N_("This kind of content is not accepted; please send JSON."),
    429: N_("Too many requests at once; please try again in {seconds} seconds."),
}


PageAnswer = Callable[[Request[Any, Any, Any], int, str, str, dict[str, str]], "Response[Any]"]
# The member pages' answer to an error (club.web.page_errors), set by the app's wiring: the
# request's test and the page. None: every answer is problem JSON.
_page_answer: tuple[Callable[[Request[Any, Any, Any]], bool], PageAnswer] | None = None


def provide_page_answer(is_page: Callable[[Request[Any, Any, Any]], bool], answer: PageAnswer) -> None:
    global _page_answer
    _page_answer = (is_page, answer)


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request: Request[Any, Any, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    """A problem-details answer; `title` and `detail` are English catalog texts, translated here
    for the reader (a `detail` with placeholders comes translated and filled already)."""
    language = request_language(request) if request is not None else Language.en
    if request is not None and _page_answer is not None and _page_answer[0](request):
        return _page_answer[1](request, status, gettext(language, title), gettext(language, detail), dict(headers or {}))
    body: dict[str, Any] = {
        "type": f"/problems/{slug}", "title": gettext(language, title), "status": status,
        "detail": gettext(language, detail),
    }
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    headers = {**(headers or {}), "Content-Language": language.tag}
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    detail = exc.detail_in(request_language(request))
    return problem(exc.status_code, exc.slug, exc.title, detail, request, headers=exc.headers() or None, **exc.extra)


def _http_detail(language: Language, exc: HTTPException, headers: Mapping[str, str]) -> str:
    """Litestar's detail for an English reader; for another, ours if we wrote it, else a lead-in.
    A refusal of ours raised as Litestar's (a role guard's) carries its text as `said`."""
    said = getattr(exc, "said", None)
    if isinstance(said, Said):
        return said_text(language, said)
    ours = translations(language).gettext(exc.detail)
    if language is Language.en:
        # Litestar's own words, unless the English catalog says them for people (a form's CSRF refusal).
        return ours
    if ours != exc.detail:
        return ours
    lead_in = _HTTP_LEAD_INS.get(exc.status_code)
    if lead_in is None:
        return exc.detail
    text = gettext(language, lead_in, seconds=headers.get("Retry-After", "1"))
    if isinstance(exc, ValidationException) and exc.extra:
        found = "; ".join(
            f"{e['key']}: {e['message']}" if e.get("key") else str(e["message"])
            for e in exc.extra if isinstance(e, dict) and e.get("message")
        )
        return f"{text}（{found}）" if found else text
    return text


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", N_("Request failed")))
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
    detail = _http_detail(request_language(request), exc, headers)
    return problem(exc.status_code, slug, title, detail, request, headers=headers, **extra)


def _integrity_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # A unique key caught a duplicate the service did not check for: still the client's conflict.
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return problem(409, "conflict", N_("Conflict"), N_("This conflicts with an existing record."), request)


def _lock_wait_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # A plain statement that waited on a row lock past the transaction's lock_timeout: the
    # same busy answer as club.locking gives, and the transaction has rolled back.
    log.warning("lock wait timed out on %s %s", request.method, request.url.path)
    return problem(503, "busy", N_("Busy"), N_("The club is busy with this record; please try again."), request,
                   headers={"Retry-After": "1"})


def _unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500, "internal-error", N_("Internal error"), N_("Something went wrong on our side."), request
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

