"""HTTP controllers of the honours: thin, they authorize, call one service and answer.

Members read a board with the display names of the members who chose to appear (never a member
id) and their own standing, listed or not; coordinators read it with the member ids. Door staff
have no business here (403). A member sets their own choice and name (PUT /api/me/honours).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, put
from litestar.params import Parameter

from club.auth import member_only, principal_of, requires
from club.honours import urls
from club.honours.boards import Leaderboard, leaderboard
from club.honours.profiles import profile_of, set_profile
from club.honours.rules import Board, Period
from club.honours.schemas import HonoursIn, HonoursOut, LeaderboardOut, LineOut, MyStandingOut
from club.settings import Settings
from club.tables import Role

__all__ = ["ROUTES", "HonoursController", "board_out"]

member_or_coordinator = requires(Role.member, Role.coordinator)


def board_out(found: Leaderboard, reader: int | None, *, with_ids: bool) -> LeaderboardOut:
    me = found.me
    return LeaderboardOut(
        board=found.board, period=found.period, starts_at=found.starts_at, ends_at=found.ends_at, ranked=found.ranked,
        lines=[
            LineOut(rank=line.rank, display_name=line.display_name, score=line.score, me=line.member_id == reader,
                    member_id=line.member_id if with_ids else None)
            for line in found.lines
        ],
        me=None if me is None else MyStandingOut(score=me.score, rank=me.rank, opted_in=me.opted_in, listed=me.listed),
    )


class HonoursController(Controller):
    tags = ["honours"]

    @get(urls.LEADERBOARDS, guards=[member_or_coordinator], operation_id="getLeaderboard",
         summary="A leaderboard of this month, season (calendar quarter) or year on the club's clock, and my rank")
    async def board(
        self, request: Request[Any, Any, Any], settings: Settings, board: Board, period: Period = Period.month,
        limit: Annotated[int, Parameter(ge=1, le=50)] = 10,
    ) -> LeaderboardOut:
        me = principal_of(request)
        found = await leaderboard(board, period, settings.zone, limit=limit, reader=me.member_id)
        return board_out(found, me.member_id, with_ids=me.role is Role.coordinator)

    @get(urls.MY_HONOURS, guards=[member_only], operation_id="getMyHonours",
         summary="Whether I appear on the leaderboards, and my display name")
    async def mine(self, request: Request[Any, Any, Any]) -> HonoursOut:
        found = await profile_of(principal_of(request).member_id)  # type: ignore[arg-type]
        return HonoursOut(opted_in=found.opted_in, display_name=found.display_name)

    @put(urls.MY_HONOURS, guards=[member_only], operation_id="setMyHonours",
         summary="Appear on the leaderboards (with a display name of up to 24 characters) or not")
    async def set_mine(self, request: Request[Any, Any, Any], data: HonoursIn) -> HonoursOut:
        done = await set_profile(principal_of(request).member_id, data.opted_in, data.display_name)  # type: ignore[arg-type]
        return HonoursOut(opted_in=done.opted_in, display_name=done.display_name)


ROUTES: list[Any] = [HonoursController]
