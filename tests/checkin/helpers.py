"""Makers for door tests: an event whose doors are open, and a member's confirmed ticket."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from checkin import urls as door
from events import urls
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller

__all__ = ["door_open_event", "nonce", "rsvp_and_ticket", "scan"]


async def door_open_event(server: LiveServer, coordinator: Caller, **overrides: Any) -> dict[str, Any]:
    """A published event starting within the hour: RSVPs still open, check-in already open."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=50)
    fields = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    return await published_event(server, coordinator, **{**fields, **overrides})


async def rsvp_and_ticket(server: LiveServer, member: Caller, event_id: int, guests: int = 0) -> tuple[dict, str | None]:
    """RSVP as the member; return the RSVP and, when confirmed, its ticket token."""
    async with server.client(member.token) as http:
        rsvp = await http.post(urls.link(urls.EVENT_RSVP, event_id=event_id), json={"guests": guests})
        assert rsvp.status_code in (200, 201), rsvp.text
        body = rsvp.json()
        if body["status"] != "confirmed":
            return body, None
        ticket = await http.get(urls.link(door.TICKET, rsvp_id=body["id"]))
        assert ticket.status_code == 200, ticket.text
        return body, ticket.json()["token"]


def nonce() -> str:
    return uuid.uuid4().hex


async def scan(http: httpx.AsyncClient, event_id: int, token: str, gate: str | None = "A", nonce_: str | None = None) -> dict:
    response = await http.post(
        urls.link(door.SCANS, event_id=event_id), json={"token": token, "nonce": nonce_ or nonce(), "gate": gate}
    )
    assert response.status_code == 200, response.text
    return response.json()
