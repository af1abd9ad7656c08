"""A seat's reminders commit with it, as planning gives them, even when the statement that takes
the seat writes them from steps read before the event's lock (events.reminders.new_seat)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from club import clock
from club.db import write_transaction
from club.locking import lock_objects
from events.reminders.new_seat import steps_before_the_lock
from events.reminders.scheduling import follow_event, follow_rsvps
from events.reminders.tables import EventReminderSequence, ScheduledReminder, ScheduleStatus
from events.tables import Event, EventKind, Rsvp, RsvpStatus
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, club_night, rsvp, sequence, step
from tests.support import backend_name, until_a_statement_waits_for_a_lock


async def _salon_in_shanghai(server: LiveServer, coordinator: Caller) -> dict:
    start = datetime(2025, 12, 12, 19, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    return await published_event(
        server, coordinator, venue_time_zone="Asia/Shanghai",
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
    )


async def _reminders_of(rsvp_id: int) -> dict[int, tuple[datetime, str]]:
    rows = await ScheduledReminder.select(ScheduledReminder.step, ScheduledReminder.due_at, ScheduledReminder.status).where(
        ScheduledReminder.rsvp == rsvp_id
    )
    return {r["step"]: (clock.aware(r["due_at"]), r["status"]) for r in rows}


async def test_a_member_abroad_gets_the_seats_reminders_planning_gives_and_nothing_is_left_to_retime(
    server: LiveServer, coordinator: Caller
) -> None:
    new_yorker = await make_member("New York", time_zone="America/New_York")
    with club_night(), clock.frozen_at(datetime(2025, 12, 1, 10, 0, tzinfo=UTC)):
        seq = await sequence(
            server, coordinator,
            step(channel="sms", offset_minutes=-180, quiet_hours="hold"),
            step(channel="email", offset_days=-1, at_local_time="18:00", quiet_hours="hold"),
        )
        salon = await _salon_in_shanghai(server, coordinator)
        await attach(server, coordinator, salon["id"], seq["id"])
        seat = await rsvp(server, new_yorker, salon["id"])
        sms, day_before = (s["id"] for s in seq["steps"])
        # The salon is 11:00 UTC. Three hours before is 03:00 in New York, whose night holds the
        # SMS to the evening before (20:30 there); the day before at 18:00 is Shanghai's 18:00,
        # 05:00 in New York: it waits for their morning (08:00), still before the salon.
        assert seat["status"] == RsvpStatus.confirmed.value
        assert await _reminders_of(seat["id"]) == {
            sms: (datetime(2025, 12, 12, 1, 30, tzinfo=UTC), ScheduleStatus.scheduled.value),
            day_before: (datetime(2025, 12, 11, 13, 0, tzinfo=UTC), ScheduleStatus.scheduled.value),
        }
        async with write_transaction():  # planning them again now changes nothing
            assert await follow_rsvps([seat["id"]]) == 0


async def test_a_sequence_attached_while_a_member_waits_for_the_seat_reaches_their_seat(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    if backend_name() != "postgres":
        pytest.skip("SQLite plans a seat's reminders under the write lock: nothing is read before it")
    salon = await published_event(server, coordinator)
    seq = await sequence(server, coordinator, step(channel="email", offset_days=-1))
    attaching, member_waits = asyncio.Event(), asyncio.Event()

    async def attach_slowly() -> None:
        # attach_sequence's own steps, held open until the member's RSVP waits for the lock.
        async with write_transaction():
            await lock_objects((Event, salon["id"]))
            await EventReminderSequence.insert(EventReminderSequence(
                event=salon["id"], sequence=seq["id"], link_key=f"{salon['id']}:{seq['id']}", created_at=clock.now(),
            ))
            attaching.set()
            await member_waits.wait()
            await follow_event(salon["id"])

    coordinator_task = asyncio.create_task(attach_slowly())
    await attaching.wait()
    # The control: what the member's RSVP reads before the lock does not have the sequence yet.
    stale = await steps_before_the_lock(salon["id"], EventKind.salon.value)
    assert stale is not None and stale.steps == []
    member_task = asyncio.create_task(rsvp(server, member, salon["id"]))
    await until_a_statement_waits_for_a_lock()
    member_waits.set()
    await coordinator_task
    seat = await asyncio.wait_for(member_task, 10)

    assert seat["status"] == RsvpStatus.confirmed.value
    assert list(await _reminders_of(seat["id"])) == [seq["steps"][0]["id"]]
    assert await Rsvp.count().where(Rsvp.event == salon["id"]) == 1

