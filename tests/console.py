"""Acting as a coordinator (or door staff) in the console: a browser session for an account,
made the way signing in makes one (the console's route list is tests.support.console_routes)."""

from __future__ import annotations

import httpx

from club.web.sessions import COOKIE, start_session
from tests.factories import Caller
from tests.pages import page_client

__all__ = ["console_client", "session_for"]


async def session_for(caller: Caller) -> str:
    """A session cookie's value for the caller's account (as a sign-in would give)."""
    return await start_session(caller.user_id, "test browser")


async def console_client(base_url: str, caller: Caller, **headers: str) -> httpx.AsyncClient:
    """A browser-like client signed in as `caller` (cookies kept, HTML asked for)."""
    client = page_client(base_url, **headers)
    client.cookies.set(COOKIE, await session_for(caller))
    return client
