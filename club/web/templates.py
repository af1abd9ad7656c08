"""The member pages' templates: one Jinja2 environment over every domain's `templates/` folder,
and `page()`, which renders one in the reader's language with what every page shows.

A template is named by its package: "events/event.html" is `events/templates/event.html`. Texts
are marked `_("…")` (and `ngettext("…", "…", n)`) in the templates as in the code, so the same
extraction (club.i18n.extraction) finds them and the same catalogs translate them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from litestar import Request
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from club.accounts import Principal
from club.i18n.catalogs import gettext, ngettext
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.spend.figures import money_text
from club.web.cookies import session_cookie
from club.web.sessions import COOKIE
from club.web.urls import HOME, ROLE_STARTS

__all__ = ["PageContext", "page", "template_config"]

# Named in the pages' links to the static files (?v=…): the style sheet's own digest, so a
# change to it is a new address and no phone keeps an old copy.
STATIC_VERSION = hashlib.sha256((Path(__file__).resolve().parent / "static" / "club.css").read_bytes()).hexdigest()[:10]


def template_config(folders: Mapping[str, Path]) -> TemplateConfig[JinjaTemplateEngine]:
    """Templates from `folders` ({"events": events/templates, …}), escaped, strict about names."""
    environment = Environment(
        loader=PrefixLoader({name: FileSystemLoader(folder) for name, folder in folders.items()}),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    return TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment))


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every page's shell shows: the club, the reader, where they are."""

    language: Language
    club_name: str
    accent: str
    me: Principal | None
    path: str
    # Where the club's name leads: the reader's own start (home, today's doors, the console).
    start: str
    static_version: str = STATIC_VERSION


def _signed_in(request: Request[Any, Any, Any]) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """`template` rendered for this request's reader, with `values`.

    Besides `values`, a template sees `_` and `ngettext` in the reader's language, `amount(minor,
    currency)` (money as the reader's language writes it, whole amounts without their cents), `when(instant,
    zone)` (a time on a place's clock, naming the city when it is not the reader's: a signed-in
    member's own zone unless `reader_zone` names another), `shell`
    (a PageContext) and Litestar's `csrf_input` for its forms.
    """
    language = request_language(request)
    settings = request.app.state.settings
    me = _signed_in(request)
    # A member reads on their own clock; staff and coordinators, who have none, on the club's.
    reader_zone = values.pop("reader_zone", None) or (me.time_zone if me else None) or settings.club_time_zone

    def _(message: str, **fill: Any) -> str:
        return gettext(language, message, **fill)

    def _n(singular: str, plural: str, n: int, **fill: Any) -> str:
        return ngettext(language, singular, plural, n, **fill)

    def when(instant: datetime, zone: str) -> str:
        return date_time_text(instant, zone, language, reader_zone or zone)

    def amount(amount_minor: int, currency: str) -> str:
        return money_text(amount_minor, currency, language, whole=True)

    start = ROLE_STARTS[me.role] if me is not None else HOME
    shell = PageContext(language, settings.club_name, settings.club_accent, me, request.url.path, start)
    response = Template(
        template_name=template, status_code=status_code,
        context={"_": _, "ngettext": _n, "when": when, "amount": amount, "shell": shell, **values},
        headers={"Content-Language": language.tag, "Cache-Control": "no-store"},
    )
    secret = request.cookies.get(COOKIE)
    if me is not None and secret:
        # The server's idle limit slides with every use; the browser's cookie slides with it.
        response.set_cookie(session_cookie(settings, secret))
    return response
