"""Makers of members and users with tokens, for tests that act as them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from club.accounts import create_user, issue_token
from club.members import create_member
from club.tables import Role

__all__ = ["Caller", "make_member", "make_user"]


@dataclass
class Caller:
    """A user of the API with a token: tests act as members, staff and coordinators."""

    user_id: int
    token: str
    member_id: int | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def make_member(name: str = "Test Member", **fields: object) -> Caller:
    email = fields.pop("email", None) or f"{uuid.uuid4().hex[:10]}@members.test"
    member = await create_member(
        name=name,
        email=str(email),
        phone=fields.pop("phone", None),  # type: ignore[arg-type]
        birthday=fields.pop("birthday", None),  # type: ignore[arg-type]
        language=str(fields.pop("language", "en")),
        time_zone=str(fields.pop("time_zone", "Europe/Paris")),
        joined_on=fields.pop("joined_on", None) or date(2024, 1, 1),  # type: ignore[arg-type]
        referred_by=fields.pop("referred_by", None),  # type: ignore[arg-type]
    )
    assert member.user_id is not None
    token = (await issue_token(member.user_id)).token
    return Caller(member.user_id, token, member.id)


async def make_user(role: Role) -> Caller:
    user_id = await create_user(role, f"Test {role.value}", f"{uuid.uuid4().hex[:10]}@staff.test")
    return Caller(user_id, (await issue_token(user_id)).token)
