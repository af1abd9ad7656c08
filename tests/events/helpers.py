"""Shared makers for event tests: a valid event body, and a published event made over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from club import clock
from events import urls
from events.tables import OutboxMessage, Rsvp
from tests.conftest import LiveServer
from tests.factories import Caller

__all__ = ["event_body", "outbox_kinds", "published_event", "rows_of"]


def event_body(**overrides: Any) -> dict[str, Any]:
    start = clock.now().replace(microsecond=0) + timedelta(days=10)
    body: dict[str, Any] = {
        "kind": "salon",
        "title": "Perfume salon",
        "description": "An evening with the house perfumer.",
        "venue": "Maison, 12 rue Cambon",
        "venue_time_zone": "Europe/Paris",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 10,
    }
    body.update(overrides)
    return body


async def published_event(server: LiveServer, coordinator: Caller, **overrides: Any) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.EVENTS, json=event_body(**overrides))
        assert created.status_code == 201, created.text
        event_id = created.json()["id"]
        published = await http.post(urls.link(urls.EVENT_PUBLISH, event_id=event_id))
        assert published.status_code == 200, published.text
        return published.json()


async def rows_of(event_id: int) -> list[dict[str, Any]]:
    return await Rsvp.select().where(Rsvp.event == event_id).order_by(Rsvp.id)


async def outbox_kinds(event_id: int) -> list[tuple[str, int]]:
    rows = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.member).where(
        OutboxMessage.event == event_id
    ).order_by(OutboxMessage.id)
    return [(r["kind"], r["member"]) for r in rows]
