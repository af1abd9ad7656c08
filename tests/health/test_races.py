"""No overbooking and one booking a program under concurrent requests (bookings and moves), over
real HTTP, on both backends; the controls turn the locks off and show the races oversell on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
import pytest

import club.locking
from events.tables import Rsvp
from events.urls import link
from health_programs import urls
from health_programs.tables import HealthBooking
from tests.concurrency.bulk import bulk_members
from tests.concurrency.storm import IN_FLIGHT
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller
from tests.health.helpers import clinic, program, slot, slot_in


async def _all(http: httpx.AsyncClient, requests: list[tuple[str, dict, Caller]]) -> list[httpx.Response]:
    """Fire every (path, body, caller) at once, at most IN_FLIGHT on the wire."""
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(path: str, body: dict, caller: Caller) -> httpx.Response:
        async with gate:
            return await http.post(path, json=body, headers=caller.headers)

    return list(await asyncio.gather(*[one(*r) for r in requests]))


async def _slots(server: LiveServer, coordinator: Caller, *capacities: int) -> tuple[dict, list[dict]]:
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    made = [await slot(server, coordinator, paris["id"], slot_in(timedelta(days=5 + i)), capacity=c) for i, c in enumerate(capacities)]
    return prog, made


async def _confirmed_seats(event_id: int) -> int:
    return await Rsvp.count().where((Rsvp.event == event_id) & (Rsvp.status == "confirmed"))


async def test_a_storm_of_bookings_fills_the_slot_exactly_and_waitlists_the_rest(server: LiveServer, coordinator: Caller) -> None:
    capacity, storm = 15, 150
    prog, [s] = await _slots(server, coordinator, capacity)
    members = await bulk_members(storm)
    path = link(urls.PROGRAM_BOOKINGS, program_id=prog["id"])
    async with server.client() as http:
        responses = await _all(http, [(path, {"slot_id": s["id"]}, m) for m in members])
    assert Counter(r.status_code for r in responses) == {201: storm}
    assert Counter(r.json()["status"] for r in responses) == {"confirmed": capacity, "waitlisted": storm - capacity}
    assert await _confirmed_seats(s["event_id"]) == capacity
    assert await HealthBooking.count().where(HealthBooking.program == prog["id"]) == storm


async def test_control_without_the_event_lock(server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same storm, event lock off: PostgreSQL oversells (the lock is what holds the count);
    SQLite's serialized writers still fill exactly (see tests/concurrency/test_rsvp_storm.py)."""
    capacity, storm = 5, 150
    prog, [s] = await _slots(server, coordinator, capacity)
    members = await bulk_members(storm)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    path = link(urls.PROGRAM_BOOKINGS, program_id=prog["id"])
    async with server.client() as http:
        responses = await _all(http, [(path, {"slot_id": s["id"]}, m) for m in members])
    assert all(r.status_code == 201 for r in responses)
    seats = await _confirmed_seats(s["event_id"])
    if backend_name() == "postgres":
        assert seats > capacity, "without the lock the storm should have oversold"
    else:
        assert seats == capacity


async def test_one_member_booking_two_slots_at_once_ends_with_one_booking(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    prog, [a, b] = await _slots(server, coordinator, 5, 5)
    path = link(urls.PROGRAM_BOOKINGS, program_id=prog["id"])
    async with server.client() as http:
        responses = await _all(http, [(path, {"slot_id": (a, b)[i % 2]["id"]}, member) for i in range(20)])
    codes = Counter(r.status_code for r in responses)
    assert codes[201] == 1 and codes[200] == 9 and codes[409] == 10, codes
    [won] = [r.json() for r in responses if r.status_code == 201]
    assert all(r.json()["id"] == won["id"] for r in responses if r.status_code == 200)
    assert all(r.json()["type"] == "/problems/already-booked" for r in responses if r.status_code == 409)
    live = await Rsvp.select(Rsvp.event).where((Rsvp.member == member.member_id) & (Rsvp.status != "cancelled"))
    assert live == [{"event": won["slot"]["event_id"]}]
    assert await HealthBooking.count().where(HealthBooking.member == member.member_id) == 1


async def _race_moves_into_the_last_seat(
    server: LiveServer, coordinator: Caller, prog: dict, movers: int
) -> tuple[dict, list[tuple[dict, httpx.Response]]]:
    """`movers` members, each booked into a slot of their own, move at once into a fresh slot of
    one seat: returns that slot and each booking with the answer to its move."""
    paris = await clinic(server, coordinator, prog["id"])
    target = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=5)), capacity=1)
    homes = [await slot(server, coordinator, paris["id"], slot_in(timedelta(days=6 + i)), capacity=2) for i in range(movers)]
    members = await bulk_members(movers)
    path = link(urls.PROGRAM_BOOKINGS, program_id=prog["id"])
    async with server.client() as http:
        booked = await _all(http, [(path, {"slot_id": home["id"]}, m) for m, home in zip(members, homes, strict=True)])
        assert all(r.status_code == 201 for r in booked), [r.text for r in booked]
        bookings = [r.json() for r in booked]
        responses = await _all(
            http, [(link(urls.BOOKING_MOVE, booking_id=b["id"]), {"slot_id": target["id"]}, m) for m, b in zip(members, bookings, strict=True)]
        )
    return target, list(zip(bookings, responses, strict=True))


async def test_two_members_moving_into_the_last_seat_at_once_one_gets_it(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator)
    target, moves = await _race_moves_into_the_last_seat(server, coordinator, prog, 8)
    assert sorted(r.status_code for _, r in moves) == [200] + [409] * 7
    assert {r.json()["type"] for _, r in moves if r.status_code == 409} == {"/problems/slot-full"}
    assert await _confirmed_seats(target["event_id"]) == 1
    # The refused stayed where they were, seat and reminders intact.
    for b, r in moves:
        if r.status_code == 409:
            assert await _confirmed_seats(b["slot"]["event_id"]) == 1


@pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite's IMMEDIATE transactions serialize writers anyway")
async def test_control_without_the_locks_moves_overfill_the_last_seat(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: locks off (club.locking.LOCKING), the same race of moves puts more than one
    member into the slot of one seat on PostgreSQL, so the test above proves that the move's
    locks (its booking, then both slots' events) are what hold the capacity. A race is a matter
    of timing: up to five rounds (fresh movers, a fresh slot), one must overfill."""
    prog = await program(server, coordinator)
    monkeypatch.setattr(club.locking, "LOCKING", False)
    overfilled = []
    for _ in range(5):
        target, moves = await _race_moves_into_the_last_seat(server, coordinator, prog, 8)
        seats = await _confirmed_seats(target["event_id"])
        assert sum(r.status_code == 200 for _, r in moves) == seats
        if seats > 1:
            overfilled.append(seats)
            break
    assert overfilled, "without the locks the moves should have overfilled the slot in five rounds"
