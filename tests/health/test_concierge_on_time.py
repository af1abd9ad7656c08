"""The concierge sequence on time for a member who lives far from the clinic: a Paris member
booked at a Shanghai clinic at 08:00 gets "06:30 on the day" at 06:30 in Shanghai (23:30 the
evening before in Paris, in the member's night), and it is sent then, once, not held forever.

The clock is frozen at each moment that matters and a real worker runs there; the dates are
in the past so that arq, which keeps real time, runs every job at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from club import clock
from club.settings import Settings
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask, ReminderDelivery, ReminderMessage
from events.urls import link
from health_programs import urls
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, step_rows
from tests.reminders.helpers import burst_worker, club_night, queue_of, with_night

HORIZON = 6 * 3600.0
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _run_worker_at(settings: Settings, instant: datetime) -> None:
    with clock.frozen_at(instant):
        async with queue_of(settings) as queue:
            await dispatch(queue, HORIZON)
            await burst_worker(with_night(settings))


async def test_a_paris_member_at_a_shanghai_clinic_gets_every_step_on_the_clinics_clock_and_the_sms_at_night(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    appointment = datetime(2025, 12, 11, 8, 0, tzinfo=SHANGHAI)  # 00:00 UTC; 01:00 in Paris
    camille = await make_member("Camille Dubois", time_zone="Europe/Paris", phone="+33 6 12 34 56 78")
    with club_night(), clock.frozen_at(datetime(2025, 12, 1, 10, 0, tzinfo=UTC)):
        prog = await program(server, coordinator, season_starts_on="2025-01-01")
        shanghai = await clinic(server, coordinator, prog["id"], name="Ruijin International", time_zone="Asia/Shanghai")
        s = await slot(server, coordinator, shanghai["id"], appointment)
        async with server.client(camille.token) as http:
            booking = (await book(http, prog["id"], s["id"])).json()
    rows = await step_rows(booking["rsvp_id"])
    assert [r["channel"] for r in rows] == ["call", "call", "sms", "email"]
    assert [r["due_at"] for r in rows] == [
        # 11:00 in Shanghai three days before is 04:00 in Paris: the call waits for 08:00 there.
        _utc("2025-12-08T07:00"),
        # The day before at 16:00 in Shanghai: 09:00 in Paris, fine as it is.
        _utc("2025-12-10T08:00"),
        # 06:30 on the day in Shanghai: 23:30 in Paris, sent all the same (the member asked to be there).
        _utc("2025-12-10T22:30"),
        # The day after at 10:00 in Shanghai is 03:00 in Paris: 08:00 there.
        _utc("2025-12-12T07:00"),
    ]

    async with server.client(coordinator.token) as http:
        [before] = (await http.get(link(urls.SLOT_BOOKINGS, slot_id=s["id"]))).json()
    assert [(c["channel"], c["status"], c["due_local"][:16]) for c in before["concierge_steps"]] == [
        ("call", "scheduled", "2025-12-08T15:00"),
        ("call", "scheduled", "2025-12-10T16:00"),
        ("sms", "scheduled", "2025-12-11T06:30"),
        ("email", "scheduled", "2025-12-12T15:00"),
    ]

    await _run_worker_at(settings, _utc("2025-12-08T07:00"))
    [confirm] = await CallTask.select().where(CallTask.member == camille.member_id)
    assert confirm["script"].startswith("Call Camille Dubois to confirm the appointment")
    assert "Thu, Dec 11, 2025, 08:00 (Shanghai time)" in confirm["script"]

    await _run_worker_at(settings, _utc("2025-12-10T08:00"))
    assert await CallTask.count().where(CallTask.member == camille.member_id) == 2

    # 23:30 in Paris, inside the member's night: the fasting SMS goes now, once.
    await _run_worker_at(settings, _utc("2025-12-10T22:30"))
    [sms] = await ReminderMessage.select().where(
        (ReminderMessage.member == camille.member_id) & (ReminderMessage.intended_channel == "sms")
    )
    assert sms["created_at"] == _utc("2025-12-10T22:30")
    assert "please do not eat breakfast" in sms["body"]
    assert "today, Thu, Dec 11, 2025, 08:00 (Shanghai time)" in sms["body"]
    sms_row = (await step_rows(booking["rsvp_id"]))[2]
    assert sms_row["status"] == "sent" and sms_row["generation"] == 0  # never re-timed
    assert await ReminderDelivery.count().where(ReminderDelivery.scheduled == sms_row["id"]) == 1

    async with server.client(coordinator.token) as http:
        [after] = (await http.get(link(urls.SLOT_BOOKINGS, slot_id=s["id"]))).json()
    assert [c["status"] for c in after["concierge_steps"]] == ["sent", "sent", "sent", "scheduled"]
    async with server.client(camille.token) as http:
        [mine] = (await http.get(urls.MY_BOOKINGS)).json()
    assert [c["status"] for c in mine["concierge_steps"]] == ["sent", "sent", "sent", "scheduled"]


async def test_a_fasting_sms_due_in_the_members_night_is_sent_by_one_job(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """The fault this replaces: the worker re-timed the SMS to its own moment again and again
    (thousands of jobs, none sent). Now one job sends it and nothing is queued after."""
    appointment = datetime(2025, 12, 11, 8, 0, tzinfo=SHANGHAI)
    members = [await make_member(f"Member {i}", time_zone="Europe/Paris", phone=f"+33 6 00 00 00 {i:02d}") for i in range(5)]
    with club_night(), clock.frozen_at(datetime(2025, 12, 1, 10, 0, tzinfo=UTC)):
        prog = await program(server, coordinator, season_starts_on="2025-01-01")
        shanghai = await clinic(server, coordinator, prog["id"], time_zone="Asia/Shanghai")
        s = await slot(server, coordinator, shanghai["id"], appointment, capacity=5)
        for m in members:
            async with server.client(m.token) as http:
                assert (await book(http, prog["id"], s["id"])).status_code == 201
    await _run_worker_at(settings, _utc("2025-12-10T22:30"))
    assert await ReminderMessage.count().where(ReminderMessage.intended_channel == "sms") == 5
    with clock.frozen_at(_utc("2025-12-10T22:31")):
        async with queue_of(settings) as queue:
            again = await dispatch(queue, HORIZON)
    assert again.enqueued == 0  # nothing left that re-timed itself into the same minute
    # Two minutes later nothing new was sent: each SMS went once.
    await _run_worker_at(settings, _utc("2025-12-10T22:32"))
    assert await ReminderMessage.count().where(ReminderMessage.intended_channel == "sms") == 5
    assert await ReminderDelivery.count().where(ReminderDelivery.channel == "sms") == 5


async def test_the_steps_fall_on_the_clinics_clock_for_a_member_at_home_and_one_abroad_across_the_dst_change(
    server: LiveServer, coordinator: Caller
) -> None:
    """Paris springs forward on Sunday 28 March 2027; the appointment is Monday 29 March, 08:30 in
    Paris (06:30 UTC). Shanghai keeps UTC+8. Both members get the clinic's times; the member
    whose home is Shanghai has the day-before call, 22:00 at home, at 08:00 there instead."""
    with club_night():
        prog = await program(server, coordinator, season_starts_on="2027-01-01")
        paris = await clinic(server, coordinator, prog["id"])
        s = await slot(server, coordinator, paris["id"], datetime(2027, 3, 29, 8, 30, tzinfo=ZoneInfo("Europe/Paris")))
        camille = await make_member("Camille Dubois", time_zone="Europe/Paris")
        mei = await make_member("Mei Huang", time_zone="Asia/Shanghai")
        rsvps = {}
        for m in (camille, mei):
            async with server.client(m.token) as http:
                rsvps[m.member_id] = (await book(http, prog["id"], s["id"])).json()["rsvp_id"]
    expected = {
        # 3 days before at 11:00 (CET, before the change), the day before at 16:00 (CEST, after
        # it), the morning of at 06:30, the day after the end (09:30) at 10:00: all Paris time.
        camille.member_id: ["2027-03-26T10:00", "2027-03-28T14:00", "2027-03-29T04:30", "2027-03-30T08:00"],
        mei.member_id: ["2027-03-26T10:00", "2027-03-29T00:00", "2027-03-29T04:30", "2027-03-30T08:00"],
    }
    for member_id, times in expected.items():
        rows = await step_rows(rsvps[member_id])
        assert [r["due_at"] for r in rows] == [_utc(t) for t in times], member_id
