"""HTTP controllers of show invitations: thin, they authorize, call one service and shape nothing.

Accepting and declining are for the invited member only (`member_only`, then 404 for anyone
else's invitation): a coordinator cannot answer on a member's behalf, and door staff have no
business here (403). Coordinators manage shows, categories and invitations and may withdraw.
"""

from __future__ import annotations

from litestar import Controller, Request, get, patch, post

from club.auth import coordinator_only, member_only, principal_of, requires
from club.tables import Role
from events.shows import urls
from events.shows.catalog import (
    add_category,
    create_show,
    get_show,
    list_shows,
    resize_category,
)
from events.shows.invitations import (
    accept,
    decline,
    get_invitation,
    invite,
    my_invitations,
    show_invitations,
    withdraw,
)
from events.shows.schemas import (
    AcceptIn,
    CategoryIn,
    CategoryUpdate,
    InviteIn,
    ShowCreate,
    ShowInvitationOut,
    ShowOut,
)

__all__ = ["ROUTES", "ShowController", "ShowInvitationController"]

member_or_coordinator = requires(Role.member, Role.coordinator)


class ShowController(Controller):
    tags = ["shows"]
    guards = [coordinator_only]

    @post(urls.SHOWS, operation_id="createShow", summary="Create a fashion-week show with its seat categories (a draft)")
    async def create(self, request: Request, data: ShowCreate) -> ShowOut:
        return await create_show(data, principal_of(request).user_id)

    @get(urls.SHOWS, operation_id="listShows", summary="Shows, soonest first, with each category's seats")
    async def list_all(self, include_past: bool = False) -> list[ShowOut]:
        return await list_shows(include_past)

    @get(urls.SHOW, operation_id="getShow", summary="One show with its categories' seats taken, on offer and free")
    async def get_one(self, show_id: int) -> ShowOut:
        return await get_show(show_id)

    @post(urls.SHOW_CATEGORIES, operation_id="addShowCategory", summary="Add a seat category")
    async def add_category(self, show_id: int, data: CategoryIn) -> ShowOut:
        return await add_category(show_id, data.name, data.seats)

    @patch(urls.SHOW_CATEGORY, operation_id="resizeShowCategory", summary="Change a category's seats (more are offered to its queue)")
    async def resize(self, show_id: int, category_id: int, data: CategoryUpdate) -> ShowOut:
        return await resize_category(show_id, category_id, data.seats)

    @post(urls.SHOW_INVITATIONS, status_code=200, operation_id="inviteToShow", summary="Invite chosen members to a category: offered or queued by tier")
    async def invite(self, request: Request, show_id: int, data: InviteIn) -> list[ShowInvitationOut]:
        return await invite(
            show_id, data.member_ids, data.category_id, data.plus_one_allowed, data.reply_within_hours,
            principal_of(request).user_id,
        )

    @get(urls.SHOW_INVITATIONS, operation_id="listShowInvitations", summary="The show's invitations by category, status and queue order")
    async def invitations(self, show_id: int) -> list[ShowInvitationOut]:
        return await show_invitations(show_id)

    @post(urls.INVITATION_WITHDRAW, status_code=200, operation_id="withdrawShowInvitation", summary="Withdraw an invitation; its seats go to the next in line")
    async def withdraw(self, request: Request, invitation_id: int) -> ShowInvitationOut:
        return await withdraw(invitation_id, principal_of(request))


class ShowInvitationController(Controller):
    tags = ["shows"]

    @get(urls.MY_INVITATIONS, guards=[member_only], operation_id="listMyShowInvitations", summary="My show invitations, with reply-by on the show's clock")
    async def mine(self, request: Request) -> list[ShowInvitationOut]:
        return await my_invitations(principal_of(request).member_id)  # type: ignore[arg-type]

    @get(urls.INVITATION, guards=[member_or_coordinator], operation_id="getShowInvitation", summary="One invitation (mine, or any for coordinators)")
    async def get_one(self, request: Request, invitation_id: int) -> ShowInvitationOut:
        return await get_invitation(invitation_id, principal_of(request))

    @post(urls.INVITATION_ACCEPT, guards=[member_only], status_code=200, operation_id="acceptShowInvitation", summary="Accept my offered seat (with my plus-one, if allowed)")
    async def accept(self, request: Request, invitation_id: int, data: AcceptIn) -> ShowInvitationOut:
        return await accept(invitation_id, principal_of(request), data.plus_one)

    @post(urls.INVITATION_DECLINE, guards=[member_only], status_code=200, operation_id="declineShowInvitation", summary="Decline my invitation (or give back an accepted seat)")
    async def decline(self, request: Request, invitation_id: int) -> ShowInvitationOut:
        return await decline(invitation_id, principal_of(request))


ROUTES = [ShowController, ShowInvitationController]
