"""Bearer tokens already checked, kept a few seconds per app process, so a client calling the API
again and again costs one database round trip every few seconds instead of one per request.

Revocation still takes effect at once everywhere: whatever revokes a token or changes who its
user is (club.accounts, club.web.sessions, club.members) calls `forget_user` after its commit,
which drops the user's entries here and tells every other process through Redis (one channel,
`CHANNEL`). A process uses its cache only while it is subscribed: if Redis goes away it checks
every token against the database until it is back, so a missed message can never keep a
revoked token alive. A check that read the database before a forget lands is not kept (the
generation it started in has passed), so a forget is never undone by a slow reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from club.accounts import Principal

__all__ = ["CHANNEL", "TTL_S", "TokenCache", "forget_user", "listen", "token_cache"]

log = logging.getLogger("club")

CHANNEL = "club:forget-user"
TTL_S = 5.0
_MAX_ENTRIES = 20_000  # a club's active tokens fit many times; past it the cache starts over


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal
    expires: float


class TokenCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self.generation = 0
        self.subscribed = 0  # listeners following CHANNEL now: only while one is, is anything kept
        self.publishers: list[Any] = []  # the Redis of each app of this process, to announce on

    @property
    def live(self) -> bool:
        return self.subscribed > 0

    def get(self, token_hash: str) -> Principal | None:
        if not self.live:
            return None
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            self._entries.pop(token_hash, None)
            return None
        return entry.principal

    def put(self, token_hash: str, principal: Principal, generation: int) -> None:
        """Keep what a check found, unless a forget landed since the check began."""
        if not self.live or generation != self.generation:
            return
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()
        self._entries[token_hash] = _Entry(principal, time.monotonic() + TTL_S)

    def drop_user(self, user_id: int) -> None:
        self.generation += 1
        for key in [k for k, e in self._entries.items() if e.principal.user_id == user_id]:
            del self._entries[key]

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


token_cache = TokenCache()


async def forget_user(user_id: int) -> None:
    """After a commit that revoked a token of `user_id` or changed who they are: no process
    authenticates them from its cache any more."""
    token_cache.drop_user(user_id)
    for redis in list(token_cache.publishers):
        for attempt in range(2):
            try:
                await redis.publish(CHANNEL, str(user_id))
                break
            except (RedisError, OSError):
                if attempt:  # a process that lost Redis stops caching; one that did not forgets in TTL_S
                    log.warning("could not tell the other processes to forget user %s", user_id)


async def listen(redis: Any) -> None:
    """Follow CHANNEL for as long as the process runs (a task the app starts); while not
    subscribed, nothing is cached."""
    token_cache.publishers.append(redis)
    try:
        while True:
            await _follow(redis)
            await asyncio.sleep(1)
    finally:
        token_cache.publishers.remove(redis)


async def _follow(redis: Any) -> None:
    """One subscription, until it is lost (or the task is cancelled)."""
    pubsub = redis.pubsub()
    subscribed = False
    try:
        await pubsub.subscribe(CHANNEL)
        token_cache.clear()
        token_cache.subscribed += 1
        subscribed = True
        async for message in pubsub.listen():
            if message.get("type") == "message":
                with contextlib.suppress(ValueError):
                    token_cache.drop_user(int(message["data"]))
    except (RedisError, OSError):
        log.warning("token cache: lost its Redis subscription; checking every token until it is back")
    finally:
        if subscribed:
            token_cache.subscribed -= 1
        token_cache.clear()
        with contextlib.suppress(RedisError, OSError):
            await pubsub.aclose()
