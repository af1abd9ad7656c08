"""The survey goes through the reminders: a step anchored on the event's end that carries
{survey_link}, on the venue's clock, held out of each member's night on their own clock, and
sent, at the send, only to who checked in, each with their own link.

A Paris salon on Thursday 10 December 2026, 19:00 to 21:00 (18:00 to 20:00 UTC); the survey step
is "the day after the end at 10:00", Paris's 10:00 (09:00 UTC). The clock is frozen at the
moments that matter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from checkin.tables import CheckIn
from club import clock
from club.settings import Settings
from events.reminders import urls
from events.reminders.delivery import deliver
from events.reminders.tables import ReminderMessage, ScheduledReminder
from events.urls import link
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.measures.builders import admit
from tests.reminders.helpers import attach, club_night, rsvp, sequence, step, with_night

SURVEY = step(
    anchor="event_end", offset_days=1, at_local_time="10:00", quiet_hours="hold",
    subject="{event_title}", template="Dear {member_name}, how was {event_title}? {survey_link}",
)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _salon(server: LiveServer, coordinator: Caller) -> dict:
    start = datetime(2026, 12, 10, 19, 0, tzinfo=ZoneInfo("Europe/Paris"))
    return await published_event(server, coordinator, title="Salon des parfums", venue_time_zone="Europe/Paris",
                                 starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat())


async def _row(event_id: int, member_id: int) -> dict:
    row = await ScheduledReminder.select().where(
        (ScheduledReminder.event == event_id) & (ScheduledReminder.member == member_id) & ScheduledReminder.step.is_not_null()
    ).first()
    assert row is not None
    return row


async def test_only_who_checked_in_gets_the_survey_each_with_their_own_link(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    came = await make_member("Lin Yue", language="zh-Hans")
    stayed_home = await make_member("Absent Member")
    undone = await make_member("Admitted By Mistake")
    with clock.frozen_at(_utc("2026-12-01T10:00")):
        seq = await sequence(server, coordinator, SURVEY)
        salon = await _salon(server, coordinator)
        await attach(server, coordinator, salon["id"], seq["id"])
        rsvps = {m.member_id: (await rsvp(server, m, salon["id"]))["id"] for m in (came, stayed_home, undone)}
    await admit(salon["id"], rsvps[came.member_id], came.member_id, _utc("2026-12-10T18:05"))
    await admit(salon["id"], rsvps[undone.member_id], undone.member_id, _utc("2026-12-10T18:06"), reverted=True)
    # Planned for everyone confirmed, on Paris's clock: whether it goes is decided at the send.
    for m in (came, stayed_home, undone):
        assert (await _row(salon["id"], m.member_id))["due_at"] == _utc("2026-12-11T09:00")
    with clock.frozen_at(_utc("2026-12-11T09:00")):
        outcomes = {}
        for m in (came, stayed_home, undone):
            row = await _row(salon["id"], m.member_id)
            outcomes[m.member_id] = await deliver(row["id"], row["generation"], settings)
    assert outcomes == {came.member_id: "sent", stayed_home.member_id: "absent", undone.member_id: "absent"}
    for m in (stayed_home, undone):
        row = await _row(salon["id"], m.member_id)
        assert (row["status"], row["status_reason"]) == ("skipped", "the member did not check in: a survey goes only to who came")
    [message] = await ReminderMessage.select().where(ReminderMessage.delivery_key.not_like("outbox:%"))
    assert message["member"] == came.member_id
    assert message["body"].startswith("Dear Lin Yue, how was Salon des parfums? http://testserver/s/")
    # The coordinator's schedule says why the others got nothing.
    async with server.client(coordinator.token) as http:
        schedule = (await http.get(link(urls.EVENT_REMINDERS, event_id=salon["id"]))).json()
    assert {r["member_id"]: r["status"] for r in schedule if r["step_id"]} == {
        came.member_id: "sent", stayed_home.member_id: "skipped", undone.member_id: "skipped"}
    # The link opens the member's own survey, in their language.
    path = message["body"].split("http://testserver", 1)[1]
    async with httpx.AsyncClient(base_url=server.base_url) as browser:
        page = await browser.get(path)
    assert page.status_code == 200 and page.headers["content-language"] == "zh-Hans"
    assert "满意度回访" in page.text and "Salon des parfums" in page.text


async def test_the_survey_respects_the_members_night_on_their_own_clock(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    """Paris's 10:00 is 04:00 in New York: held to 08:00 there (13:00 UTC), Paris's 14:00."""
    paris = await make_member("Paris", time_zone="Europe/Paris")
    new_york = await make_member("New York", time_zone="America/New_York")
    with club_night(), clock.frozen_at(_utc("2026-12-01T10:00")):
        seq = await sequence(server, coordinator, SURVEY)
        salon = await _salon(server, coordinator)
        await attach(server, coordinator, salon["id"], seq["id"])
        rsvps = {m.member_id: (await rsvp(server, m, salon["id"]))["id"] for m in (paris, new_york)}
    for m in (paris, new_york):
        await admit(salon["id"], rsvps[m.member_id], m.member_id, _utc("2026-12-10T18:05"))
    assert (await _row(salon["id"], paris.member_id))["due_at"] == _utc("2026-12-11T09:00")
    late = await _row(salon["id"], new_york.member_id)
    assert late["due_at"] == _utc("2026-12-11T13:00")
    with clock.frozen_at(_utc("2026-12-11T13:00")):
        assert await deliver(late["id"], late["generation"], with_night(settings)) == "sent"
    assert await CheckIn.count() == 2


async def test_a_survey_step_is_anchored_on_the_end_and_is_read_not_called(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        for wrong in ({"anchor": "event_start", "offset_days": 1}, {"channel": "call"}):
            answer = await http.post(urls.SEQUENCES, json={"name": "Survey", "steps": [{**SURVEY, **wrong}]})
            assert answer.status_code == 400, answer.text
            assert "survey link" in answer.json()["detail"]
