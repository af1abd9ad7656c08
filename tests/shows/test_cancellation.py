"""Cancelling a show: the events domain's cancellation calls its cancel hooks in its own
transaction, and the shows end their open invitations there, without waiting for a job."""

from __future__ import annotations

import pytest

from events import catalog
from events import urls as event_urls
from events.tables import Event, EventStatus
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller

link = event_urls.link


async def test_cancel_hooks_run_once_inside_the_cancellation(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await published_event(server, coordinator)
    seen: list[tuple[int, str]] = []

    async def hook(event_id: int) -> None:
        # Inside the transaction: the event already reads as cancelled to the hook.
        row = await Event.select(Event.status).where(Event.id == event_id).first()
        seen.append((event_id, row["status"] if row else "missing"))

    monkeypatch.setattr(catalog, "CANCEL_HOOKS", [])
    catalog.register_cancel_hook(hook)
    catalog.register_cancel_hook(hook)  # registering twice calls it once
    async with server.client(coordinator.token) as http:
        for _ in range(2):  # cancelling again changes nothing and calls nothing
            assert (await http.post(link(event_urls.EVENT_CANCEL, event_id=event["id"]))).status_code == 200
    assert seen == [(event["id"], EventStatus.cancelled.value)]


async def test_a_failing_cancel_hook_keeps_the_event_as_it_was(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: what a hook cannot end, the event does not end without."""
    event = await published_event(server, coordinator)

    async def hook(event_id: int) -> None:
        raise RuntimeError("the hook failed")

    monkeypatch.setattr(catalog, "CANCEL_HOOKS", [hook])
    with pytest.raises(RuntimeError):
        await catalog.cancel_event(event["id"])
    row = await Event.select(Event.status).where(Event.id == event["id"]).first()
    assert row is not None and row["status"] == EventStatus.published.value
