"""The reminders API: sequences, attaching, kind defaults, the schedule in each member's zone,
late joiners from the waitlist, the call list and the embedded outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from club.accounts import Principal
from club.errors import NotFound
from club.settings import Settings
from club.tables import Role
from events import urls as event_urls
from events.reminders import urls
from events.reminders.delivery import deliver
from events.reminders.scheduling import event_schedule
from events.reminders.tables import Anchor, CallOutcome, CallStatus, Channel, QuietPolicy, ScheduledReminder
from events.tables import EventKind
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, event_starting_in, rsvp, sequence, step


def _link(template: str, **params: object) -> str:
    return event_urls.link(template, **params)


async def test_coordinators_build_sequences_and_bad_templates_are_refused(server: LiveServer, coordinator: Caller) -> None:
    made = await sequence(
        server, coordinator,
        step(offset_days=-1, at_local_time="18:00", channel="call", template="Call {member_name}: {preparation}"),
        step(anchor="appointment", offset_minutes=-180, channel="sms", template="{preparation}", quiet_hours="drop"),
        name="Check-up care", preparation="No food after midnight.",
    )
    assert [s["position"] for s in made["steps"]] == [1, 2] and made["steps"][1]["quiet_hours"] == "drop"
    async with server.client(coordinator.token) as http:
        bad = await http.post(urls.SEQUENCES, json={"name": "x", "steps": [step(template="Hi {member_name} {salary}")]})
        assert bad.status_code == 400 and "salary" in bad.json()["detail"]
        for body in (
            {"name": "x", "steps": []},
            {"name": "x", "steps": [step(channel="pigeon")]},
            {"name": "x", "steps": [step(at_local_time="25:00")]},
            {"name": "x", "steps": [step(offset_days=10_000)]},
            {"name": "x", "steps": [step(shoe_size=42)]},
        ):
            response = await http.post(urls.SEQUENCES, json=body)
            assert response.status_code == 400, (body, response.text)
        listed = (await http.get(urls.SEQUENCES)).json()
        assert [s["id"] for s in listed] == [made["id"]]
        deleted = await http.delete(_link(urls.SEQUENCE, sequence_id=made["id"]))
        assert deleted.status_code == 204
        assert (await http.get(_link(urls.SEQUENCE, sequence_id=made["id"]))).status_code == 404


async def test_members_and_staff_cannot_touch_reminders(server: LiveServer, member: Caller, staff: Caller) -> None:
    routes = [
        ("GET", urls.SEQUENCES), ("POST", urls.SEQUENCES), ("GET", urls.KIND_DEFAULTS), ("GET", urls.OUTBOX),
        ("GET", urls.CALL_TASKS), ("PUT", _link(urls.EVENT_SEQUENCE, event_id=1, sequence_id=1)),
        ("GET", _link(urls.EVENT_REMINDERS, event_id=1)), ("POST", _link(urls.CALL_TASK_OUTCOME, task_id=1)),
    ]
    for who in (member, staff):
        async with server.client(who.token) as http:
            for method, path in routes:
                response = await http.request(method, path, json={})
                assert response.status_code == 403, (method, path)


async def test_the_day_before_at_18_00_is_18_00_at_the_venue_for_members_in_shanghai_and_paris(server: LiveServer, coordinator: Caller) -> None:
    event = await event_starting_in(server, coordinator, timedelta(days=10), venue_time_zone="Asia/Tokyo")
    made = await sequence(server, coordinator, step(offset_days=-1, at_local_time="18:00"))
    await attach(server, coordinator, event["id"], made["id"])
    mei = await make_member("Mei Huang", time_zone="Asia/Shanghai")
    camille = await make_member("Camille Dubois", time_zone="Europe/Paris")
    for m in (mei, camille):
        await rsvp(server, m, event["id"])
    async with server.client(coordinator.token) as http:
        schedule = (await http.get(_link(urls.EVENT_REMINDERS, event_id=event["id"]))).json()
    steps = {r["member_id"]: r for r in schedule if r["step_id"] is not None}
    tokyo = ZoneInfo("Asia/Tokyo")
    day_before = (datetime.fromisoformat(event["starts_at"]).astimezone(tokyo) - timedelta(days=1)).date()
    for m in (mei, camille):
        local = datetime.fromisoformat(steps[m.member_id]["due_at"]).astimezone(tokyo)
        assert (local.date(), local.strftime("%H:%M")) == (day_before, "18:00")


async def test_kind_defaults_apply_unless_the_event_has_its_own(server: LiveServer, coordinator: Caller) -> None:
    default = await sequence(server, coordinator, step(offset_days=-2), name="Salon default")
    own = await sequence(server, coordinator, step(offset_days=-3), step(offset_days=-1), name="Own")
    plain = await event_starting_in(server, coordinator, timedelta(days=10))
    special = await event_starting_in(server, coordinator, timedelta(days=10))
    async with server.client(coordinator.token) as http:
        response = await http.put(_link(urls.KIND_DEFAULT, kind="salon"), json={"sequence_ids": [default["id"]]})
        assert response.status_code == 200 and response.json()["sequence_ids"] == [default["id"]]
        assert (await http.put(_link(urls.KIND_DEFAULT, kind="salon"), json={"sequence_ids": [999]})).status_code == 400
        assert (await http.put(_link(urls.KIND_DEFAULT, kind="opera"), json={"sequence_ids": []})).status_code == 400
    await attach(server, coordinator, special["id"], own["id"])
    m = await make_member()
    await rsvp(server, m, plain["id"])
    await rsvp(server, m, special["id"])
    steps_of = {}
    for e in (plain, special):
        rows = await ScheduledReminder.select(ScheduledReminder.step).where(
            (ScheduledReminder.event == e["id"]) & ScheduledReminder.step.is_not_null()
        )
        steps_of[e["id"]] = len(rows)
    assert steps_of == {plain["id"]: 1, special["id"]: 2}
    # Detaching stops the unsent steps; the event falls back to its kind's default.
    async with server.client(coordinator.token) as http:
        detached = await http.delete(_link(urls.EVENT_SEQUENCE, event_id=special["id"], sequence_id=own["id"]))
        assert detached.status_code == 200 and detached.json() == []
        schedule = (await http.get(_link(urls.EVENT_REMINDERS, event_id=special["id"]))).json()
    statuses = sorted(r["status"] for r in schedule if r["step_id"] is not None)
    assert statuses == ["cancelled", "cancelled", "scheduled"]


async def test_a_member_promoted_late_gets_only_the_steps_meant_for_late_joiners(server: LiveServer, coordinator: Caller) -> None:
    event = await event_starting_in(server, coordinator, timedelta(hours=20), capacity=1)
    made = await sequence(
        server, coordinator,
        step(offset_days=-1, send_to_late_joiners=True, template="Welcome aboard, {member_name}"),
        step(offset_days=-1, offset_minutes=30, send_to_late_joiners=False),
        step(offset_minutes=-60),
    )
    await attach(server, coordinator, event["id"], made["id"])
    first, second = await make_member("First"), await make_member("Second")
    taken = await rsvp(server, first, event["id"])
    waiting = await rsvp(server, second, event["id"])
    assert waiting["status"] == "waitlisted"
    assert await ScheduledReminder.count().where((ScheduledReminder.rsvp == waiting["id"]) & ScheduledReminder.step.is_not_null()) == 0
    async with server.client(first.token) as http:
        assert (await http.delete(_link(event_urls.RSVP, rsvp_id=taken["id"]))).status_code == 200
    rows = await ScheduledReminder.select().where(
        (ScheduledReminder.rsvp == waiting["id"]) & ScheduledReminder.step.is_not_null()
    ).order_by(ScheduledReminder.step)
    assert [r["status"] for r in rows] == ["scheduled", "skipped", "scheduled"]
    now = datetime.now(UTC)
    assert abs((rows[0]["due_at"] - now).total_seconds()) < 30  # from the moment of promotion
    assert rows[2]["due_at"] == datetime.fromisoformat(event["starts_at"]) - timedelta(minutes=60)
    assert "joined after" in rows[1]["status_reason"]


async def test_call_tasks_land_on_the_call_list_and_no_answer_comes_back_later(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    event = await event_starting_in(server, coordinator, timedelta(days=3), kind="health_checkup", title="Annual check-up")
    made = await sequence(
        server, coordinator, step(offset_days=-3, channel="call", template="Remind {member_name}: {preparation}"),
        preparation="No food after midnight.",
    )
    await attach(server, coordinator, event["id"], made["id"])
    member = await make_member("Li Wei", phone="+86 138 0000 0000")
    await rsvp(server, member, event["id"])
    [row] = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null())
    assert await deliver(row["id"], row["generation"], awake(settings)) == "sent"
    async with server.client(coordinator.token) as http:
        [task] = (await http.get(urls.CALL_TASKS)).json()
        assert task["script"] == "Remind Li Wei: No food after midnight."
        assert task["phone"] == "+8613800000000" and task["event_title"] == "Annual check-up"
        path = _link(urls.CALL_TASK_OUTCOME, task_id=task["id"])
        again = (await http.post(path, json={"outcome": "no_answer", "retry_in_minutes": 90})).json()
        assert again["status"] == "open" and again["attempts"] == 1
        assert datetime.fromisoformat(again["due_at"]) > datetime.now(UTC) + timedelta(minutes=89)
        done = (await http.post(path, json={"outcome": "reached", "note": "Will come fasting."})).json()
        assert done["status"] == "done" and done["outcome"] == "reached"
        assert (await http.post(path, json={"outcome": "reached"})).status_code == 409
        assert (await http.post(path, json={"outcome": "maybe"})).status_code == 400
        assert (await http.get(urls.CALL_TASKS)).json() == []
        assert len((await http.get(urls.CALL_TASKS, params={"include_done": True})).json()) == 1


async def test_coordinators_read_the_embedded_outbox(server: LiveServer, settings: Settings, coordinator: Caller) -> None:
    event = await event_starting_in(server, coordinator, timedelta(days=3))
    made = await sequence(server, coordinator, step(offset_days=-5, channel="sms", template="See you at {venue}"))
    await attach(server, coordinator, event["id"], made["id"])
    member = await make_member("Sofia Rossi", phone="+39 333 000 0000")
    await rsvp(server, member, event["id"])
    [row] = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null())
    assert await deliver(row["id"], row["generation"], awake(settings)) == "sent"
    async with server.client(coordinator.token) as http:
        [message] = (await http.get(urls.OUTBOX)).json()
    assert message["intended_channel"] == "sms" and message["recipient"] == "+393330000000"
    assert message["body"] == "See you at Maison, 12 rue Cambon"


async def test_the_schedule_service_refuses_a_member_as_if_the_event_did_not_exist(
    server: LiveServer, coordinator: Caller
) -> None:
    """The schedule names who comes: the service itself refuses, not only the route's guard."""
    event = await event_starting_in(server, coordinator, timedelta(days=3))
    made = await sequence(server, coordinator, step(offset_days=-1))
    await attach(server, coordinator, event["id"], made["id"])
    member = await make_member("Curious")
    await rsvp(server, member, event["id"])
    as_member = Principal(user_id=member.user_id, role=Role.member, name="Curious", member_id=member.member_id)
    with pytest.raises(NotFound) as refused:
        await event_schedule(event["id"], as_member)
    assert str(refused.value) == f"Event {event['id']} does not exist."
    as_coordinator = Principal(user_id=coordinator.user_id, role=Role.coordinator, name="Coordinator", member_id=None)
    assert [r.member_id for r in await event_schedule(event["id"], as_coordinator) if r.step_id is not None] == [member.member_id]


async def test_the_schema_lists_the_reminder_vocabularies(server: LiveServer) -> None:
    """Anchors, channels, quiet policies, event kinds and call outcomes and statuses come from their Enums, so a client
    generated from the schema knows every value (and no Literal copy can drift from them)."""
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]

    def values(node: dict[str, Any]) -> set[str]:
        if "$ref" in node:
            return values(components[node["$ref"].rsplit("/", 1)[-1]])
        found = set(node.get("enum", []))
        for arm in node.get("oneOf", []) + node.get("anyOf", []):
            found |= values(arm)
        return found

    def allowed(struct: str, field: str) -> set[str]:
        return values(components[struct]["properties"][field])

    assert allowed("StepIn", "anchor") == allowed("StepOut", "anchor") == {a.value for a in Anchor}
    assert allowed("StepIn", "channel") == allowed("StepOut", "channel") == {c.value for c in Channel}
    assert allowed("StepIn", "quiet_hours") == {q.value for q in QuietPolicy}
    assert allowed("KindDefaultsOut", "kind") == {k.value for k in EventKind}
    outcomes = {o.value for o in CallOutcome}
    assert allowed("CallOutcomeIn", "outcome") == allowed("CallTaskOut", "outcome") == allowed("HealthCallOut", "outcome") == outcomes
    assert allowed("CallTaskOut", "status") == allowed("HealthCallOut", "status") == allowed("CallOut", "status") == {s.value for s in CallStatus}
    put = schema["paths"][urls.KIND_DEFAULT.replace(":str", "")]["put"]
    [kind] = [p for p in put["parameters"] if p["name"] == "kind"]
    assert values(kind["schema"]) == {k.value for k in EventKind}
