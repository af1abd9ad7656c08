"""The default concierge sequence: a full run through a real worker: call tasks with the preparation script, the fasting SMS, call
outcomes and notes seen by the member and coordinators only, and never written to the logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from club import clock
from club.settings import Settings
from events.reminders import urls as reminder_urls
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask, ReminderMessage
from events.urls import link
from health_programs import urls
from health_programs.tables import HealthAccessAudit
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, slot_in, step_rows
from tests.reminders.helpers import awake, burst_worker, queue_of

HORIZON = 6 * 3600.0
NOTE = "prefers the left arm; wife drives her, ref 7QX-ZEBRA"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_changed_preparation_reaches_the_scripts_and_texts_not_yet_sent(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator)
    async with server.client(coordinator.token) as http:
        changed = await http.patch(
            link(urls.PROGRAM_PREPARATION, program_id=prog["id"]), json={"fasting_hours": 0, "avoid": ""}
        )
        refused = await http.patch(link(urls.PROGRAM_PREPARATION, program_id=prog["id"]), json={"diagnosis": "x"})
        sequence = (await http.get(link(reminder_urls.SEQUENCE, sequence_id=prog["reminder_sequence_id"]))).json()
    assert changed.status_code == 200 and refused.status_code == 400
    assert changed.json()["preparation"]["text"] == "No fasting is needed. Bring: your passport and last year's letter."
    assert sequence["preparation"] == changed.json()["preparation"]["text"]
    sms = next(s for s in sequence["steps"] if s["channel"] == "sms")
    assert "breakfast" not in sms["template"] and "no fasting is needed" in sms["template"]


async def test_a_full_concierge_run_keeps_notes_for_the_member_and_coordinators_and_out_of_the_logs(
    server: LiveServer, settings: Settings, coordinator: Caller, staff: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # Booked at 11:30 in Paris for 14:30 the same day (a past day, so arq runs the jobs at once):
    # the two calls and the morning SMS are due at once; the follow-up tomorrow.
    with clock.frozen_at(datetime(2026, 6, 10, 11, 30, tzinfo=ZoneInfo("Europe/Paris"))):
        prog = await program(server, coordinator, season_starts_on="2026-01-01")
        paris = await clinic(server, coordinator, prog["id"])
        s = await slot(server, coordinator, paris["id"], slot_in(timedelta(hours=3)))
        guest = await make_member("Wei Zhang", time_zone="Asia/Shanghai", phone="+86 138 0000 0000")
        other = await make_member("Someone Else")
        async with server.client(guest.token) as http:
            booking = (await book(http, prog["id"], s["id"])).json()
        async with queue_of(settings) as queue:
            await dispatch(queue, HORIZON)
            await burst_worker(awake(settings))
    # Both calls fell due at once, so the worker may have made either first: tell them by script.
    tasks = await CallTask.select().where(CallTask.member == guest.member_id)
    [confirm] = [t for t in tasks if t["script"].startswith("Call Wei Zhang to confirm the appointment")]
    [prepare] = [t for t in tasks if t["id"] != confirm["id"]]
    assert "Nothing to eat for 10 hours" in prepare["script"] and "passport" in prepare["script"]
    [sms] = await ReminderMessage.select().where(
        (ReminderMessage.member == guest.member_id) & (ReminderMessage.intended_channel == "sms")
    )
    assert "please do not eat breakfast" in sms["body"] and "alcohol and coffee" in sms["body"]
    assert sms["recipient"] == "+8613800000000"  # typed with spaces, sent in E.164
    assert [r["status"] for r in await step_rows(booking["rsvp_id"])] == ["sent", "sent", "sent", "scheduled"]

    async with server.client(coordinator.token) as http:
        calls = (await http.get(urls.CALLS)).json()
        generic = (await http.get(reminder_urls.CALL_TASKS, params={"include_done": True})).json()
        recorded = await http.post(
            link(urls.CALL_OUTCOME, task_id=prepare["id"]), json={"outcome": "reached", "note": NOTE}
        )
        read_back = (await http.get(link(urls.MEMBER_BOOKINGS, member_id=guest.member_id))).json()
        audit = (await http.get(urls.ACCESS_AUDIT, params={"member_id": guest.member_id})).json()
    assert sorted((c["id"], c["booking_id"]) for c in calls) == sorted(
        [(confirm["id"], booking["id"]), (prepare["id"], booking["id"])]
    )
    assert generic == []  # health calls are worked (and read) only on the audited list
    assert recorded.status_code == 200 and recorded.json()["note"] == NOTE
    assert {c["id"]: c["note"] for c in read_back[0]["calls"]} == {confirm["id"]: "", prepare["id"]: NOTE}
    # The call list read and the bookings read, both by this coordinator, newest first.
    assert [(a["what"], a["reader_user_id"]) for a in audit] == [("bookings", coordinator.user_id), ("call-list", coordinator.user_id)]

    async with server.client(guest.token) as http:
        mine = (await http.get(urls.MY_BOOKINGS)).json()
    assert {c["id"]: (c["outcome"], c["note"]) for c in mine[0]["calls"]} == {
        confirm["id"]: (None, ""), prepare["id"]: ("reached", NOTE)
    }
    for intruder, code in ((other, 404), (staff, 403)):
        async with server.client(intruder.token) as http:
            response = await http.get(link(urls.BOOKING, booking_id=booking["id"]))
            assert response.status_code == code and NOTE not in response.text
    async with server.client(staff.token) as http:
        assert (await http.get(reminder_urls.CALL_TASKS)).status_code == 403
        assert (await http.get(urls.CALLS)).status_code == 403
    # The member reading their own booking is not an access to audit.
    assert await HealthAccessAudit.count().where(HealthAccessAudit.member == guest.member_id) == 2

    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = "\n".join(formatter.format(r) + repr(r.__dict__) for r in caplog.records)
    assert len(caplog.records) > 10  # the flow was logged (the worker, the reminders) ...
    assert "ref 7QX-ZEBRA" not in logged  # ... and the note nowhere in it
