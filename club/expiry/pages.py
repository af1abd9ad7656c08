"""Expiry on the member's points page: what of their balance expires next, and on which day."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from litestar import Request

from club.accounts import Principal
from club.expiry.expiring import member_expiry
from club.i18n.formats import number_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.web.home import HomeSection

__all__ = ["POINTS_SECTIONS", "date_text", "expiry_section"]


def date_text(day: date, language: Language) -> str:
    """A day as the language writes it in full: 2027年3月31日, March 31, 2027."""
    return format_date(day, format="long", locale=language.value)


async def expiry_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The points page's line "1,200 积分将于 2027年3月31日 到期", when any of the balance will expire."""
    if me.member_id is None:
        return None
    upcoming = await member_expiry(me.member_id, request.app.state.settings.zone)
    if upcoming.expires_on is None:
        return None
    language = request_language(request)
    return HomeSection("expiry/points_section.html", order=5, values={
        "points": number_text(upcoming.points, language), "date": date_text(upcoming.expires_on, language),
        "expires_on": upcoming.expires_on,
    })


POINTS_SECTIONS: list[Any] = [expiry_section]
