"""Door-staff accounts and tokens, issued and revoked by coordinators."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post

from club import urls
from club.accounts import create_user, issue_token, list_tokens, revoke_token
from club.auth import coordinator_only, principal_of
from club.schemas import StaffCreate, TokenIssued, TokenOut, TokenRequest, UserOut
from club.tables import Role


class AccountController(Controller):
    tags = ["accounts"]
    guards = [coordinator_only]

    @post(urls.STAFF, operation_id="createStaff", summary="Add a door-staff account")
    async def create_staff(self, data: StaffCreate) -> UserOut:
        email = data.email.strip().lower()
        user_id = await create_user(Role.staff, data.name.strip(), email)
        return UserOut(id=user_id, role=Role.staff.value, name=data.name.strip(), email=email, member_id=None)

    @post(urls.USER_TOKENS, operation_id="issueToken", summary="Issue a token for a member or door staff (shown once)")
    async def issue(self, request: Request, user_id: int, data: TokenRequest) -> TokenIssued:
        issued = await issue_token(user_id, data.label, issued_by=principal_of(request))
        return TokenIssued(id=issued.id, user_id=issued.user_id, token=issued.token)

    @get(urls.USER_TOKENS, operation_id="listTokens", summary="A user's tokens (never the secret)")
    async def list_all(self, user_id: int) -> list[TokenOut]:
        return [
            TokenOut(id=t.id, label=t.label, created_at=t.created_at, revoked_at=t.revoked_at)
            for t in await list_tokens(user_id)
        ]

    @delete(urls.TOKEN, operation_id="revokeToken", summary="Revoke a token at once")
    async def revoke(self, token_id: int) -> None:
        await revoke_token(token_id)
