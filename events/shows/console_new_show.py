"""A new fashion-week show in the console (/console/shows/new): its title, venue and times on the
venue's clock, who may be invited (a lowest tier), the points for attending, and its seat
categories, a row each (another row is added by the form itself, nothing saved until the save).

Saved through the API's own service (events.shows.catalog.create_show, as POST /api/shows) as a
draft, with its record (club.audit) in the same transaction; publishing is the event's page's
(/console/events/{id}), as the API publishes it through the events routes.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError
from club.i18n.catalogs import gettext
from club.i18n.http import request_language
from club.settings import Settings
from club.tables import Tier
from club.web.console import console_page
from club.web.console_forms import FieldErrors, local_input
from events.shows.catalog import create_show
from events.shows.console_words import NEW_SHOW, show_path
from events.shows.show_form import (
    CATEGORIES_ERROR,
    FORM_ERROR,
    MAX_CATEGORIES,
    ShowForm,
    form_of_fields,
    read_show_form,
    refusal_errors,
    with_row_added,
)

__all__ = ["NEW_SHOW_PAGES"]


async def _tier_names() -> list[str]:
    """The ladder's tiers, lowest first, as the form offers them."""
    return [r["name"] for r in await Tier.select(Tier.name).order_by(Tier.rank)]


async def _form_page(
    request: Request[Any, Any, Any], form: ShowForm, *, errors: FieldErrors | None = None, status_code: int = 200,
) -> Template:
    errors = errors or {}
    return console_page(
        request, "shows/console_show_new.html", status_code=status_code, form=form, errors=errors,
        tiers=await _tier_names(), max_categories=MAX_CATEGORIES, form_error=errors.get(FORM_ERROR),
        categories_error=errors.get(CATEGORIES_ERROR),
    )


@get(NEW_SHOW, name="console-show-new")
async def new_show_page(request: Request[Any, Any, Any]) -> Template:
    settings: Settings = request.app.state.settings
    form = ShowForm()
    form.fields["venue_time_zone"] = settings.club_time_zone
    return await _form_page(request, form)


async def _posted(request: Request[Any, Any, Any]) -> dict[str, str]:
    posted = await request.form()
    return {key: str(posted.get(key)) for key in posted}


@post(NEW_SHOW, status_code=303)
async def create_show_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Add a row (the form again, nothing saved), or save the show as a draft."""
    me = principal_of(request)
    language = request_language(request)
    posted = await _posted(request)
    form = form_of_fields(posted)
    if posted.get("action") == "add-row":
        if len(form.categories) >= MAX_CATEGORIES:
            refused = {CATEGORIES_ERROR: gettext(language, "A show has at most {n} seat categories.", n=MAX_CATEGORIES)}
            return await _form_page(request, form, errors=refused, status_code=400)
        return await _form_page(request, with_row_added(form))
    body, errors = read_show_form(form, language, await _tier_names())
    if body is None:
        return await _form_page(request, form, errors=errors, status_code=400)
    try:
        async with write_transaction():
            show = await create_show(body, me.user_id)
            seats = gettext(language, "; ").join(
                gettext(language, "{category}: {seats}", category=c.name, seats=c.seats) for c in show.categories
            )
            starts = local_input(show.starts_at, show.venue_time_zone).replace("T", " ")
            await record(me, ActionKind.show_created, event_id=show.id, detail=gettext(
                language, "{title}, {starts} ({zone}), {venue}; seats: {seats}",
                title=show.title, starts=starts, zone=show.venue_time_zone, venue=show.venue, seats=seats,
            ))
    except (DomainError, msgspec.ValidationError) as exc:
        status = exc.status_code if isinstance(exc, DomainError) else 400
        return await _form_page(request, form, errors=refusal_errors(exc, language), status_code=status)
    return Redirect(f"{show_path(show.id)}?done=created", status_code=303)


NEW_SHOW_PAGES: list[Any] = [new_show_page, create_show_page]
