"""Steps of signing in on the pages, for the sign-in, session, access, points and preferences
tests: a zh-Hans member with an address of their own, asking for a code and typing it as a
browser does, from a client address of its own when a test must keep clear of the per-client
limit (X-Forwarded-For, which uvicorn trusts from loopback as it would from a local proxy)."""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape

import httpx

from club.web.sign_in import sends_settled
from events.reminders.tables import ReminderMessage
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.pages import csrf_of, latest_code, page_client

__all__ = [
    "ZH",
    "ask",
    "challenge_of",
    "client_address",
    "codes_sent",
    "enter",
    "new_member",
    "other_code",
    "signed_in",
    "text_of",
]

ZH = {"Accept-Language": "zh-CN"}
_CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')
_numbers = itertools.count(1)


def client_address() -> dict[str, str]:
    """A client of its own (a fresh address on each call)."""
    n = next(_numbers)
    return {"X-Forwarded-For": f"100.64.{n // 250}.{n % 250 + 1}"}


async def new_member(name: str, **fields: object) -> tuple[Caller, str]:
    """A zh-Hans member of Shanghai (unless told otherwise) and their e-mail address."""
    email = f"{uuid.uuid4().hex[:10]}@members.test"
    fields.setdefault("language", "zh-Hans")
    fields.setdefault("time_zone", "Asia/Shanghai")
    return await make_member(name, email=email, **fields), email


def challenge_of(html: str) -> str:
    found = _CHALLENGE.search(html)
    assert found, "the page has no code form"
    return found.group(1)


def text_of(html: str) -> str:
    """What a reader sees in the page's <main>: its text, tags and spacing taken out."""
    main = html[html.find("<main"): html.find("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


async def ask(client: httpx.AsyncClient, address: str, *, next: str = "/", headers: dict[str, str] | None = None) -> httpx.Response:
    """Open the sign-in page and ask for a code for `address`."""
    opened = await client.get("/sign-in")
    return await client.post(
        "/sign-in", data={"_csrf_token": csrf_of(opened.text), "address": address, "next": next}, headers=headers or {}
    )


async def enter(
    client: httpx.AsyncClient, asked: str, code: str, *, next: str = "/", headers: dict[str, str] | None = None
) -> httpx.Response:
    """Type `code` into the code page `asked` (its HTML)."""
    return await client.post("/sign-in/code", data={
        "_csrf_token": csrf_of(asked), "challenge": challenge_of(asked), "code": code, "next": next,
    }, headers=headers or {})


def other_code(code: str) -> str:
    """A code that is not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


async def codes_sent(recipient: str) -> int:
    """How many sign-in messages went to `recipient` (once the server's sends under way are done)."""
    await sends_settled()
    return await ReminderMessage.count().where(
        (ReminderMessage.recipient == recipient) & ReminderMessage.delivery_key.like("sign-in:%")
    )


@asynccontextmanager
async def signed_in(
    server: LiveServer, name: str, *, headers: dict[str, str] | None = None, **fields: object
) -> AsyncIterator[tuple[Caller, httpx.AsyncClient]]:
    """A member (see new_member) and a browser holding their session, signed in the real way,
    from a client address of its own."""
    member, email = await new_member(name, **fields)
    async with page_client(server.base_url, **(headers if headers is not None else ZH), **client_address()) as browser:
        asked = await ask(browser, email)
        assert asked.status_code == 200, asked.text
        answered = await enter(browser, asked.text, await latest_code(member.member_id))  # type: ignore[arg-type]
        assert answered.status_code == 303, answered.text
        yield member, browser
