"""The member's year-end rewards: a page with each year's reward and the code to show at the
boutique (/year-end), and the home page's card naming the latest one. Both read the API's own
service (club.year_end.awards.my_awards)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from club.accounts import Principal
from club.auth import member_only, principal_of
from club.i18n.http import request_language
from club.web.home import HomeSection
from club.web.templates import page
from club.year_end import urls
from club.year_end.awards import my_awards, percent_text, worth_text

__all__ = ["HOME_SECTIONS", "PAGES"]


@get(urls.MY_YEAR_END_PAGE, guards=[member_only], name="my-year-end")
async def my_year_end_page(request: Request[Any, Any, Any]) -> Template:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    language = request_language(request)
    awards = await my_awards(me.member_id, language)
    zone = me.time_zone or str(request.app.state.settings.club_time_zone)
    return page(request, "year_end/mine.html", awards=[(a, worth_text(a, language)) for a in awards],
                percent=percent_text, zone=zone, reader_zone=zone)


async def year_end_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The home page's card: the latest year-end reward, its worth and its code."""
    if me.member_id is None:
        return None
    language = request_language(request)
    awards = await my_awards(me.member_id, language)
    if not awards:
        return None
    latest = awards[0]
    return HomeSection("year_end/home_section.html", order=41, values={
        "year": latest.year, "worth": worth_text(latest, language), "code": latest.voucher_code,
    })


PAGES: list[Any] = [my_year_end_page]
HOME_SECTIONS: list[Any] = [year_end_section]
