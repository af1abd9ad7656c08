"""A member signed in on the pages for the ticket and invitation page tests: a zh-Hans member
(of Shanghai unless told otherwise) and a browser-like client holding their session cookie,
signed in the real way (the code read from the outbox)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from club.web.sessions import COOKIE
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.pages import page_client, sign_in

__all__ = ["ZH", "session_cookie_of", "signed_in"]

ZH = {"Accept-Language": "zh-CN"}


@asynccontextmanager
async def signed_in(server: LiveServer, name: str, **fields: object) -> AsyncIterator[tuple[Caller, httpx.AsyncClient]]:
    fields.setdefault("time_zone", "Asia/Shanghai")
    email = f"{uuid.uuid4().hex[:10]}@members.test"
    member = await make_member(name, email=email, language="zh-Hans", **fields)
    async with page_client(server.base_url, **ZH) as client:
        answered = await sign_in(client, email, member.member_id)  # type: ignore[arg-type]
        assert answered.status_code == 303, answered.text
        yield member, client


def session_cookie_of(client: httpx.AsyncClient) -> str:
    value = client.cookies.get(COOKIE)
    assert value, "not signed in"
    return value
