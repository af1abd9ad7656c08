"""On PostgreSQL a seat's claim takes the event's lock in its own statement and reads what it
decides on through club_seat_facts (events migration 2026-12-09T09), after the lock: the seat
the lock's last holder took is counted, and the function reads what the checks before the lock
read (the expressions it copies)."""

from __future__ import annotations

import asyncio

import pytest

from club.accounts import Principal
from club.db import write_transaction
from club.locking import lock_objects
from club.tables import Role
from events.reminders.new_seat import STEPS_STAMP_SQL
from events.rsvp import _STAMP, rsvp
from events.seats import SEATS_TAKEN_SQL, seats_taken
from events.tables import Event, EventKind, Rsvp, RsvpStatus
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, sequence, step
from tests.reminders.helpers import rsvp as rsvp_over_http
from tests.support import backend_name, until_a_statement_waits_for_a_lock

pytestmark = pytest.mark.skipif(backend_name() != "postgres", reason="SQLite has one writer and takes no row locks")


async def test_the_function_reads_what_the_checks_before_the_lock_read(server: LiveServer, coordinator: Caller) -> None:
    salon = await published_event(server, coordinator, min_tier="Gold", capacity=5)
    seq = await sequence(server, coordinator, step(channel="email", offset_days=-1), step(channel="sms", offset_minutes=-60))
    await attach(server, coordinator, salon["id"], seq["id"])
    gold = await make_member("Gold member")
    await Rsvp.raw("UPDATE member SET tier = (SELECT id FROM tier WHERE name = 'Gold') WHERE id = {}", gold.member_id)
    await rsvp_over_http(server, gold, salon["id"])
    kind = EventKind.salon.value
    live = await Event.raw(
        f"SELECT {_STAMP} AS event_stamp, {STEPS_STAMP_SQL} AS steps_stamp, {SEATS_TAKEN_SQL} AS seats_taken "
        "FROM event e LEFT JOIN tier t ON t.id = e.min_tier WHERE e.id = {}", salon["id"], kind, salon["id"],
    )
    copied = await Event.raw("SELECT * FROM club_seat_facts({}, {})", salon["id"], kind)
    assert copied == live
    assert live[0]["seats_taken"] == 1 and live[0]["steps_stamp"] != (await _steps_stamp_of_nothing())


async def _steps_stamp_of_nothing() -> str:
    return (await Event.raw("SELECT md5('') AS m"))[0]["m"]


async def test_the_last_seat_taken_while_a_member_waits_for_the_lock_is_counted(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    salon = await published_event(server, coordinator, capacity=1)
    other = await make_member("First in")
    assert other.member_id is not None
    viewer = Principal(user_id=other.user_id, role=Role.member, name="First in", member_id=other.member_id)
    seat_taken, member_waits = asyncio.Event(), asyncio.Event()

    async def take_the_last_seat() -> None:
        async with write_transaction():
            await lock_objects((Event, salon["id"]))
            taken = await rsvp(salon["id"], other.member_id, 0, viewer)  # type: ignore[arg-type]
            assert taken.rsvp.status is RsvpStatus.confirmed
            seat_taken.set()
            await member_waits.wait()

    holder = asyncio.create_task(take_the_last_seat())
    await seat_taken.wait()
    # The control: what the member's RSVP reads before the lock has the seat still free.
    assert await seats_taken(salon["id"]) == 0
    asking = asyncio.create_task(rsvp_over_http(server, member, salon["id"]))
    await until_a_statement_waits_for_a_lock()
    member_waits.set()
    await holder
    answer = await asyncio.wait_for(asking, 10)

    assert answer["status"] == RsvpStatus.waitlisted.value and answer["position"] == 1
    assert await seats_taken(salon["id"]) == 1

