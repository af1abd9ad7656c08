"""Acting as a member on the pages: sign in with the code the outbox holds, submit forms with
their CSRF token, read what a page says."""

from __future__ import annotations

import re

import httpx

from club.web.sign_in import sends_settled
from events.reminders.tables import ReminderMessage

__all__ = ["csrf_of", "latest_code", "page_client", "sign_in", "submit"]

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
_CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')
_CODE = re.compile(r"\b(\d{6})\b")


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def latest_code(member_id: int) -> str:
    """The last sign-in code the outbox holds for the member (what they would read on their phone)."""
    await sends_settled()  # the server sends it after answering, in this process's event loop
    row = await ReminderMessage.select(ReminderMessage.body).where(
        (ReminderMessage.member == member_id) & ReminderMessage.delivery_key.like("sign-in:%")
    ).order_by(ReminderMessage.id, ascending=False).first()
    assert row is not None, "no sign-in code was sent"
    found = _CODE.search(row["body"])
    assert found
    return found.group(1)


def page_client(base_url: str, **headers: str) -> httpx.AsyncClient:
    """A browser-like client: keeps cookies, asks for pages, follows no redirect by itself."""
    return httpx.AsyncClient(base_url=base_url, headers={"Accept": "text/html", **headers}, timeout=60)


async def submit(client: httpx.AsyncClient, page_path: str, action: str, fields: dict[str, str]) -> httpx.Response:
    """Open `page_path`, then post `fields` to `action` with the page's CSRF token."""
    opened = await client.get(page_path)
    return await client.post(action, data={"_csrf_token": csrf_of(opened.text), **fields})


async def ask_for_code(client: httpx.AsyncClient, address: str) -> httpx.Response:
    return await submit(client, "/sign-in", "/sign-in", {"address": address, "next": "/"})


async def sign_in(client: httpx.AsyncClient, address: str, member_id: int) -> httpx.Response:
    """The whole sign-in: ask for a code, read it from the outbox, type it. The answer to the code."""
    asked = await ask_for_code(client, address)
    assert asked.status_code == 200, asked.text
    challenge = _CHALLENGE.search(asked.text)
    assert challenge
    code = await latest_code(member_id)
    return await client.post("/sign-in/code", data={
        "_csrf_token": csrf_of(asked.text), "challenge": challenge.group(1), "code": code, "next": "/",
    })
