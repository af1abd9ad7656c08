"""Rate limits counted in Redis, so that every app process shares one count: failed bearer
tokens per client address, scans per device token, and whatever the sign-in pages will need.

Counting is a fixed window per (policy, subject): one Redis key per window, INCR and EXPIRE in
one script (atomic, and one command: EVALSHA). A route limited per token asks once per request:
the bearer-token middleware reads the client's failed tokens and counts the token's request in
the same script, and the route's guard refuses on that count, after the guards before it. A refusal is a 429 problem (`/problems/too-many-requests`) with `Retry-After`
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
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn, cast

from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from redis.exceptions import NoScriptError, RedisError

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
    "count_for_route",
    "counting_failures",
    "limiter_of",
    "per_client",
    "per_token",
    "per_token_policy",
    "refuse",
    "token_subject",
]

log = logging.getLogger("club.rate_limit")

_KEY_PREFIX = "ratelimit"
# A Redis outage would otherwise log on every request.
_WARN_EVERY_S = 60.0
_last_warning = 0.0

# KEYS[1] counted; ARGV[1] its time to live. The count.
_HIT = "local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], ARGV[1]) return n"
# KEYS[1] read, KEYS[2] counted unless KEYS[1] has reached ARGV[1]; ARGV[2] its time to live.
# {read count, counted count or -1 when not counted}.
_PEEK_THEN_HIT = (
    "local seen = tonumber(redis.call('GET', KEYS[1]) or '0') "
    "if seen >= tonumber(ARGV[1]) then return {seen, -1} end "
    "local n = redis.call('INCR', KEYS[2]) redis.call('EXPIRE', KEYS[2], ARGV[2]) return {seen, n}"
)
_SHA = {script: hashlib.sha1(script.encode()).hexdigest() for script in (_HIT, _PEEK_THEN_HIT)}
# Where the middleware leaves a request's count for the route's per-token guard.
_COUNTED = "club.rate_limit.counted"


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


# Subjects this process has seen spend a policy, until the window ends: (policy name, subject)
# -> the end. A caller that skips the shared count for what it knows (club.auth: a token this
# process checked seconds ago) still refuses whoever it has seen spend it.
_SPENT: dict[tuple[str, str], datetime] = {}


def _note(usage: Usage, subject: str) -> Usage:
    if usage.spent:
        if len(_SPENT) > 10_000:
            now = clock.now()
            for key in [k for k, end in _SPENT.items() if end <= now]:
                del _SPENT[key]
        _SPENT[(usage.policy.name, subject)] = clock.now() + timedelta(seconds=usage.reset_s)
    return usage


def known_refused(policy: RatePolicy, subject: str) -> bool:
    """Whether this process has seen `subject` spend `policy` in its current window."""
    end = _SPENT.get((policy.name, subject))
    return end is not None and clock.now() < end


# What this process last read of a subject not spending a policy: (policy name, subject) ->
# (until, on time.monotonic, the usage read). `peek_recent` answers from it for a second: every
# first request of a token (a storm of members, one address) otherwise paid a Redis round trip
# to learn that the address guessed nothing. A failure counted here forgets it, so guessing
# through this process is counted as before; a guess counted by another process meanwhile is
# seen a second late at most, which lets one more guess through here per second at worst.
_FRESH_S = 1.0
_FRESH: dict[tuple[str, str], tuple[float, Usage]] = {}


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
        _FRESH.pop((policy.name, subject), None)
        key, reset = self._window(policy, subject)
        count = await self._guarded(self._script(_HIT, [key], [policy.window_s + 1]), 0)
        return _note(Usage(policy, int(count), reset), subject)

    async def peek_then_hit(
        self, peeked: RatePolicy, peeked_subject: str, counted: RatePolicy, counted_subject: str
    ) -> tuple[Usage, Usage | None]:
        """`peek(peeked, ...)` and, unless that is spent, `hit(counted, ...)`, in one round trip.

        The second is None when not counted (the first is spent: the request is refused on it)."""
        peeked_key, peeked_reset = self._window(peeked, peeked_subject)
        counted_key, counted_reset = self._window(counted, counted_subject)
        seen, count = await self._guarded(
            self._script(_PEEK_THEN_HIT, [peeked_key, counted_key], [peeked.limit, counted.window_s + 1]), [0, 0]
        )
        first = _note(Usage(peeked, int(seen), peeked_reset), peeked_subject)
        return first, (Usage(counted, int(count), counted_reset) if int(count) >= 0 else None)

    async def peek(self, policy: RatePolicy, subject: str) -> Usage:
        """What `subject` has used, without counting."""
        key, reset = self._window(policy, subject)
        count = await self._guarded(self._get(key))
        return _note(Usage(policy, count, reset), subject)

    async def peek_recent(self, policy: RatePolicy, subject: str) -> Usage:
        """`peek`, or what it said here less than `_FRESH_S` ago when that was not spent and no
        request of `subject` was counted against `policy` here since."""
        fresh = _FRESH.get((policy.name, subject))
        if fresh is not None and time.monotonic() < fresh[0]:
            return fresh[1]
        usage = await self.peek(policy, subject)
        if not usage.spent:
            if len(_FRESH) > 10_000:
                _FRESH.clear()  # addresses come and go: a second's worth is all it is for
            _FRESH[(policy.name, subject)] = (time.monotonic() + _FRESH_S, usage)
        return usage

    async def enforce(self, policy: RatePolicy, subject: str) -> Usage:
        """Count one request and refuse it (429) if it goes over the limit."""
        usage = await self.hit(policy, subject)
        if usage.exceeded:
            refuse(usage)
        return usage

    async def _script(self, script: str, keys: list[str], args: list[int]) -> Any:
        assert self._redis is not None
        words = [*keys, *(str(a) for a in args)]
        try:
            return await self._redis.evalsha(_SHA[script], len(keys), *words)  # type: ignore[misc]  # the sync-or-async stub
        except NoScriptError:  # a Redis that has not seen it yet (or restarted): EVAL caches it there
            return await self._redis.eval(script, len(keys), *words)  # type: ignore[misc]

    async def _get(self, key: str) -> int:
        assert self._redis is not None
        raw = await self._redis.get(key)
        return int(raw or 0)

    async def _guarded(self, work: Coroutine[Any, Any, Any], nothing: Any = 0) -> Any:
        """The answer, or `nothing` (let it through) when there is no Redis or it does not answer."""
        global _last_warning
        if self._redis is None:
            work.close()
            return nothing
        try:
            return await work
        except (RedisError, OSError, TimeoutError) as exc:
            if time.monotonic() - _last_warning > _WARN_EVERY_S:
                _last_warning = time.monotonic()
                log.warning("rate limits are not enforced: Redis did not answer (%s)", type(exc).__name__)
            return nothing


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
    a scanner): place it after the guard that authenticates.

    The bearer-token middleware (club.auth) counts the request already, in the round trip that
    reads the client's failed tokens (`per_token_policy`, `count_for_route`); the guard then
    refuses on that count. Without the middleware's count it counts itself."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        policy = policy_of(_settings_of(connection))
        _, _, token = connection.headers.get("authorization", "").partition(" ")
        subject = token_subject(token.strip())
        counted = cast("dict[str, Any]", connection.scope).get(_COUNTED)
        if counted is not None and counted[0] == (policy, subject):
            usage: Usage = counted[1]
        else:
            usage = await limiter_of(connection).hit(policy, subject)
        if usage.exceeded:
            refuse(usage)

    guard.per_token_policy = policy_of  # type: ignore[attr-defined]
    return guard


def per_token_policy(connection: ASGIConnection[Any, Any, Any, Any]) -> RatePolicy | None:
    """The per-token policy of the route this request goes to, if it has a `per_token` guard."""
    handler = cast("dict[str, Any]", connection.scope).get("route_handler")
    for guard in handler.resolve_guards() if handler is not None else ():
        policy_of = getattr(guard, "per_token_policy", None)
        if policy_of is not None:
            return policy_of(_settings_of(connection))
    return None


def count_for_route(connection: ASGIConnection[Any, Any, Any, Any], token: str, usage: Usage) -> None:
    """Leave the middleware's count of this request for the route's `per_token` guard."""
    cast("dict[str, Any]", connection.scope)[_COUNTED] = ((usage.policy, token_subject(token)), usage)


def per_client(policy_of: Callable[[Settings], RatePolicy]) -> Guard:
    """A route guard counting each request against the client's address (sign-in pages)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        await limiter_of(connection).enforce(policy_of(_settings_of(connection)), client_of(connection))

    return guard
