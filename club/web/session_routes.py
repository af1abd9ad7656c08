"""The sessions API: a member lists and ends their own signed-in browsers; a coordinator a member's."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, delete, get
from msgspec import Struct

from club.auth import coordinator_only, member_only, principal_of, requires
from club.errors import NotFound
from club.tables import Role, User
from club.web import urls
from club.web.sessions import SessionRow, list_sessions, revoke_session

__all__ = ["SessionController", "SessionOut"]


class SessionOut(Struct, kw_only=True):
    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime


def _out(rows: list[SessionRow]) -> list[SessionOut]:
    return [SessionOut(id=r.id, device=r.device, created_at=r.created_at, last_seen_at=r.last_seen_at) for r in rows]


class SessionController(Controller):
    tags = ["sessions"]

    @get(urls.MY_SESSIONS, guards=[member_only], operation_id="listMySessions", summary="My signed-in browsers")
    async def mine(self, request: Request) -> list[SessionOut]:
        return _out(await list_sessions(principal_of(request).user_id))

    @get(urls.MEMBER_SESSIONS, guards=[coordinator_only], operation_id="listMemberSessions",
         summary="A member's signed-in browsers")
    async def members(self, member_id: int) -> list[SessionOut]:
        user = await User.select(User.id).where((User.member == member_id) & (User.role == Role.member.value)).first()
        if user is None:
            raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
        return _out(await list_sessions(int(user["id"])))

    @delete(urls.SESSION, guards=[requires(Role.member, Role.coordinator)], operation_id="revokeSession",
            summary="End a signed-in browser (a member their own; a coordinator any)")
    async def revoke(self, request: Request, session_id: int) -> None:
        me = principal_of(request)
        await revoke_session(session_id, owner_id=None if me.is_coordinator else me.user_id)
