"""The console's multipliers (coordinators, under Tiers): each tier's factor on chosen kinds of
earning, and the club's bonus days (member days), set and scheduled through the API's own services
(club.multipliers.managing), a refusal shown on the page with what to fix."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from club.auth import principal_of
from club.errors import DomainError, InvalidInput
from club.i18n.http import request_language
from club.multipliers import urls
from club.multipliers.managing import cancel_bonus_day, multipliers, remove_tier_multiplier, schedule_bonus_day, set_tier_multiplier
from club.multipliers.pages import KIND_LABELS
from club.multipliers.rules import MULTIPLIED_KINDS
from club.multipliers.schemas import BonusDayIn, TierMultiplierIn
from club.settings import Settings
from club.tables import PointsReason
from club.tiers import load_ladder
from club.web.console import club_zone, console_page

__all__ = ["CONSOLE_PAGES"]

_KINDS = [k for k in PointsReason if k in MULTIPLIED_KINDS]


async def _page(request: Request[Any, Any, Any], *, general: str | None = None, status_code: int = 200) -> Template:
    return console_page(
        request, "multipliers/console_multipliers.html", status_code=status_code, general=general,
        multipliers=await multipliers(), ladder=await load_ladder(), kinds=_KINDS, kind_labels=KIND_LABELS,
        zone=club_zone(request),
    )


@get(urls.CONSOLE_MULTIPLIERS, name="console-multipliers")
async def multipliers_page(request: Request[Any, Any, Any]) -> Template:
    return await _page(request)


async def _refused(request: Request[Any, Any, Any], refusal: DomainError) -> Template:
    return await _page(request, general=refusal.detail_in(request_language(request)), status_code=refusal.status_code)


def _int(text: Any) -> int:
    try:
        return int(str(text))
    except ValueError as exc:
        raise InvalidInput("Please choose a tier.") from exc


@post(f"{urls.CONSOLE_MULTIPLIERS}/tiers", status_code=303)
async def set_tier_page(request: Request[Any, Any, Any]) -> Redirect | Template:
    form = await request.form()
    try:
        kind = PointsReason(str(form.get("kind", "")))
        await set_tier_multiplier(TierMultiplierIn(tier_id=_int(form.get("tier_id", "")), kind=kind,
                                                   factor=str(form.get("factor", "")).strip()), principal_of(request).user_id)
    except ValueError:
        return await _refused(request, InvalidInput("Please choose a kind of earning."))
    except DomainError as refusal:
        return await _refused(request, refusal)
    return Redirect(urls.CONSOLE_MULTIPLIERS, status_code=303)


@post(f"{urls.CONSOLE_MULTIPLIERS}/tiers/{{multiplier_id:int}}/remove", status_code=303)
async def remove_tier_page(request: Request[Any, Any, Any], multiplier_id: int) -> Redirect | Template:
    try:
        await remove_tier_multiplier(multiplier_id)
    except DomainError as refusal:
        return await _refused(request, refusal)
    return Redirect(urls.CONSOLE_MULTIPLIERS, status_code=303)


@post(f"{urls.CONSOLE_MULTIPLIERS}/bonus-days", status_code=303)
async def schedule_page(request: Request[Any, Any, Any], settings: Settings) -> Redirect | Template:
    form = await request.form()
    try:
        day = date.fromisoformat(str(form.get("date", "")).strip())
    except ValueError:
        return await _refused(request, InvalidInput("Please choose a date."))
    kinds = [PointsReason(k) for k in form.getall("kinds", []) if k in {x.value for x in _KINDS}]
    name = str(form.get("name", "")).strip()
    if not kinds or not name:
        return await _refused(request, InvalidInput("A bonus day needs a name and at least one kind of earning."))
    try:
        await schedule_bonus_day(BonusDayIn(name=name[:80], date=day, factor=str(form.get("factor", "")).strip(), kinds=kinds),
                                 settings.zone, principal_of(request).user_id)
    except DomainError as refusal:
        return await _refused(request, refusal)
    return Redirect(urls.CONSOLE_MULTIPLIERS, status_code=303)


@post(f"{urls.CONSOLE_MULTIPLIERS}/bonus-days/{{day_id:int}}/cancel", status_code=303)
async def cancel_page(request: Request[Any, Any, Any], day_id: int) -> Redirect | Template:
    try:
        await cancel_bonus_day(day_id)
    except DomainError as refusal:
        return await _refused(request, refusal)
    return Redirect(urls.CONSOLE_MULTIPLIERS, status_code=303)


CONSOLE_PAGES: list[Any] = [multipliers_page, set_tier_page, remove_tier_page, schedule_page, cancel_page]
