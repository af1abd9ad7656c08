"""Rate limits counted in Redis, so that every app process shares one count: failed bearer
tokens per client address, scans per device token, and whatever the sign-in pages will need.

Counting is a fixed window per (policy, subject): one Redis key per window, INCR and EXPIRE in
one transaction. A refusal is a 429 problem (`/problems/too-many-requests`) with `Retry-After`
and the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers):

    RateLimit-Policy: "failed-auth";q=60;w=60
    RateLimit: "failed-auth";r=0;t=37

If Redis cannot be reached the limiter lets requests through (and says so in the log): the
door must keep scanning through a Redis outage.

Use it from a route with the guards `per_token(...)` / `per_client(...)`, around a secret's
check with `counting_failures(...)`, or call `limiter_of(connection)` and
`RateLimiter.hit()` / `.peek()` / `refuse()` directly.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from redis.exceptions import RedisError

from club import clock
from club.errors import NotFound
from club.settings import RatePolicy, Settings

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.handlers.base import BaseRouteHandler
    from redis.asyncio import Redis

__all__ = [
    "RateLimiter",
    "RatePolicy",
    "Usage",
    "client_of",
    "counting_failures",
    "limiter_of",
    "per_client",
    "per_token",
    "refuse",
    "token_subject",
]

log = logging.getLogger("club.rate_limit")

_KEY_PREFIX = "ratelimit"
# A Redis outage would otherwise log on every request.
_WARN_EVERY_S = 60.0
_last_warning = 0.0


@dataclass(frozen=True, slots=True)
class Usage:
    """How much of `policy` a subject has used in the current window."""

    policy: RatePolicy
    count: int
    reset_s: int  # seconds until the window ends

    @property
    def remaining(self) -> int:
        return max(0, self.policy.limit - self.count)

    @property
    def exceeded(self) -> bool:
        """For a counted request: this one went over the limit."""
        return self.count > self.policy.limit

    @property
    def spent(self) -> bool:
        """Before counting: the next request would go over the limit."""
        return self.count >= self.policy.limit

    def headers(self) -> dict[str, str]:
        name = self.policy.name
        return {
            "RateLimit-Policy": f'"{name}";q={self.policy.limit};w={self.policy.window_s}',
            "RateLimit": f'"{name}";r={self.remaining};t={self.reset_s}',
        }


def refuse(usage: Usage) -> NoReturn:
    """The 429 answer for a spent policy (club.errors turns it into problem details)."""
    headers = {**usage.headers(), "Retry-After": str(usage.reset_s)}
    raise TooManyRequestsException(
        detail=f"Too many requests ({usage.policy.name}): at most {usage.policy.limit} in "
        f"{usage.policy.window_s} s. Try again in {usage.reset_s} s.",
        headers=headers,
    )


class RateLimiter:
    """Fixed-window counters in the Redis that every app process shares."""

    def __init__(self, redis: Redis | None) -> None:
        self._redis = redis

    def _window(self, policy: RatePolicy, subject: str) -> tuple[str, int]:
        now = clock.now().timestamp()
        window = int(now // policy.window_s)
        reset = max(1, math.ceil((window + 1) * policy.window_s - now))
        return f"{_KEY_PREFIX}:{policy.name}:{subject}:{window}", reset

    async def hit(self, policy: RatePolicy, subject: str) -> Usage:
        """Count one request of `subject` against `policy`."""
        key, reset = self._window(policy, subject)
        count = await self._guarded(self._incr(key, policy.window_s + 1))
        return Usage(policy, count, reset)

    async def peek(self, policy: RatePolicy, subject: str) -> Usage:
        """What `subject` has used, without counting."""
        key, reset = self._window(policy, subject)
        count = await self._guarded(self._get(key))
        return Usage(policy, count, reset)

    async def enforce(self, policy: RatePolicy, subject: str) -> Usage:
        """Count one request and refuse it (429) if it goes over the limit."""
        usage = await self.hit(policy, subject)
        if usage.exceeded:
            refuse(usage)
        return usage

    async def _incr(self, key: str, ttl_s: int) -> int:
        assert self._redis is not None
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, ttl_s)
            count, _ = await pipe.execute()
        return int(count)

    async def _get(self, key: str) -> int:
        assert self._redis is not None
        raw = await self._redis.get(key)
        return int(raw or 0)

    async def _guarded(self, work: Coroutine[Any, Any, int]) -> int:
        """The count, or 0 (let it through) when there is no Redis or it does not answer."""
        global _last_warning
        if self._redis is None:
            work.close()
            return 0
        try:
            return await work
        except (RedisError, OSError, TimeoutError) as exc:
            if time.monotonic() - _last_warning > _WARN_EVERY_S:
                _last_warning = time.monotonic()
                log.warning("rate limits are not enforced: Redis did not answer (%s)", type(exc).__name__)
            return 0


def limiter_of(connection: ASGIConnection[Any, Any, Any, Any]) -> RateLimiter:
    """The limiter on the app's Redis connection (the arq pool the lifespan opened)."""
    return RateLimiter(getattr(connection.app.state, "queue", None))


def client_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The client's address as uvicorn saw it (behind a trusted proxy, the forwarded one)."""
    client = connection.client
    return client.host if client and client.host else "unknown"


def token_subject(token: str) -> str:
    """A token's counter name: a digest, so Redis never holds a usable token."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _settings_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Settings:
    return connection.app.state.settings


Guard = Callable[["ASGIConnection[Any, Any, Any, Any]", "BaseRouteHandler"], Coroutine[Any, Any, None]]


@asynccontextmanager
async def counting_failures(
    connection: ASGIConnection[Any, Any, Any, Any],
    policy: RatePolicy,
    subject: str | None = None,
    failures: tuple[type[Exception], ...] = (NotFound, NotAuthorizedException),
) -> AsyncIterator[None]:
    """For a secret checked inside the block (a feed URL, a sign-in code): refuse a client
    (by default its address) whose failures have spent `policy`, and count the block's
    `failures` against it."""
    limiter, who = limiter_of(connection), subject or client_of(connection)
    usage = await limiter.peek(policy, who)
    if usage.spent:
        refuse(usage)
    try:
        yield
    except failures:
        await limiter.hit(policy, who)
        raise


def per_token(policy_of: Callable[[Settings], RatePolicy]) -> Guard:
    """A route guard counting each request against the caller's bearer token (a door phone,
    a scanner): place it after the guard that authenticates."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        _, _, token = connection.headers.get("authorization", "").partition(" ")
        await limiter_of(connection).enforce(policy_of(_settings_of(connection)), token_subject(token.strip()))

    return guard


def per_client(policy_of: Callable[[Settings], RatePolicy]) -> Guard:
    """A route guard counting each request against the client's address (sign-in pages)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        await limiter_of(connection).enforce(policy_of(_settings_of(connection)), client_of(connection))

    return guard
