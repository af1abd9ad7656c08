"""club.locking.lock_objects: one global order, only inside a transaction, and on PostgreSQL a
lock held too long is a 503 busy answer over HTTP, with nothing written."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import asyncpg
import pytest

from club import urls as club_urls
from club.db import write_transaction
from club.locking import LockOrderError, LockOutsideTransaction, LockTimeout, configure_locking, lock_objects, lock_order
from club.tables import Member, Tier
from events import urls
from events.tables import Event, OutboxMessage, Rsvp
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller
from tests.support import backend_name


def test_targets_are_locked_by_type_in_the_global_order_then_by_id() -> None:
    # Given as a scan and a health booking would name them, in no particular order.
    ordered = lock_order([("tier", [3, 1]), ("member", [9, 2, 9]), ("rsvp", [7]), ("event", [5, 4]), ("health_booking", [8])])
    assert ordered == [("health_booking", [8]), ("event", [4, 5]), ("rsvp", [7]), ("member", [2, 9]), ("tier", [1, 3])]


def test_the_same_rows_named_in_any_order_are_locked_in_the_same_order() -> None:
    one = lock_order([("member", [1]), ("event", [2])])
    other = lock_order([("event", [2]), ("member", [1])])
    assert one == other == [("event", [2]), ("member", [1])]


def test_a_table_with_no_place_in_the_order_cannot_be_locked() -> None:
    with pytest.raises(LockOrderError):
        lock_order([("points_entry", [1])])


async def test_locking_outside_a_transaction_is_refused(member: Caller) -> None:
    with pytest.raises(LockOutsideTransaction):
        await lock_objects((Member, member.member_id))  # type: ignore[arg-type]


async def test_inside_a_transaction_the_rows_that_exist_are_locked(member: Caller) -> None:
    async with write_transaction():
        locked = await lock_objects((Member, [member.member_id, 10**9]), (Tier, []))  # type: ignore[list-item]
    if backend_name() == "sqlite":
        assert locked is None  # the IMMEDIATE transaction holds the only write lock
    else:
        assert locked == {"member": {member.member_id}}


@pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite has no row locks to wait for")
async def test_a_row_held_longer_than_the_lock_timeout_answers_503_busy_and_writes_nothing(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    event = await published_event(server, coordinator)
    configure_locking(replace(server.settings, lock_timeout_s=0.3))
    holder = await asyncpg.connect(server.settings.database_url)
    try:
        async with holder.transaction():
            # Another process holding the event, as a long transaction would.
            await holder.execute("SELECT id FROM event WHERE id = $1 FOR UPDATE", event["id"])
            async with server.client(member.token) as http:
                answer = await asyncio.wait_for(http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={}), 10)
    finally:
        await holder.close()
        configure_locking(server.settings)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["type"] == "/problems/busy"
    assert await Rsvp.count().where(Rsvp.event == event["id"]) == 0
    assert await OutboxMessage.count().where(OutboxMessage.event == event["id"]) == 0
    assert await Event.exists().where(Event.id == event["id"])

    # Once the row is free, the same request goes through.
    async with server.client(member.token) as http:
        again = await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert again.status_code == 201, again.text


async def test_a_plain_update_behind_a_held_row_answers_503_busy_not_a_hung_request(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    """Editing a member takes no explicit lock; its UPDATE still waits at most the lock timeout."""
    if backend_name() != "postgres":
        pytest.skip("row locks and lock_timeout are PostgreSQL's")
    holder = await asyncpg.connect(server.settings.database_url)
    try:
        async with holder.transaction():
            await holder.execute("SET LOCAL lock_timeout = 0")  # the holder itself waits for nothing
            await holder.execute("SELECT id FROM member WHERE id = $1 FOR UPDATE", member.member_id)
            async with server.client(coordinator.token) as http:
                answer = await asyncio.wait_for(
                    http.patch(club_urls.MEMBER.replace("{member_id:int}", str(member.member_id)), json={"name": "Renamed"}),
                    server.settings.lock_timeout_s + 20,
                )
    finally:
        await holder.close()
    assert answer.status_code == 503, answer.text
    assert answer.json()["type"] == "/problems/busy" and answer.headers["retry-after"] == "1"
    assert (await Member.select(Member.name).where(Member.id == member.member_id).first())["name"] != "Renamed"


async def test_shared_locks_of_an_event_are_held_side_by_side_and_keep_its_ordinary_lock_waiting(
    server: LiveServer, coordinator: Caller
) -> None:
    """A storm's waitlist places share the event's lock (events.rsvp); an edit or a seat, which
    take the ordinary lock, wait until every sharer is done."""
    if backend_name() != "postgres":
        pytest.skip("SQLite takes one writer at a time: there is nothing to share")
    event = await published_event(server, coordinator)
    configure_locking(replace(server.settings, lock_timeout_s=0.3))
    both, release = asyncio.Event(), asyncio.Event()
    held: list[object] = []

    async def share() -> None:
        async with write_transaction():
            held.append(await lock_objects((Event, event["id"]), shared=True))
            if len(held) == 2:
                both.set()
            await release.wait()

    sharers = [asyncio.create_task(share()) for _ in range(2)]
    try:
        await asyncio.wait_for(both.wait(), 5)  # neither sharer waited for the other
        with pytest.raises(LockTimeout):
            async with write_transaction():
                await lock_objects((Event, event["id"]))
    finally:
        release.set()
        await asyncio.gather(*sharers)
        configure_locking(server.settings)
    assert held == [{"event": {event["id"]}}] * 2
    async with write_transaction():  # the sharers gone, the ordinary lock is had at once
        assert await lock_objects((Event, event["id"])) == {"event": {event["id"]}}
