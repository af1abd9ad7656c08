"""Members who live in one zone, events in another: each step on the venue's clock, each night
on the member's own clock, and no reminder lost because the two disagree.

Members in Paris, Shanghai, Tokyo and New York; salons in Paris and Shanghai, both at 19:00
local on Friday 12 December 2025. The clock is frozen at the moments that matter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from club import clock
from club import urls as club_urls
from club.settings import Settings
from events.reminders import urls
from events.reminders.delivery import deliver
from events.reminders.scheduling import dispatch
from events.reminders.tables import ReminderDelivery, ReminderMessage, ScheduledReminder
from events.urls import link
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, burst_worker, club_night, queue_of, rsvp, sequence, step, with_night

HOMES = ("Europe/Paris", "Asia/Shanghai", "Asia/Tokyo", "America/New_York")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _salon(server: LiveServer, coordinator: Caller, zone: str, title: str) -> dict:
    start = datetime(2025, 12, 12, 19, 0, tzinfo=ZoneInfo(zone))
    return await published_event(
        server, coordinator, title=title, venue_time_zone=zone,
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat(),
    )


async def test_three_homes_two_venues_every_member_hears_before_the_salon_and_never_in_their_night(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    members = {zone: await make_member(zone.split("/")[1].replace("_", " "), time_zone=zone) for zone in HOMES}
    with club_night(), clock.frozen_at(_utc("2025-12-01T10:00")):
        seq = await sequence(
            server, coordinator,
            step(channel="sms", offset_minutes=-180, quiet_hours="hold", template="{event_title}: {local_time}."),
            step(channel="email", offset_days=-1, at_local_time="18:00", quiet_hours="hold"),
        )
        salons = {
            "paris": await _salon(server, coordinator, "Europe/Paris", "Paris salon"),
            "shanghai": await _salon(server, coordinator, "Asia/Shanghai", "Shanghai salon"),
        }
        for salon in salons.values():
            await attach(server, coordinator, salon["id"], seq["id"])
            for m in members.values():
                await rsvp(server, m, salon["id"])
    sms_step, day_before_step = (s["id"] for s in seq["steps"])

    expected = {
        # The Paris salon is 18:00 UTC. "Three hours before" is 16:00 in Paris and 10:00 in New
        # York; in Shanghai (23:00) and Tokyo (00:00) it is night and their morning comes after
        # the salon, so it goes at 20:30 their time. "The day before at 18:00" is Paris's 18:00:
        # night in Shanghai and Tokyo, whose morning is still before the salon.
        ("paris", "Europe/Paris"): ("2025-12-12T15:00", "2025-12-11T17:00"),
        ("paris", "Asia/Shanghai"): ("2025-12-12T12:30", "2025-12-12T00:00"),
        ("paris", "Asia/Tokyo"): ("2025-12-12T11:30", "2025-12-11T23:00"),
        ("paris", "America/New_York"): ("2025-12-12T15:00", "2025-12-11T17:00"),
        # The Shanghai salon is 11:00 UTC: only New York sleeps through both steps' times.
        ("shanghai", "Europe/Paris"): ("2025-12-12T08:00", "2025-12-11T10:00"),
        ("shanghai", "Asia/Shanghai"): ("2025-12-12T08:00", "2025-12-11T10:00"),
        ("shanghai", "Asia/Tokyo"): ("2025-12-12T08:00", "2025-12-11T10:00"),
        ("shanghai", "America/New_York"): ("2025-12-12T01:30", "2025-12-11T13:00"),
    }
    async with server.client(coordinator.token) as http:
        for (where, home), (sms_at, day_before_at) in expected.items():
            schedule = (await http.get(link(urls.EVENT_REMINDERS, event_id=salons[where]["id"]))).json()
            mine = {r["step_id"]: r for r in schedule if r["member_id"] == members[home].member_id}
            assert datetime.fromisoformat(mine[sms_step]["due_at"]) == _utc(sms_at), (where, home)
            assert datetime.fromisoformat(mine[day_before_step]["due_at"]) == _utc(day_before_at), (where, home)
            assert {r["status"] for r in mine.values()} == {"scheduled"}

    # At 20:30 in Shanghai the Shanghai member hears of the Paris salon, quoted on Paris's clock
    # with the city named; the Paris member's SMS is not due yet.
    shanghai_sms = await ScheduledReminder.select().where(
        (ScheduledReminder.event == salons["paris"]["id"]) & (ScheduledReminder.step == sms_step)
        & (ScheduledReminder.member == members["Asia/Shanghai"].member_id)
    ).first()
    with clock.frozen_at(_utc("2025-12-12T12:30")):
        assert await deliver(shanghai_sms["id"], shanghai_sms["generation"], with_night(settings)) == "sent"
    [message] = await ReminderMessage.select().where(ReminderMessage.intended_channel == "sms")
    assert message["body"] == (
        "Paris salon: Fri, Dec 12, 2025, 19:00 (Paris time)."
    )
    paris_sms = await ScheduledReminder.select().where(
        (ScheduledReminder.event == salons["paris"]["id"]) & (ScheduledReminder.step == sms_step)
        & (ScheduledReminder.member == members["Europe/Paris"].member_id)
    ).first()
    with clock.frozen_at(_utc("2025-12-12T15:00")):
        assert await deliver(paris_sms["id"], paris_sms["generation"], with_night(settings)) == "sent"
    paris_message = await ReminderMessage.select().where(ReminderMessage.member == members["Europe/Paris"].member_id).first()
    assert paris_message["body"] == "Paris salon: Fri, Dec 12, 2025, 19:00."


async def test_at_03_00_on_the_dst_night_a_step_is_held_once_to_the_morning_and_then_sent(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """Planned while the member lived in Tokyo (10:00 there); by the time it is due the member
    lives in Paris, where it is 03:00 on the night the clocks spring forward. The job re-times
    its row once, to 08:00 CEST (06:00 UTC, not 07:00), and the job at 08:00 sends it."""
    member = await make_member("Aiko Tanaka", time_zone="Asia/Tokyo")
    with club_night(), clock.frozen_at(_utc("2026-03-20T10:00")):
        start = datetime(2026, 3, 29, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 08:00 UTC, CEST
        event = await published_event(server, coordinator, starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat())
        seq = await sequence(server, coordinator, step(offset_minutes=-7 * 60, quiet_hours="hold"))
        await attach(server, coordinator, event["id"], seq["id"])
        await rsvp(server, member, event["id"])
        async with server.client(member.token) as http:
            moved = await http.patch(club_urls.ME, json={"time_zone": "Europe/Paris"})
        assert moved.status_code == 200, moved.text
    [row] = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null())
    assert row["due_at"] == _utc("2026-03-29T01:00")  # 03:00 CEST: planned for Tokyo's 10:00

    # A one-hour horizon, so the burst worker does not wait five hours for the re-timed job.
    night = with_night(settings, reminder_horizon_s=3600.0)
    for instant in ("2026-03-29T01:00", "2026-03-29T06:00"):
        with clock.frozen_at(_utc(instant)):
            async with queue_of(settings) as queue:
                await dispatch(queue, night.reminder_horizon_s)
                await burst_worker(night)
        after = await ScheduledReminder.select().where(ScheduledReminder.id == row["id"]).first()
        if instant.endswith("01:00"):
            assert (after["status"], after["due_at"], after["generation"]) == ("scheduled", _utc("2026-03-29T06:00"), 1)
            assert await ReminderMessage.count().where(ReminderMessage.delivery_key.not_like("outbox:%")) == 0
    assert (after["status"], after["generation"]) == ("sent", 1)
    assert await ReminderDelivery.count().where(ReminderDelivery.scheduled == row["id"]) == 1
    [sent] = await ReminderMessage.select().where(ReminderMessage.delivery_key.not_like("outbox:%"))
    assert sent["created_at"] == _utc("2026-03-29T06:00")
