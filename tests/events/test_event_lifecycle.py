"""Coordinators edit, move and cancel events; members holding a place hear about it via the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from events import urls
from events.tables import OutboxMessage
from tests.conftest import LiveServer
from tests.events.helpers import event_body, outbox_kinds, published_event
from tests.factories import Caller, make_member


async def test_create_is_a_draft_shown_on_the_venue_clock(server: LiveServer, coordinator: Caller) -> None:
    body = event_body(starts_at="2030-06-01T17:00:00+00:00", ends_at="2030-06-01T19:00:00+00:00", venue_time_zone="Asia/Shanghai")
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.EVENTS, json=body)
    event = created.json()
    assert created.status_code == 201 and event["status"] == "draft" and event["version"] == 1
    assert event["starts_local"] == "2030-06-02T01:00:00+08:00"
    assert datetime.fromisoformat(event["starts_at"]) == datetime(2030, 6, 1, 17, tzinfo=UTC)


async def test_moving_an_event_raises_its_version_and_tells_everyone_holding_a_place(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=1)
    seated, waiting = await make_member("Seated"), await make_member("Waiting")
    for who in (seated, waiting):
        async with server.client(who.token) as http:
            await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    path = urls.link(urls.EVENT, event_id=event["id"])
    later = datetime.fromisoformat(event["starts_at"]) + timedelta(hours=1)
    async with server.client(coordinator.token) as http:
        retitled = (await http.patch(path, json={"title": "Perfume salon, new edition"})).json()
        moved = (await http.patch(path, json={"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()})).json()
        same_venue = (await http.patch(path, json={"venue": event["venue"]})).json()
    # A new title raises the version too (the invites' SEQUENCE: calendars show the title) but
    # is no move: only the move is announced. Saving the same venue changes nothing.
    assert (retitled["version"], moved["version"], same_venue["version"]) == (2, 3, 3)
    moves = await OutboxMessage.select().where((OutboxMessage.event == event["id"]) & (OutboxMessage.kind == "event_moved"))
    assert sorted(m["member"] for m in moves) == sorted([seated.member_id, waiting.member_id])
    payload = moves[0]["payload"]
    payload = payload if isinstance(payload, dict) else __import__("json").loads(payload)
    assert len(moves) == 2 and payload["version"] == 3 and datetime.fromisoformat(payload["starts_at"]) == later


async def test_cancelling_an_event_tells_everyone_and_refuses_edits(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    async with server.client(member.token) as http:
        await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    async with server.client(coordinator.token) as http:
        cancelled = await http.post(urls.link(urls.EVENT_CANCEL, event_id=event["id"]))
        again = await http.post(urls.link(urls.EVENT_CANCEL, event_id=event["id"]))
        edit = await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"capacity": 20})
        publish = await http.post(urls.link(urls.EVENT_PUBLISH, event_id=event["id"]))
    assert cancelled.json()["status"] == "cancelled" and again.status_code == 200
    assert edit.status_code == 409 and edit.json()["type"] == "/problems/event-cancelled"
    assert publish.status_code == 409
    assert await outbox_kinds(event["id"]) == [("confirmed", member.member_id), ("event_cancelled", member.member_id)]


async def test_members_list_upcoming_published_events_soonest_first(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    late = await published_event(server, coordinator, starts_at=(now + timedelta(days=20)).isoformat(), ends_at=(now + timedelta(days=21)).isoformat())
    soon = await published_event(server, coordinator, starts_at=(now + timedelta(days=2)).isoformat(), ends_at=(now + timedelta(days=3)).isoformat())
    async with server.client(coordinator.token) as http:
        await http.post(urls.EVENTS, json=event_body())  # a draft
        everything = (await http.get(urls.EVENTS)).json()
    async with server.client(member.token) as http:
        listed = (await http.get(urls.EVENTS)).json()
    assert [e["id"] for e in listed] == [soon["id"], late["id"]]
    assert len(everything) == 3
