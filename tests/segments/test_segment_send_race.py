"""A send started 20 times at once (a double click, coordinators on several screens) is one
send, and each member of the segment gets exactly one message: raced over real HTTP against the
live server, on SQLite and PostgreSQL, with four delivery runs racing each other afterwards.

The control takes the key away (each start gets a key of its own, as if the send's unique key
named the request rather than the send): every start is then a send of its own, and each member
gets one message per start, on both backends.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

import httpx
import pytest

from checkin.segments import services
from checkin.segments.delivery import deliver_due
from checkin.segments.tables import SegmentSend
from club.settings import Settings
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.segments.helpers import build_club, messages_of

TIMES = 20
SEND = {"key": "winter-letter", "subject": "A letter", "body": "Dear {member_name}, our winter letter."}


async def _storm(server: LiveServer, token: str, path: str) -> list[httpx.Response]:
    async def one() -> httpx.Response:
        async with server.client(token) as http:  # each on its own connection
            return await http.post(path, json=SEND)

    return list(await asyncio.gather(*(one() for _ in range(TIMES))))


async def _scene(server: LiveServer, coordinator: Caller) -> tuple[dict[str, int], str]:
    club = await build_club()
    async with server.client(coordinator.token) as http:
        made = await http.post("/api/segments", json={"name": "Platinum", "tier": "Platinum"})
    return club.ids, f"/api/segments/{made.json()['id']}/sends"


async def _deliver_racing(settings: Settings) -> int:
    return sum(await asyncio.gather(*(deliver_due(settings) for _ in range(4))))


async def test_twenty_starts_at_once_send_once_to_each_member(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    ids, path = await _scene(server, coordinator)
    starts = await _storm(server, coordinator.token, path)
    assert Counter(s.status_code for s in starts) == {201: 1, 200: TIMES - 1}
    assert len({s.json()["id"] for s in starts}) == 1
    assert await SegmentSend.count() == 1
    assert await _deliver_racing(settings) == 3
    for name in ("Amélie", "Bo", "Dora"):  # the segment's three active Platinum members
        assert len(await messages_of(ids[name])) == 1, name


async def test_control_without_the_key_every_start_is_a_send(
    server: LiveServer, coordinator: Caller, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, path = await _scene(server, coordinator)
    serial = itertools.count()
    monkeypatch.setattr(services, "send_key", lambda segment_id, key: f"{segment_id}:{key}:{next(serial)}")
    starts = await _storm(server, coordinator.token, path)
    assert Counter(s.status_code for s in starts) == {201: TIMES}
    assert await SegmentSend.count() == TIMES
    assert await _deliver_racing(settings) == 3 * TIMES
    for name in ("Amélie", "Bo", "Dora"):
        assert len(await messages_of(ids[name])) == TIMES, name


async def test_twenty_invitations_at_once_invite_once_and_send_each_member_one_link(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    from events.tables import Invitation
    from tests.events.helpers import published_event

    ids, path = await _scene(server, coordinator)
    salon = await published_event(server, coordinator)
    body = {"key": "salon", "event_id": salon["id"]}

    async def one() -> httpx.Response:
        async with server.client(coordinator.token) as http:
            return await http.post(path.replace("/sends", "/invitations"), json=body)

    starts = list(await asyncio.gather(*(one() for _ in range(TIMES))))
    assert Counter(s.status_code for s in starts) == {201: 1, 200: TIMES - 1}
    assert await SegmentSend.count() == 1
    assert await Invitation.count().where(Invitation.event == salon["id"]) == 3
    assert await _deliver_racing(settings) == 3
    for name in ("Amélie", "Bo", "Dora"):
        assert len(await messages_of(ids[name])) == 1, name
