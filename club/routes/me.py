"""A member's own record and ledger: `/api/me`."""

from __future__ import annotations

from litestar import Controller, Request, get, patch

from club import urls
from club.accounts import Principal
from club.auth import any_user, member_only, principal_of
from club.ledger import entries_of
from club.members import get_member, update_member
from club.paging import Limit, Offset
from club.routes.shaping import points_page
from club.rows import Row, row_as
from club.schemas import MemberOut, MeUpdate, PointsPage, UserOut
from club.settings import Settings
from club.tables import User


class _AccountRow(Row, frozen=True):
    id: int
    role: str
    name: str
    email: str


class MeController(Controller):
    tags = ["me"]

    @get(urls.ME, guards=[any_user], operation_id="getMe", summary="Who am I: my member record, or my account")
    async def get_me(self, request: Request) -> MemberOut | UserOut:
        me: Principal = principal_of(request)
        if me.member_id is not None:
            return await get_member(me.member_id)
        # A staff or coordinator account has no member record: its user row answers.
        found = await User.select(User.id, User.role, User.name, User.email).where(User.id == me.user_id).first()
        user = row_as(_AccountRow, found)  # type: ignore[arg-type]  # the caller's own account exists
        return UserOut(id=user.id, role=user.role, name=user.name, email=user.email, member_id=None)

    @patch(urls.ME, guards=[member_only], operation_id="updateMe", summary="Change my phone, language or time zone")
    async def update_me(self, request: Request, data: MeUpdate, settings: Settings) -> MemberOut:
        me = principal_of(request)
        return await update_member(me.member_id, data, settings.club_phone_region)  # type: ignore[arg-type]

    @get(urls.MY_POINTS, guards=[member_only], operation_id="getMyPoints", summary="My points balance and ledger")
    async def my_points(self, request: Request, limit: Limit = 100, offset: Offset = 0) -> PointsPage:
        member_id: int = principal_of(request).member_id  # type: ignore[assignment]
        return points_page(await get_member(member_id), await entries_of(member_id, limit, offset))
