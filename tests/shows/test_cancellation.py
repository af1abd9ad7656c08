"""Cancelling a show: the events domain's cancellation calls its cancel hooks in its own
transaction, and the shows end their open invitations there, without waiting for a job."""

from __future__ import annotations

from collections import Counter

import pytest

from events import catalog
from events import urls as event_urls
from events.shows import urls
from events.shows.jobs import expire_show_offers
from events.shows.tables import ShowInvitation
from events.tables import Event, EventStatus
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller
from tests.shows.helpers import invite, make_show, notices, tiered

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


async def test_cancelling_a_show_ends_its_offers_and_queue_at_once_and_tells_each_offer_holder_once(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2), ("Second row", 1)])
    front, second = show["by_name"]["Front row"]["id"], show["by_name"]["Second row"]["id"]
    guest, offered = await tiered("Guest", "Diamond"), await tiered("Offered", "Diamond")
    queued = await tiered("Queued", "Gold")
    other_offered, other_queued = await tiered("Second row", "Diamond"), await tiered("Second queue", "Gold")
    made = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [guest, offered, queued], front)}
    made |= {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [other_offered, other_queued], second)}
    async with server.client(guest.token) as http:
        taken = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=made[guest.member_id]["id"]), json={})
    assert taken.status_code == 200
    before = {m: r["status"] for m, r in made.items()}
    assert [before[m.member_id] for m in (offered, queued, other_offered, other_queued)] == ["offered", "queued", "offered", "queued"]

    async with server.client(coordinator.token) as http:
        for _ in range(2):  # cancelling twice tells nobody twice
            assert (await http.post(link(event_urls.EVENT_CANCEL, event_id=show["id"]))).status_code == 200

    # No job has run: the cancellation itself ended every open invitation.
    rows = await ShowInvitation.select(ShowInvitation.member, ShowInvitation.status, ShowInvitation.ended_at).where(
        ShowInvitation.show == show["id"]
    )
    status = {r["member"]: r["status"] for r in rows}
    assert status == {
        guest.member_id: "accepted",  # the seat's RSVP keeps its status, as any cancelled event's do
        offered.member_id: "withdrawn", queued.member_id: "withdrawn",
        other_offered.member_id: "withdrawn", other_queued.member_id: "withdrawn",
    }
    assert all(r["ended_at"] is not None for r in rows if r["status"] == "withdrawn")
    told = Counter(m for k, m in await notices(show["id"]) if k == "event_cancelled")
    # The guest hears it from the event's own notice; each offer holder once; the queue not at all.
    assert told == Counter({guest.member_id: 1, offered.member_id: 1, other_offered.member_id: 1})
    assert await expire_show_offers({}) == 0  # the job has nothing left to do
    assert Counter(m for k, m in await notices(show["id"]) if k == "event_cancelled") == told
