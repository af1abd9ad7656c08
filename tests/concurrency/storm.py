"""Firing many RSVPs and cancellations at the live server at once, over real HTTP.

All requests are started together, with at most `IN_FLIGHT` on the wire at a time, like a load
generator with that many connections: httpx's pool scans its whole queue on every step, so
thousands of queued requests would measure the client, not the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx

from events import urls
from tests.factories import Caller

__all__ = ["IN_FLIGHT", "cancel_all", "rsvp_all"]

IN_FLIGHT = 64
_gates: dict[int, asyncio.Semaphore] = {}


async def _send(http: httpx.AsyncClient, method: str, path: str, token: str) -> httpx.Response:
    gate = _gates.setdefault(id(http), asyncio.Semaphore(IN_FLIGHT))
    async with gate:
        return await http.request(
            method, path, json={} if method == "POST" else None, headers={"Authorization": f"Bearer {token}"}
        )


async def rsvp_all(http: httpx.AsyncClient, event_id: int, members: Sequence[Caller]) -> list[httpx.Response]:
    path = urls.link(urls.EVENT_RSVP, event_id=event_id)
    return list(await asyncio.gather(*[_send(http, "POST", path, m.token) for m in members]))


async def cancel_all(http: httpx.AsyncClient, pairs: Sequence[tuple[Caller, int]]) -> list[httpx.Response]:
    return list(
        await asyncio.gather(*[_send(http, "DELETE", urls.link(urls.RSVP, rsvp_id=r), m.token) for m, r in pairs])
    )
