"""Makers for travel tests: a published trip with its itinerary, a member's RSVP and travelers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from events import urls as event_urls
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller
from travel import urls

__all__ = ["add_item", "add_traveler", "at", "item_body", "link", "put_passport", "rsvp", "trip"]

link = event_urls.link


def at(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days, hours=hours, minutes=minutes)


async def trip(server: LiveServer, coordinator: Caller, starts: datetime | None = None, days: int = 10, **overrides: Any) -> dict[str, Any]:
    """A published trip leaving at `starts` (default in 30 days) for `days` days; two companions allowed."""
    start = starts or at(days=30)
    fields = {
        "kind": "trip", "title": "Source of the Yellow River", "venue": "Xining airport, gate B",
        "venue_time_zone": "Asia/Shanghai", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=days)).isoformat(), "capacity": 20, "max_guests": 2,
    }
    return await published_event(server, coordinator, **{**fields, **overrides})


def item_body(starts: datetime, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Drive to Maduo", "place": "Xining, Qinghai", "time_zone": "Asia/Shanghai",
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=8)).isoformat(),
        "meeting_point": "Hotel lobby",
    }
    body.update(overrides)
    return body


async def add_item(server: LiveServer, coordinator: Caller, event_id: int, starts: datetime, **overrides: Any) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        response = await http.post(link(urls.TRIP_ITEMS, event_id=event_id), json=item_body(starts, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def rsvp(server: LiveServer, member: Caller, event_id: int, guests: int = 0) -> dict[str, Any]:
    async with server.client(member.token) as http:
        response = await http.post(link(event_urls.EVENT_RSVP, event_id=event_id), json={"guests": guests})
    assert response.status_code in (200, 201), response.text
    return response.json()


async def add_traveler(http: httpx.AsyncClient, rsvp_id: int, role: str = "member", **fields: Any) -> httpx.Response:
    return await http.post(link(urls.RSVP_TRAVELERS, rsvp_id=rsvp_id), json={"role": role, **fields})


async def put_passport(http: httpx.AsyncClient, traveler_id: int, number: str, expiry: str, nationality: str = "FRA") -> httpx.Response:
    return await http.put(
        link(urls.TRAVELER_DOCUMENT, traveler_id=traveler_id),
        json={"passport_number": number, "nationality": nationality, "expiry_date": expiry},
    )
