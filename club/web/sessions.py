"""Browser sessions of the member pages: made at sign-in, named by an HttpOnly cookie, listed
and revoked by their member or a coordinator, ended all at once when a member is suspended.

The cookie holds a random secret; the row holds its SHA-256, so a database leak signs no one in.
A session not used for `idle` ends by itself; `last_seen_at` is written at most every few
minutes, so reading pages does not write a row per request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import NotFound
from club.rows import Row, rows_as
from club.tables import MemberStatus, Role, User, WebSession

__all__ = [
    "COOKIE",
    "SESSION_ID_KEY",
    "SessionRow",
    "end_member_sessions",
    "list_sessions",
    "revoke_session",
    "session_principal",
    "start_session",
]

COOKIE = "club_session"
# Where the auth middleware leaves the id of the session a request came with (sign-out ends it).
SESSION_ID_KEY = "club.session_id"
_TOKEN_PREFIX = "s_"
_SEEN_EVERY = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def start_session(user_id: int, device: str) -> str:
    """A new session for `user_id`; the cookie's value (shown once)."""
    secret = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    async with write_transaction():
        await WebSession.insert(WebSession(
            user=user_id, token_hash=_hash(secret), device=device[:120], created_at=now, last_seen_at=now,
        ))
    return secret


# Every page request runs this: one plain query (see club.accounts._AUTHENTICATE_SQL).
_SESSION_SQL = (
    "SELECT s.id AS session_id, s.last_seen_at, u.id AS user_id, u.role, u.name, u.member AS member_id, "
    "m.language, m.time_zone, m.status FROM web_session s JOIN club_user u ON u.id = s.user "
    "LEFT JOIN member m ON m.id = u.member WHERE s.token_hash = {} AND s.revoked_at IS NULL"
)


async def session_principal(secret: str, idle: timedelta) -> tuple[Principal, int] | None:
    """Who a session cookie signs in, and the session's id; None for a cookie that signs in no one."""
    if not secret.startswith(_TOKEN_PREFIX) or len(secret) > 100:
        return None
    rows = await WebSession.raw(_SESSION_SQL, _hash(secret))
    if not rows:
        return None
    row = rows[0]
    now = clock.now()
    last_seen = row["last_seen_at"]
    if last_seen.tzinfo is None:  # SQLite's raw rows
        last_seen = last_seen.replace(tzinfo=UTC)
    if row["status"] == MemberStatus.suspended.value or now - last_seen > idle:
        return None
    if now - last_seen > _SEEN_EVERY:
        async with write_transaction():
            await WebSession.update({WebSession.last_seen_at: now}).where(WebSession.id == row["session_id"])
    principal = Principal(
        user_id=row["user_id"], role=Role(row["role"]), name=row["name"], member_id=row["member_id"],
        language=row["language"], time_zone=row["time_zone"],
    )
    return principal, int(row["session_id"])


class SessionRow(Row, frozen=True):
    """A session as its list shows it: never its secret nor its hash."""

    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime


async def list_sessions(user_id: int) -> list[SessionRow]:
    """The user's sessions still open, most recently used first."""
    return rows_as(SessionRow, await WebSession.select(
        WebSession.id, WebSession.device, WebSession.created_at, WebSession.last_seen_at,
    ).where((WebSession.user == user_id) & WebSession.revoked_at.is_null()).order_by(
        WebSession.last_seen_at, ascending=False
    ))


async def revoke_session(session_id: int, owner_id: int | None = None) -> None:
    """End a session (idempotent). With `owner_id`, only that user's: another's is NotFound,
    the same answer as one that does not exist."""
    async with write_transaction():
        query = WebSession.select(WebSession.id, WebSession.revoked_at).where(WebSession.id == session_id)
        if owner_id is not None:
            query = query.where(WebSession.user == owner_id)
        row = await query.first()
        if row is None:
            raise NotFound("Session {session_id} does not exist.", text_values={"session_id": session_id})
        if row["revoked_at"] is None:
            await WebSession.update({WebSession.revoked_at: clock.now()}).where(WebSession.id == session_id)


async def end_member_sessions(member_id: int) -> None:
    """End every open session of the member's account; call inside the write transaction."""
    users = [row["id"] for row in await User.select(User.id).where(User.member == member_id)]
    if users:
        await WebSession.update({WebSession.revoked_at: clock.now()}).where(
            WebSession.user.is_in(users) & WebSession.revoked_at.is_null()
        )
