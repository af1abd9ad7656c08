"""The console's leaderboards (coordinators): each board of the period with the display names
members chose and the member each line is, linked to their console page; the same service the
members' page and the API read (club.honours.boards)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from club.honours import urls
from club.honours.boards import leaderboard
from club.honours.pages import BOARD_LABELS, PERIOD_LABELS, SCORE_TEXTS, _board, _period
from club.rows import Row, rows_as
from club.tables import Member
from club.web.console import console_page

__all__ = ["CONSOLE_PAGES"]


class _NameRow(Row, frozen=True):
    id: int
    name: str


@get(urls.CONSOLE_HONOURS, name="console-honours")
async def honours_page(request: Request[Any, Any, Any], board: str = "", period: str = "") -> Template:
    chosen, span = _board(board), _period(period)
    found = await leaderboard(chosen, span, request.app.state.settings.zone, limit=50)
    ids = [line.member_id for line in found.lines]
    names = {r.id: r.name for r in rows_as(_NameRow, await Member.select(Member.id, Member.name).where(
        Member.id.is_in(ids or [0])))}
    return console_page(
        request, "honours/console_honours.html", found=found, names=names, board=chosen, period=span,
        boards=BOARD_LABELS, periods=PERIOD_LABELS, scores=SCORE_TEXTS,
    )


CONSOLE_PAGES: list[Any] = [honours_page]
