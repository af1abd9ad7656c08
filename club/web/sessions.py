"""Browser sessions of the pages: made at sign-in, named by an HttpOnly cookie, listed and
revoked by their member or a coordinator, ended all at once when a member is suspended.

The cookie holds a random secret; the row holds its SHA-256, so a database leak signs no one in.
A session not used for `idle` ends by itself; `last_seen_at` is written at most every few
minutes, so reading pages does not write a row per request.

Door staff's sessions also hold door tokens: the door page (checkin) calls the API with a bearer
token, never the cookie, so opening today's doors issues the session an API token named after it
(`issue_door_token`). Whatever ends the session ends its door tokens in the same transaction:
signing out, a revocation, signing in again; an idle session, which merely stops signing anyone
in, is ended with its tokens by `end_idle_sessions` (the door page sweeps its user's; a periodic
sweep can run it for everyone).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from club import clock
from club.accounts import Principal, issue_token
from club.db import write_transaction
from club.errors import NotFound
from club.rows import Row, rows_as
from club.tables import ApiToken, MemberStatus, Role, User, WebSession
from club.token_cache import forget_user

__all__ = [
    "COOKIE",
    "SESSION_ID_KEY",
    "SessionRow",
    "door_token_label",
    "end_idle_sessions",
    "end_member_sessions",
    "issue_door_token",
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


def door_token_label(session_id: int) -> str:
    """The label of a session's door tokens: what the user's token list shows, and what ends them."""
    return f"door · session {session_id}"


async def issue_door_token(session_id: int, user_id: int) -> str:
    """A new API token for the door page, held by the session (revoked when it ends); shown once."""
    return (await issue_token(user_id, label=door_token_label(session_id))).token


async def _end_sessions(sessions: Sequence[tuple[int, int]]) -> None:
    """End (session id, user id) pairs and their door tokens together (idempotent)."""
    if not sessions:
        return
    now = clock.now()
    async with write_transaction():
        await WebSession.update({WebSession.revoked_at: now}).where(
            WebSession.id.is_in([s for s, _ in sessions]) & WebSession.revoked_at.is_null()
        )
        # By user first (indexed), then the label that names the session.
        await ApiToken.update({ApiToken.revoked_at: now}).where(
            ApiToken.user.is_in(sorted({u for _, u in sessions}))
            & ApiToken.label.is_in([door_token_label(s) for s, _ in sessions])
            & ApiToken.revoked_at.is_null()
        )
    # After the commit: the door tokens are refused in every process at once.
    for user_id in sorted({u for _, u in sessions}):
        await forget_user(user_id)


async def revoke_session(session_id: int, owner_id: int | None = None) -> None:
    """End a session and its door tokens (idempotent). With `owner_id`, only that user's:
    another's is NotFound, the same answer as one that does not exist."""
    async with write_transaction():
        query = WebSession.select(WebSession.id, WebSession.user).where(WebSession.id == session_id)
        if owner_id is not None:
            query = query.where(WebSession.user == owner_id)
        row = await query.first()
        if row is None:
            raise NotFound("Session {session_id} does not exist.", text_values={"session_id": session_id})
        await _end_sessions([(session_id, int(row["user"]))])


async def end_member_sessions(member_id: int) -> None:
    """End every open session of the member's account; call inside the write transaction."""
    users = [row["id"] for row in await User.select(User.id).where(User.member == member_id)]
    if users:
        await WebSession.update({WebSession.revoked_at: clock.now()}).where(
            WebSession.user.is_in(users) & WebSession.revoked_at.is_null()
        )


async def end_idle_sessions(idle: timedelta, user_id: int | None = None) -> int:
    """End the sessions not used for `idle` (of `user_id`, or everyone's) with their door tokens:
    an idle session signs no one in, but a door token it was given would outlive it. For a
    periodic sweep, and for the door page, which sweeps its user's before issuing another."""
    query = WebSession.select(WebSession.id, WebSession.user).where(
        WebSession.revoked_at.is_null() & (WebSession.last_seen_at < clock.now() - idle)
    )
    if user_id is not None:
        query = query.where(WebSession.user == user_id)
    stale = [(int(r["id"]), int(r["user"])) for r in await query]
    await _end_sessions(stale)
    return len(stale)
