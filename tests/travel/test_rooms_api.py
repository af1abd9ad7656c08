"""Rooms: a single holds one, a twin two, nobody sleeps in two rooms, and two coordinators
filling the last bed at the same moment cannot both succeed."""

from __future__ import annotations

import asyncio

import pytest

import club.locking
from club.tables import Role
from events import urls as event_urls
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.support import backend_name
from tests.travel.helpers import add_traveler, link, rsvp, trip
from travel import urls
from travel.tables import Traveler


async def _travelers(server: LiveServer, coordinator: Caller, event_id: int, count: int) -> list[int]:
    ids = []
    for n in range(count):
        member = await make_member(f"Traveler {n}")
        mine = await rsvp(server, member, event_id)
        async with server.client(member.token) as http:
            ids.append((await add_traveler(http, mine["id"])).json()["id"])
    return ids


async def _room(server: LiveServer, coordinator: Caller, event_id: int, label: str, kind: str) -> dict:
    async with server.client(coordinator.token) as http:
        response = await http.post(link(urls.TRIP_ROOMS, event_id=event_id), json={"label": label, "kind": kind})
    assert response.status_code == 201, response.text
    return response.json()


async def test_room_capacity_and_nobody_in_two_rooms(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    a, b, c = await _travelers(server, coordinator, event["id"], 3)
    single = await _room(server, coordinator, event["id"], "101", "single")
    twin = await _room(server, coordinator, event["id"], "102", "twin")
    async with server.client(coordinator.token) as http:
        def put(room: dict, traveler: int):  # type: ignore[no-untyped-def]
            return http.post(link(urls.ROOM_OCCUPANTS, room_id=room["id"]), json={"traveler_id": traveler})

        assert (await put(single, a)).status_code == 200
        full = await put(single, b)
        assert full.status_code == 409 and full.json()["type"] == "/problems/room-full"
        assert full.json()["detail"] == "Room 101: a single room holds 1 traveler and is full."
        in_chinese = await http.post(link(urls.ROOM_OCCUPANTS, room_id=single["id"]), json={"traveler_id": b},
                                     headers={"Accept-Language": "zh-CN"})
        assert in_chinese.json()["detail"] == "房间 101：单人房仅可入住 1 位旅客，现已住满。请选择其他房间。"
        twice = await put(twin, a)
        assert twice.status_code == 409 and twice.json()["type"] == "/problems/already-in-room"
        assert twice.json()["room_label"] == "101" and "already in room 101" in twice.json()["detail"]
        assert (await put(single, a)).status_code == 200  # asking again for the same bed changes nothing
        assert (await put(twin, b)).status_code == 200
        shared = await put(twin, c)
        assert shared.status_code == 200
        assert [o["traveler_id"] for o in shared.json()["occupants"]] == [b, c]
        # Moving someone: out of one room, into another.
        out = await http.delete(link(urls.ROOM_OCCUPANT, room_id=single["id"], traveler_id=a))
        assert out.status_code == 200 and out.json()["occupants"] == []
        # A cancelled traveler's bed frees up.
        [b_rsvp] = await Traveler.select(Traveler.rsvp).where(Traveler.id == b)
        assert (await http.delete(link(event_urls.RSVP, rsvp_id=b_rsvp["rsvp"]))).status_code == 200
        assert (await put(twin, a)).status_code == 200
        duplicate_label = await http.post(link(urls.TRIP_ROOMS, event_id=event["id"]), json={"label": "101", "kind": "twin"})
        assert duplicate_label.status_code == 409
        rooms = (await http.get(link(urls.TRIP_ROOMS, event_id=event["id"]))).json()
    assert [(r["label"], r["beds"], [o["traveler_id"] for o in r["occupants"]]) for r in rooms] == [
        ("101", 1, []), ("102", 2, [c, a])
    ]


async def test_a_traveler_of_another_trip_cannot_be_put_in_a_room(server: LiveServer, coordinator: Caller) -> None:
    first, second = await trip(server, coordinator), await trip(server, coordinator, title="Milan")
    [traveler] = await _travelers(server, coordinator, second["id"], 1)
    room = await _room(server, coordinator, first["id"], "201", "twin")
    async with server.client(coordinator.token) as http:
        response = await http.post(link(urls.ROOM_OCCUPANTS, room_id=room["id"]), json={"traveler_id": traveler})
    assert response.status_code == 400


async def test_two_coordinators_racing_for_the_last_bed(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    travelers = await _travelers(server, coordinator, event["id"], 6)
    twin = await _room(server, coordinator, event["id"], "301", "twin")
    other = await make_user(Role.coordinator)
    async with server.client(coordinator.token) as one, server.client(other.token) as two:
        answers = await asyncio.gather(
            *[
                (one if n % 2 else two).post(link(urls.ROOM_OCCUPANTS, room_id=twin["id"]), json={"traveler_id": t})
                for n, t in enumerate(travelers)
            ]
        )
        final = (await one.get(link(urls.TRIP_ROOMS, event_id=event["id"]))).json()
    assert sorted(a.status_code for a in answers) == [200, 200, 409, 409, 409, 409]
    assert len(final[0]["occupants"]) == 2


@pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite's IMMEDIATE transactions serialize writers anyway")
async def test_control_without_the_room_lock_the_last_bed_is_taken_twice(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: locks off (club.locking.LOCKING), the same race overfills the twin on
    PostgreSQL, so the test above proves the room lock is what keeps it at two. A race is a
    matter of timing: up to five rounds (fresh travelers, a fresh twin), one must overfill."""
    event = await trip(server, coordinator, capacity=60)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    overfilled = []
    for round_ in range(5):
        travelers = await _travelers(server, coordinator, event["id"], 12)
        twin = await _room(server, coordinator, event["id"], f"3{round_:02}", "twin")
        async with server.client(coordinator.token) as http:
            answers = await asyncio.gather(
                *[http.post(link(urls.ROOM_OCCUPANTS, room_id=twin["id"]), json={"traveler_id": t}) for t in travelers]
            )
            rooms = (await http.get(link(urls.TRIP_ROOMS, event_id=event["id"]))).json()
        [this] = [r for r in rooms if r["id"] == twin["id"]]
        assert sum(a.status_code == 200 for a in answers) == len(this["occupants"])
        if len(this["occupants"]) > 2:
            overfilled.append(len(this["occupants"]))
            break
    assert overfilled, "without the lock the race should have overfilled a twin in five rounds"


async def test_the_same_traveler_raced_into_two_rooms_lands_in_one(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    [traveler] = await _travelers(server, coordinator, event["id"], 1)
    rooms = [await _room(server, coordinator, event["id"], f"4{n:02}", "twin") for n in range(4)]
    async with server.client(coordinator.token) as http:
        answers = await asyncio.gather(
            *[http.post(link(urls.ROOM_OCCUPANTS, room_id=r["id"]), json={"traveler_id": traveler}) for r in rooms]
        )
        final = (await http.get(link(urls.TRIP_ROOMS, event_id=event["id"]))).json()
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert {a.json()["type"] for a in answers if a.status_code == 409} == {"/problems/already-in-room"}
    assert sum(len(r["occupants"]) for r in final) == 1

