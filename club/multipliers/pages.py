"""The member's bonus-day page (/bonus-day): their own bonus day of this year, and a form to choose
or move it while they may. The form calls the API's own service (club.multipliers.own_day): every
refusal is its, shown as a page (club.web.page_errors)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from babel.dates import get_timezone_location
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club.auth import member_only, principal_of
from club.errors import InvalidInput
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.multipliers import urls
from club.multipliers.own_day import OwnDayPolicy, choose_own_day, own_day
from club.web.forms import FORM
from club.web.templates import page

__all__ = ["KIND_LABELS", "PAGES"]

KIND_LABELS = {
    "attendance": N_("attendance points"),
    "referral": N_("referral points"),
    "visit": N_("visit points"),
    "spend": N_("purchase points"),
    "birthday": N_("birthday points"),
}


class OwnDayForm(msgspec.Struct):
    date: str = ""


def _member_id(request: Request[Any, Any, Any]) -> int:
    member_id = principal_of(request).member_id
    assert member_id is not None  # member_only
    return member_id


@get(urls.MY_BONUS_DAY_PAGE, guards=[member_only], name="my-bonus-day")
async def bonus_day_page(request: Request[Any, Any, Any], chosen: int = 0) -> Template:
    policy = OwnDayPolicy.of(request.app.state.settings)
    mine = await own_day(_member_id(request), policy)
    return page(request, "multipliers/bonus_day.html", mine=mine, offered=policy.offered, chosen=bool(chosen),
                kinds=KIND_LABELS,
                club_city=get_timezone_location(policy.zone, locale=request_language(request).value, return_city=True))


@post(urls.MY_BONUS_DAY_PAGE, guards=[member_only], status_code=303)
async def choose_page(request: Request[Any, Any, Any], data: Annotated[OwnDayForm, FORM]) -> Redirect:
    try:
        chosen = date.fromisoformat(data.date.strip())
    except ValueError as exc:
        raise InvalidInput("Please choose a date.") from exc
    await choose_own_day(_member_id(request), chosen, OwnDayPolicy.of(request.app.state.settings))
    return Redirect(f"{urls.MY_BONUS_DAY_PAGE}?chosen=1", status_code=303)


PAGES: list[Any] = [bonus_day_page, choose_page]
