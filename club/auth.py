"""Who is calling: the bearer-token middleware and the role guards used on every route."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from club.accounts import Principal, authenticate, cached_principal
from club.errors import Said, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language
from club.rate_limit import (
    client_of,
    count_for_route,
    known_refused,
    limiter_of,
    per_token_policy,
    refuse,
    token_subject,
)
from club.tables import Role
from club.web.sessions import COOKIE, SESSION_ID_KEY, session_principal

__all__ = [
    "BearerTokenMiddleware",
    "any_user",
    "coordinator_only",
    "member_only",
    "principal_of",
    "requires",
    "staff_or_coordinator",
]

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]




class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Resolves `Authorization: Bearer <token>` (or, on a page, the session cookie) to a
    Principal, or to nobody.

    It never refuses a request itself (the guards do, so public routes stay public and an
    unauthenticated call to a guarded route gets the same 401 problem everywhere), except a
    client over its limit of failed tokens: every token it sends then gets 429, unchecked,
    until its window ends, so guessing stops and costs the database nothing. On a route limited
    per token (the door's scans) the same Redis round trip counts the request against its token,
    unless the client is refused, and the route's guard refuses on that count.
    """

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        principal = None
        if scheme.lower() == "bearer" and token.strip():
            limiter, client = limiter_of(connection), client_of(connection)
            policy = connection.app.state.settings.failed_auth_rate_limit
            route_policy = per_token_policy(connection)
            if route_policy is None and not known_refused(policy, client):
                # A token this process checked seconds ago is no guess: it skips the count of
                # failures (a Redis round trip); every other token is counted as before.
                principal = cached_principal(token.strip())
                if principal is not None:
                    return AuthenticationResult(user=principal, auth=None)
            if route_policy is None:
                failures = await limiter.peek_recent(policy, client)
            else:
                failures, usage = await limiter.peek_then_hit(policy, client, route_policy, token_subject(token.strip()))
                if usage is not None:
                    count_for_route(connection, token.strip(), usage)
            if failures.spent:
                refuse(failures)
            principal = await authenticate(token.strip())
            if principal is None:
                await limiter.hit(policy, client)
        elif not header and not connection.scope["path"].startswith("/api/"):
            # The member pages sign in by cookie; the API only ever by bearer token, so no other
            # site's page can make a member's browser call it (the pages' forms carry CSRF tokens).
            secret = connection.cookies.get(COOKIE)
            if secret:
                idle = timedelta(days=connection.app.state.settings.session_idle_days)
                found = await session_principal(secret, idle)
                if found is not None:
                    principal, connection.scope[SESSION_ID_KEY] = found  # type: ignore[literal-required]
        return AuthenticationResult(user=principal, auth=None)


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal):
        raise NotAuthorizedException(N_("A valid bearer token is required."))
    return principal


# The roles as a refusal names them (translated where the answer is written).
_ROLE_NAMES = {
    Role.member: N_("member"),
    Role.staff: N_("staff"),
    Role.coordinator: N_("coordinator"),
}


class RoleRequired(PermissionDeniedException):
    """A role guard's refusal: its detail names the roles allowed, in the reader's language
    (club.errors answers with `said`); in English "This needs the coordinator role."."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        names = Said(_ROLE_NAMES[roles[0]])
        for role in roles[1:]:
            names = Said(N_("{first} or {second}"), {"first": names, "second": Said(_ROLE_NAMES[role])})
        self.said = Said(N_("This needs the {names} role."), {"names": names})
        super().__init__(said_text(Language.en, self.said))


def requires(*roles: Role) -> Guard:
    allowed = frozenset(roles)

    # async though it awaits nothing: Litestar runs a plain function guard in a worker thread,
    # a thread hop on every guarded request.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if principal_of(connection).role not in allowed:
            raise RoleRequired(roles)

    guard.__name__ = f"requires_{'_or_'.join(r.value for r in roles)}"
    return guard


any_user = requires(Role.member, Role.staff, Role.coordinator)
member_only = requires(Role.member)
staff_or_coordinator = requires(Role.staff, Role.coordinator)
coordinator_only = requires(Role.coordinator)
