"""Trip reminders: the default sequence relative to departure, and per-leg steps timed on each
item's own clock (not the member's), re-timed when the item moves, sent with the item's details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from club.settings import Settings
from events.reminders.delivery import deliver
from events.reminders.tables import ReminderMessage, ScheduledReminder
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, sequence, step
from tests.travel.helpers import add_item, link, rsvp, trip
from travel import urls


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def _item_rows(event_id: int) -> list[dict]:
    return await ScheduledReminder.select().where(
        (ScheduledReminder.event == event_id) & ScheduledReminder.item.is_not_null()
    ).order_by(ScheduledReminder.due_at)


async def test_per_leg_steps_fall_on_each_items_own_clock(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    year = datetime.now(UTC).year + 1
    # Departure 1 March 01:00 UTC (09:00 in Shanghai); the Milan leg 5 March 08:00 UTC (09:00 in Rome).
    event = await trip(server, coordinator, starts=_utc(year, 3, 1, 1, 0), days=10)
    xining = await add_item(server, coordinator, event["id"], _utc(year, 3, 1, 1, 0), title="Depart Xining", meeting_point="Hotel lobby")
    milan = await add_item(server, coordinator, event["id"], _utc(year, 3, 5, 8, 0), title="Milan shows",
                           place="Milan", time_zone="Europe/Rome", meeting_point="Via Montenapoleone 8")
    seq = await sequence(server, coordinator, step(anchor="itinerary_item", offset_days=-1, at_local_time="20:00",
                                                   template="{event_title}, tomorrow: meet at {venue}, {local_time}."))
    await attach(server, coordinator, event["id"], seq["id"])
    # A member who lives in New York: their own clock plays no part in a per-leg step.
    member = await make_member("Grace Kim", time_zone="America/New_York")
    mine = await rsvp(server, member, event["id"])
    rows = await _item_rows(event["id"])
    assert [(r["item"], r["due_at"]) for r in rows] == [
        (xining["id"], _utc(year, 2, 28, 12, 0)),  # 20:00 in Shanghai (UTC+8)
        (milan["id"], _utc(year, 3, 4, 19, 0)),  # 20:00 in Rome (UTC+1)
    ]
    assert {r["schedule_key"] for r in rows} == {f"{mine['id']}:{r['step']}:i{r['item']}" for r in rows}

    # The Milan leg moves to the next day: its step follows on Rome's clock; the Xining leg's
    # step is untouched.
    moved_to = _utc(year, 3, 6, 8, 0)
    async with server.client(coordinator.token) as http:
        moved = await http.patch(link(urls.TRIP_ITEM, item_id=milan["id"]), json={"starts_at": moved_to.isoformat(),
                                 "ends_at": (moved_to + timedelta(hours=3)).isoformat()})
    assert moved.status_code == 200, moved.text
    after = {r["item"]: r for r in await _item_rows(event["id"])}
    assert after[milan["id"]]["due_at"] == _utc(year, 3, 5, 19, 0)
    assert after[milan["id"]]["generation"] == 1 and after[xining["id"]]["generation"] == 0

    # Sent at its time, the message speaks of the leg on the leg's clock, not New York's.
    outcome = await deliver(after[milan["id"]]["id"], 1, awake(settings), now=_utc(year, 3, 5, 19, 0, 1))
    assert outcome == "sent"
    [message] = await ReminderMessage.select().where(ReminderMessage.delivery_key.like("%:i%"))
    assert message["delivery_key"] == f"{mine['id']}:{seq['steps'][0]['id']}:i{milan['id']}:v1"
    assert message["body"] == (
        f"Source of the Yellow River, tomorrow: meet at Via Montenapoleone 8, Milan, "
        f"{datetime(year, 3, 6):%a}, Mar 6, {year}, 09:00 (Rome time)."
    )

    # Removing a leg stops its unsent steps.
    async with server.client(coordinator.token) as http:
        assert (await http.delete(link(urls.TRIP_ITEM, item_id=xining["id"]))).status_code == 204
    gone = await ScheduledReminder.select(ScheduledReminder.status).where(ScheduledReminder.item == xining["id"]).first()
    assert gone is not None and gone["status"] == "cancelled"


async def test_the_default_trip_sequence_counts_from_departure(server: LiveServer, coordinator: Caller) -> None:
    year = datetime.now(UTC).year + 1
    async with server.client(coordinator.token) as http:
        installed = await http.post(urls.TRIP_REMINDER_DEFAULTS)
        again = await http.post(urls.TRIP_REMINDER_DEFAULTS)
    assert installed.status_code == 200, installed.text
    assert again.json()["id"] == installed.json()["id"] and again.json()["default_for_kinds"] == ["trip"]
    event = await trip(server, coordinator, starts=_utc(year, 6, 10, 1, 0), days=5)  # 09:00 in Shanghai
    await add_item(server, coordinator, event["id"], _utc(year, 6, 12, 0, 0))
    member = await make_member("Wang Fang", time_zone="Asia/Shanghai")
    await rsvp(server, member, event["id"])
    rows = await ScheduledReminder.select(ScheduledReminder.due_at, ScheduledReminder.item, ScheduledReminder.channel).where(
        ScheduledReminder.event == event["id"]
    ).where(ScheduledReminder.step.is_not_null()).order_by(ScheduledReminder.due_at)
    assert [(r["due_at"], r["channel"], r["item"] is not None) for r in rows] == [
        (_utc(year, 5, 20, 2, 0), "email", False),  # documents: three weeks ahead, 10:00 in Shanghai
        (_utc(year, 6, 9, 10, 0), "sms", False),  # the day before at 18:00: meeting point and time
        (_utc(year, 6, 9, 22, 30), "sms", False),  # the morning of, 06:30
        (_utc(year, 6, 11, 12, 0), "sms", True),  # the evening before the leg, 20:00 on its clock
    ]
