"""Accounts and bearer tokens: who is calling, with which role, and their revocable tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from club import clock
from club.db import write_transaction
from club.errors import Conflict, Forbidden, NotFound
from club.rows import Row, rows_as
from club.statements import fetch
from club.tables import ApiToken, Role, User
from club.token_cache import forget_user, token_cache

__all__ = [
    "IssuedToken",
    "Principal",
    "TokenRow",
    "authenticate",
    "create_user",
    "hash_token",
    "issue_token",
    "list_tokens",
    "revoke_token",
]

TOKEN_PREFIX = "club_"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request, as the guards and services see them."""

    user_id: int
    role: Role
    name: str
    member_id: int | None
    # A member's own language (None for staff and coordinators: see club.i18n.http).
    language: str | None = None
    # A member's own time zone: the clock their pages name times against (None for staff).
    time_zone: str | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.coordinator


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    user_id: int
    token: str  # shown once; only its hash is kept


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Every request runs this, so it is one plain query rather than a Piccolo join chain, whose
# query building cost more than the lookup itself.
_AUTHENTICATE_SQL = (
    "SELECT u.id AS user_id, u.role, u.name, u.member AS member_id, m.language, m.time_zone "
    "FROM api_token t JOIN club_user u ON u.id = t.user LEFT JOIN member m ON m.id = u.member "
    "WHERE t.token_hash = {} AND t.revoked_at IS NULL"
)


def _hash_of(token: str) -> str | None:
    """The hash a token is stored under; None for what is not one of our tokens at all."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return hash_token(token)


def cached_principal(token: str) -> Principal | None:
    """Who a token is, if this process checked it seconds ago (club.token_cache); else None."""
    token_hash = _hash_of(token)
    return token_cache.get(token_hash) if token_hash is not None else None


async def authenticate(token: str) -> Principal | None:
    token_hash = _hash_of(token)
    if token_hash is None:
        return None
    cached = token_cache.get(token_hash)
    if cached is not None:
        return cached
    generation = token_cache.generation
    rows = await fetch(_AUTHENTICATE_SQL, token_hash)
    if not rows:
        return None
    row = rows[0]
    principal = Principal(
        user_id=row["user_id"], role=Role(row["role"]), name=row["name"], member_id=row["member_id"],
        language=row["language"], time_zone=row["time_zone"],
    )
    token_cache.put(token_hash, principal, generation)
    return principal


async def create_user(role: Role, name: str, email: str, member_id: int | None = None) -> int:
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict("An account with the email {email} already exists.", text_values={"email": email})
        rows = await User.insert(
            User(role=role.value, name=name, email=email, member=member_id)
        ).returning(User.id)
        return rows[0]["id"]


async def issue_token(user_id: int, label: str = "", issued_by: Principal | None = None) -> IssuedToken:
    """Make a new token for a user. Through the API, coordinators issue tokens for members and
    door staff only; coordinator tokens come from the CLI on the server."""
    async with write_transaction():
        user = await User.select(User.id, User.role).where(User.id == user_id).first()
        if user is None:
            raise NotFound("User {user_id} does not exist.", text_values={"user_id": user_id})
        if issued_by is not None and user["role"] == Role.coordinator.value:
            raise Forbidden("Coordinator tokens are issued on the server with `club users add`.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        rows = await ApiToken.insert(
            ApiToken(
                user=user_id,
                token_hash=hash_token(token),
                label=label,
                created_at=clock.now(),
            )
        ).returning(ApiToken.id)
        return IssuedToken(rows[0]["id"], user_id, token)


class TokenRow(Row, frozen=True):
    """A token as its owner's list shows it: never the secret, nor its hash."""

    id: int
    label: str
    created_at: datetime
    revoked_at: datetime | None


async def list_tokens(user_id: int) -> list[TokenRow]:
    if not await User.exists().where(User.id == user_id):
        raise NotFound("User {user_id} does not exist.", text_values={"user_id": user_id})
    return rows_as(TokenRow, await ApiToken.select(
        ApiToken.id, ApiToken.label, ApiToken.created_at, ApiToken.revoked_at
    ).where(ApiToken.user == user_id).order_by(ApiToken.id))


async def revoke_token(token_id: int) -> None:
    """Revoking is final and idempotent: a revoked token stays revoked, with its first date."""
    async with write_transaction():
        row = await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.revoked_at).where(
            ApiToken.id == token_id
        ).first()
        if row is None:
            raise NotFound("Token {token_id} does not exist.", text_values={"token_id": token_id})
        if row["revoked_at"] is None:
            await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
                ApiToken.id == token_id
            )
    # After the commit: no process goes on admitting the token from its cache.
    await forget_user(row["user"])
