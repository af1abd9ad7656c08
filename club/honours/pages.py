"""The member's honours page (/honours): where they stand on this month's, season's or year's
board of attendance or of points earned, the board itself with the names members chose, and
their choice to appear (off until they turn it on). The home page links it.

The page reads the API's own services (club.honours.boards, .profiles): no rule is written twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import msgspec
from babel.dates import format_skeleton
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club.accounts import Principal
from club.auth import member_only, principal_of
from club.errors import InvalidInput
from club.honours import urls
from club.honours.boards import leaderboard
from club.honours.profiles import profile_of, set_profile
from club.honours.rules import Board, Period
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page

__all__ = ["BOARD_LABELS", "HOME_SECTIONS", "PAGES", "PERIOD_LABELS", "SCORE_TEXTS"]

BOARD_LABELS: dict[Board, str] = {Board.attendance: N_("Attendance"), Board.points: N_("Points earned")}
PERIOD_LABELS: dict[Period, str] = {Period.month: N_("This month"), Period.season: N_("This season"), Period.year: N_("This year")}
# A score as a line reads it.
SCORE_TEXTS: dict[Board, str] = {Board.attendance: N_("{n} events"), Board.points: N_("{n} points")}


class ChoiceForm(msgspec.Struct):
    opted_in: str = ""  # a checkbox: "1" when ticked
    display_name: str = ""
    board: str = ""
    period: str = ""


def _board(text: str) -> Board:
    return Board(text) if text in {b.value for b in Board} else Board.attendance


def _period(text: str) -> Period:
    return Period(text) if text in {p.value for p in Period} else Period.month


def _member_id(request: Request[Any, Any, Any]) -> int:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    return me.member_id


async def _page(
    request: Request[Any, Any, Any], board: Board, period: Period, *, done: str = "", error: str = "",
    form_name: str | None = None, form_opted_in: bool | None = None, status_code: int = 200,
) -> Template:
    member_id = _member_id(request)
    found = await leaderboard(board, period, request.app.state.settings.zone, limit=10, reader=member_id)
    profile = await profile_of(member_id)
    zone = request.app.state.settings.zone
    language = request_language(request)
    # The period's first and last days on the club's clock (its end is the next period's first midnight).
    first, last = found.starts_at.astimezone(zone), (found.ends_at - timedelta(seconds=1)).astimezone(zone)
    days = [format_skeleton("yMMMd", d, locale=language.value) for d in (first, last)]
    return page(
        request, "honours/honours.html", status_code=status_code, found=found, profile=profile, board=board,
        period=period, boards=BOARD_LABELS, periods=PERIOD_LABELS, scores=SCORE_TEXTS, done=done[:20], error=error,
        form_name=profile.display_name if form_name is None else form_name,
        form_opted_in=profile.opted_in if form_opted_in is None else form_opted_in, member_id=member_id,
        days=days,
    )


@get(urls.HONOURS_PAGE, guards=[member_only], name="honours")
async def honours_page(request: Request[Any, Any, Any], board: str = "", period: str = "", done: str = "") -> Template:
    return await _page(request, _board(board), _period(period), done=done)


@post(urls.HONOURS_SAVE, guards=[member_only], status_code=303)
async def save_choice_page(request: Request[Any, Any, Any], data: Annotated[ChoiceForm, FORM]) -> Redirect | Template:
    board, period = _board(data.board), _period(data.period)
    try:
        await set_profile(_member_id(request), bool(data.opted_in), data.display_name[:200])
    except InvalidInput as refusal:
        return await _page(request, board, period, error=refusal.detail_in(request_language(request)),
                           form_name=data.display_name[:200], form_opted_in=bool(data.opted_in), status_code=400)
    return Redirect(f"{urls.HONOURS_PAGE}?board={board.value}&period={period.value}&done=saved#choice", status_code=303)


async def honours_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The home page's part: the way to the leaderboards, with the member's rank this month when they have one."""
    if me.member_id is None:
        return None
    found = await leaderboard(Board.attendance, Period.month, request.app.state.settings.zone, limit=1, reader=me.member_id)
    return HomeSection("honours/home_section.html", order=60, values={"rank": found.me.rank if found.me else None})


PAGES: list[Any] = [honours_page, save_choice_page]
HOME_SECTIONS: list[Any] = [honours_section]
