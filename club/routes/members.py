"""Coordinators manage members: `/api/members`."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, patch, post
from litestar.params import Parameter

from club import clock, urls
from club.auth import coordinator_only, principal_of
from club.examples import example_body
from club.ledger import entries_of
from club.members import create_member, get_member, list_members, set_status, update_member
from club.paging import Limit, Offset
from club.points import adjust
from club.referrals import ReferralPolicy
from club.routes.shaping import points_page
from club.schemas import AdjustmentIn, AwardOut, MemberCreate, MemberOut, MemberUpdate, PointsPage
from club.settings import Settings
from club.tables import MemberStatus


class MemberController(Controller):
    tags = ["members"]
    guards = [coordinator_only]

    @post(urls.MEMBERS, operation_id="createMember", summary="Enrol a member (their account comes with them)")
    async def create(self, data: Annotated[MemberCreate, example_body("A member enrolled in Shanghai", {
        "name": "王芳", "email": "wang.fang@example.com", "phone": "+8613800138000", "birthday": "1988-05-20",
        "language": "zh-Hans", "time_zone": "Asia/Shanghai",
    })], settings: Settings) -> MemberOut:
        return await create_member(
            name=data.name,
            email=data.email,
            phone=data.phone,
            birthday=data.birthday,
            language=data.language or settings.club_locale.tag,
            time_zone=data.time_zone or settings.club_time_zone,
            joined_on=data.joined_on or clock.today(settings.club_time_zone),
            referred_by=data.referred_by,
            referrals=ReferralPolicy.of(settings),
            phone_region=settings.club_phone_region,
        )

    @get(urls.MEMBERS, operation_id="listMembers", summary="Find members by tier, status or text")
    async def list_all(
        self,
        tier: Annotated[str | None, Parameter(max_length=60)] = None,
        status: MemberStatus | None = None,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> list[MemberOut]:
        return await list_members(tier=tier, status=status, text=q, limit=limit, offset=offset)

    @get(urls.MEMBER, operation_id="getMember", summary="One member")
    async def get_one(self, member_id: int) -> MemberOut:
        return await get_member(member_id)

    @patch(urls.MEMBER, operation_id="updateMember", summary="Change a member's details (not tier or points)")
    async def update(self, member_id: int, data: MemberUpdate, settings: Settings) -> MemberOut:
        return await update_member(member_id, data, settings.club_phone_region)

    @post(urls.MEMBER_SUSPEND, status_code=200, operation_id="suspendMember", summary="Suspend a member")
    async def suspend(self, member_id: int) -> MemberOut:
        return await set_status(member_id, MemberStatus.suspended)

    @post(urls.MEMBER_REACTIVATE, status_code=200, operation_id="reactivateMember", summary="Make a member active again")
    async def reactivate(self, member_id: int) -> MemberOut:
        return await set_status(member_id, MemberStatus.active)

    @get(urls.MEMBER_POINTS, operation_id="getMemberPoints", summary="A member's balance and ledger")
    async def points(self, member_id: int, limit: Limit = 100, offset: Offset = 0) -> PointsPage:
        return points_page(await get_member(member_id), await entries_of(member_id, limit, offset))

    @post(urls.MEMBER_ADJUSTMENTS, operation_id="adjustPoints", summary="Add or remove points, with a written reason")
    async def adjust_points(self, request: Request, member_id: int, data: AdjustmentIn) -> AwardOut:
        result = await adjust(member_id, data.delta, data.reason, principal_of(request).user_id)
        member = await get_member(member_id)
        return AwardOut(
            entry_id=result.entry_id,
            balance=result.balance,
            tier=member.tier,
            tier_changed=result.tier_change is not None,
            next_tier=member.next_tier,
        )
