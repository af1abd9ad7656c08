"""Reminders through a real arq worker on real Redis: on time, never after a cancellation,
following a moved event, once per step whatever arq does, and nothing lost with Redis."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from arq.constants import default_queue_name, job_key_prefix

from club.settings import Settings
from events import urls as event_urls
from events.reminders import channels
from events.reminders.delivery import deliver
from events.reminders.scheduling import dispatch, job_id, recover_stuck_sends
from events.reminders.tables import ReminderDelivery, ReminderMessage, ScheduledReminder
from events.tables import OutboxMessage
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, burst_worker, event_starting_in, queue_of, rsvp, sequence, step
from tests.reminders.stalling_worker import stalling_outbox

HORIZON = 6 * 3600.0


async def _step_rows(event_id: int) -> list[dict]:
    return await ScheduledReminder.select().where(
        (ScheduledReminder.event == event_id) & ScheduledReminder.step.is_not_null()
    ).order_by(ScheduledReminder.id)


async def _reminders_sent() -> list[dict]:
    """Messages of steps (not RSVP-change notices) that reached the embedded channel."""
    return await ReminderMessage.select().where(ReminderMessage.delivery_key.not_like("outbox:%")).order_by(ReminderMessage.id)


async def test_a_step_fires_at_its_time_and_not_before(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    # The event starts in ten minutes and three seconds; the step is ten minutes before it.
    event = await event_starting_in(server, coordinator, timedelta(minutes=10, seconds=3))
    seq = await sequence(server, coordinator, step(offset_minutes=-10, subject="Soon: {event_title}"))
    await attach(server, coordinator, event["id"], seq["id"])
    member = await make_member("Camille Dubois")
    await rsvp(server, member, event["id"])
    [row] = await _step_rows(event["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        assert await _reminders_sent() == []  # queued, not sent: it is not time yet
        await burst_worker(awake(settings))
    [message] = await _reminders_sent()
    assert message["created_at"] >= row["due_at"]
    assert message["subject"] == "Soon: Perfume salon" and message["body"].startswith("Dear Camille Dubois,")
    assert (await ScheduledReminder.select(ScheduledReminder.status).where(ScheduledReminder.id == row["id"]).first())["status"] == "sent"
    # The RSVP confirmation went out through the same machinery, and is marked delivered.
    notices = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.delivered_at).where(OutboxMessage.event == event["id"])
    assert [n["kind"] for n in notices] == ["confirmed"] and notices[0]["delivered_at"] is not None
    assert await ReminderMessage.count().where(ReminderMessage.subject.like("Your place is confirmed%")) == 1


async def test_a_cancelled_rsvps_steps_never_fire(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    event = await event_starting_in(server, coordinator, timedelta(minutes=10, seconds=2))
    seq = await sequence(server, coordinator, step(offset_minutes=-10), step(offset_minutes=-10, channel="sms"))
    await attach(server, coordinator, event["id"], seq["id"])
    stays, leaves = await make_member("Stays"), await make_member("Leaves")
    await rsvp(server, stays, event["id"])
    leaving = await rsvp(server, leaves, event["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)  # both members' jobs are in Redis now
        async with server.client(leaves.token) as http:
            cancelled = await http.delete(event_urls.link(event_urls.RSVP, rsvp_id=leaving["id"]))
        assert cancelled.status_code == 200, cancelled.text
        await burst_worker(awake(settings))
    sent = await _reminders_sent()
    assert len(sent) == 2 and {m["member"] for m in sent} == {stays.member_id}
    gone = await ScheduledReminder.select(ScheduledReminder.status).where(
        (ScheduledReminder.rsvp == leaving["id"]) & ScheduledReminder.step.is_not_null()
    )
    assert {r["status"] for r in gone} == {"cancelled"}
    assert await ReminderDelivery.count().where((ReminderDelivery.rsvp == leaving["id"]) & ReminderDelivery.step.is_not_null()) == 0


async def test_moving_an_event_by_two_hours_moves_every_unsent_step(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    event = await event_starting_in(server, coordinator, timedelta(hours=3))
    seq = await sequence(
        server, coordinator,
        step(offset_minutes=-60), step(offset_minutes=-30, channel="sms"), step(offset_minutes=-10, channel="call"),
    )
    await attach(server, coordinator, event["id"], seq["id"])
    members = [await make_member(f"Member {i}") for i in range(3)]
    for m in members:
        await rsvp(server, m, event["id"])
    before = await _step_rows(event["id"])
    assert len(before) == 9
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        old_ids = [job_id(r["id"], r["event_version"], r["generation"]) for r in before]
        assert [await queue.exists(job_key_prefix + j) for j in old_ids] == [1] * 9
        start = datetime.fromisoformat(event["starts_at"]) + timedelta(hours=2)
        async with server.client(coordinator.token) as http:
            moved = await http.patch(
                event_urls.link(event_urls.EVENT, event_id=event["id"]),
                json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()},
            )
        assert moved.status_code == 200 and moved.json()["version"] == 2
        await dispatch(queue, HORIZON)
        after = {r["id"]: r for r in await _step_rows(event["id"])}
        for old in before:
            new = after[old["id"]]
            assert new["due_at"] - old["due_at"] == timedelta(hours=2)
            assert new["event_version"] == 2 and new["status"] == "scheduled"
            # The old job is gone; the new one waits under an id naming version 2.
            new_id = job_id(new["id"], 2, new["generation"])
            assert new_id.startswith(f"reminder:{new['id']}:v2:")
            assert not await queue.exists(job_key_prefix + job_id(old["id"], 1, old["generation"]))
            score = await queue.zscore(default_queue_name, new_id)
            assert abs(score / 1000 - new["due_at"].timestamp()) < 1


async def test_a_worker_killed_mid_send_and_restarted_delivers_each_step_once(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    import os
    import signal
    import subprocess
    import sys

    event = await event_starting_in(server, coordinator, timedelta(minutes=10, seconds=1))
    seq = await sequence(server, coordinator, step(offset_minutes=-10), step(offset_minutes=-10, channel="sms"))
    await attach(server, coordinator, event["id"], seq["id"])
    member = await make_member("Isabelle Moreau")
    await rsvp(server, member, event["id"])
    env = {
        **os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url or "",
        "CLUB_DATA_DIR": str(settings.data_dir), "SECRET_KEY": settings.secret_key,
        "QUIET_HOURS_START": "00:00", "QUIET_HOURS_END": "00:00", "REMINDER_SEND_LEASE_S": "5",
    }

    log = open(settings.data_dir / "killed-worker.log", "ab")  # noqa: SIM115, ASYNC230 - a local file, closed below

    def worker(*command: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", *command], env=env, stdout=subprocess.DEVNULL, stderr=log,
            cwd=Path(__file__).resolve().parents[2],  # the checkout, where `tests` imports from
        )

    # The first worker's channel writes, then stalls: the kill lands after the hand-off and
    # before the send is recorded, the worst moment.
    first = worker("tests.reminders.stalling_worker", "60")
    try:
        for _ in range(300):
            sending = await ReminderDelivery.count().where(
                (ReminderDelivery.status == "sending") & ReminderDelivery.step.is_not_null()
            )
            if sending == 2 and len(await _reminders_sent()) == 2:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the first worker never started sending")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    second = worker("club.server.cli", "worker")
    try:
        for _ in range(300):
            if await ScheduledReminder.count().where((ScheduledReminder.status == "sent") & ScheduledReminder.step.is_not_null()) == 2:
                break
            await asyncio.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
        log.close()
    deliveries = await ReminderDelivery.select().where(ReminderDelivery.rsvp.is_not_null() & ReminderDelivery.step.is_not_null())
    assert len(deliveries) == 2 and {d["status"] for d in deliveries} == {"sent"}
    assert {d["attempts"] for d in deliveries} == {2}  # the killed hand-off, and the one after
    assert len(await _reminders_sent()) == 2


async def test_the_same_step_enqueued_twice_concurrently_is_delivered_once(
    server: LiveServer, settings: Settings, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await event_starting_in(server, coordinator, timedelta(minutes=5))
    seq = await sequence(server, coordinator, step(offset_days=-1, send_to_late_joiners=True))
    await attach(server, coordinator, event["id"], seq["id"])
    await rsvp(server, await make_member("Wei Zhang"), event["id"])
    [row] = await _step_rows(event["id"])
    # The channel dawdles, so the two jobs overlap inside the send.
    monkeypatch.setattr(channels, "outbox_sender", stalling_outbox(0.5))
    slow = awake(settings)
    async with queue_of(settings) as queue:
        for suffix in ("a", "b"):
            # Different job ids, so arq's own de-duplication does not help: only ours can.
            assert await queue.enqueue_job("send_reminder", row["id"], row["generation"], _job_id=f"dup-{suffix}")
        await burst_worker(slow, max_jobs=10)
        outcomes = sorted([await queue.all_job_results()][0], key=lambda r: r.job_id)
    assert [(r.job_id, r.result) for r in outcomes if r.job_id.startswith("dup-")] in (
        [("dup-a", "sent"), ("dup-b", "busy")], [("dup-a", "busy"), ("dup-b", "sent")],
    )
    assert len(await _reminders_sent()) == 1
    assert await ReminderDelivery.count().where(ReminderDelivery.scheduled == row["id"]) == 1
    # And straight calls, many at once, agree.
    results = await asyncio.gather(*(deliver(row["id"], row["generation"], slow) for _ in range(5)))
    assert set(results) <= {"stale", "duplicate"} and len(await _reminders_sent()) == 1


async def test_reminders_lost_with_redis_come_back_with_the_sweep(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    event = await event_starting_in(server, coordinator, timedelta(minutes=10, seconds=1))
    seq = await sequence(server, coordinator, step(offset_minutes=-10))
    await attach(server, coordinator, event["id"], seq["id"])
    await rsvp(server, await make_member("Lost and found"), event["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        assert await queue.zcard(default_queue_name) >= 1
        await queue.flushdb()  # Redis restarted without its data
        await queue.enqueue_job("sweep_reminders")
        await burst_worker(awake(settings))
    assert len(await _reminders_sent()) == 1


async def test_a_cancelled_event_stops_its_steps_and_its_members_hear_it(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    event = await event_starting_in(server, coordinator, timedelta(hours=3))
    seq = await sequence(server, coordinator, step(offset_minutes=-60), step(offset_minutes=-30))
    await attach(server, coordinator, event["id"], seq["id"])
    await rsvp(server, await make_member("Hélène Martin"), event["id"])
    async with queue_of(settings) as queue:
        await dispatch(queue, HORIZON)
        before = await _step_rows(event["id"])
        async with server.client(coordinator.token) as http:
            cancelled = await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=event["id"]))
        assert cancelled.status_code == 200, cancelled.text
        # Cancelled in the event's own transaction; the dispatcher only takes the jobs back.
        assert {r["status"] for r in await _step_rows(event["id"])} == {"cancelled"}
        result = await dispatch(queue, HORIZON)
        assert result.cancelled == 0 and result.aborted == 2
        for old in before:
            assert await queue.zscore(default_queue_name, job_id(old["id"], 1, old["generation"])) is None
        await burst_worker(awake(settings))  # only the notices are left to run
    assert {r["status"] for r in await _step_rows(event["id"])} == {"cancelled"}
    assert await _reminders_sent() == []
    assert await ReminderMessage.count().where(ReminderMessage.subject.like("Your event is cancelled%")) == 1


async def test_a_stuck_send_is_recovered_once_however_often_the_dispatcher_runs(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """A worker died holding a send: every dispatch used to give the row a new generation, so
    the job of each generation found itself stale and dispatched again, never sending."""
    event = await event_starting_in(server, coordinator, timedelta(hours=3))
    seq = await sequence(server, coordinator, step(offset_days=-1))
    await attach(server, coordinator, event["id"], seq["id"])
    await rsvp(server, await make_member("Hélène Roux"), event["id"])
    [row] = await _step_rows(event["id"])
    now = row["due_at"] + timedelta(seconds=1)
    await ReminderDelivery.insert(
        ReminderDelivery(
            delivery_key=f"{row['rsvp']}:{row['step']}:v1", scheduled=row["id"], rsvp=row["rsvp"], step=row["step"],
            event_version=1, channel="email", status="sending", attempts=1, lease_until=now - timedelta(minutes=1),
            created_at=now - timedelta(minutes=5),
        )
    )
    for _ in range(5):
        await recover_stuck_sends(now)
    [after] = await _step_rows(event["id"])
    assert after["generation"] == row["generation"] + 1
    assert await deliver(row["id"], after["generation"], awake(settings), now=now) == "sent"
    [delivery] = await ReminderDelivery.select().where(ReminderDelivery.scheduled == row["id"])
    assert (delivery["status"], delivery["attempts"]) == ("sent", 2)  # the dead worker's hand-off, and this one


async def test_the_job_id_the_dispatcher_writes_in_sql_is_the_one_python_builds(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """A batch's job ids are written by one UPDATE (scheduling.job_id_sql); the dispatcher
    compares them with `job_id` to find stale jobs, so the two must agree to the character."""
    event = await event_starting_in(server, coordinator, timedelta(hours=3))
    seq = await sequence(server, coordinator, step(offset_minutes=-60), step(offset_minutes=-30))
    await attach(server, coordinator, event["id"], seq["id"])
    await rsvp(server, await make_member("Odile Garnier"), event["id"])
    rows = await _step_rows(event["id"])
    # Several digits in every part, so a missing separator or a swapped field would show.
    for n, row in enumerate(rows):
        await ScheduledReminder.update(
            {ScheduledReminder.generation: 12 + n, ScheduledReminder.event_version: 34, ScheduledReminder.needs_dispatch: True}
        ).where(ScheduledReminder.id == row["id"])
    async with queue_of(settings) as queue:
        result = await dispatch(queue, HORIZON)
        stored = await ScheduledReminder.select(
            ScheduledReminder.id, ScheduledReminder.event_version, ScheduledReminder.generation, ScheduledReminder.job_id
        ).where(ScheduledReminder.id.is_in([r["id"] for r in rows]))
        assert result.enqueued >= len(rows)
        for r in stored:
            assert r["job_id"] == job_id(r["id"], r["event_version"], r["generation"]) == f"reminder:{r['id']}:v34:{r['generation']}"
            assert await queue.exists(job_key_prefix + r["job_id"])
        # And a second dispatch finds nothing stale to abort.
        await ScheduledReminder.update({ScheduledReminder.needs_dispatch: True}).where(
            ScheduledReminder.id.is_in([r["id"] for r in rows])
        )
        assert (await dispatch(queue, HORIZON)).aborted == 0
