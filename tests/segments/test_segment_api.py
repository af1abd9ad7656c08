"""The segments' API over real HTTP: a coordinator saves a segment, previews it, sends to it;
the deliveries go once per member, in their language, minding preferences and the night."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from checkin.segments.delivery import deliver_due
from checkin.segments.tables import SegmentDelivery
from club import clock
from club.settings import Settings
from events.reminders.preferences import MessageKind, set_preferences
from events.reminders.tables import Channel
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.segments.helpers import build_club, messages_of

SEGMENT = {"name": "Platinum, all", "tier": "Platinum"}
SEND = {
    "key": "spring-salon", "subject": "A salon for you, {member_name}", "body": "Dear {member_name}, the spring salon awaits.",
    "texts": {"zh_Hans": {"subject": "{member_name}，沙龙邀请", "body": "尊敬的{member_name}，春季沙龙诚邀您。"}},
}


async def _segment(server: LiveServer, coordinator: Caller, body: Mapping[str, object] = SEGMENT) -> int:
    async with server.client(coordinator.token) as http:
        made = await http.post("/api/segments", json=body)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def test_a_coordinator_saves_lists_and_previews_a_segment(server: LiveServer, coordinator: Caller) -> None:
    await build_club()
    segment_id = await _segment(server, coordinator, {"name": "Dormant Platinum", "tier": "Platinum", "activity": "dormant"})
    async with server.client(coordinator.token) as http:
        listed = (await http.get("/api/segments")).json()
        shown = (await http.get(f"/api/segments/{segment_id}/preview")).json()
    assert [(s["name"], s["tier"], s["activity"]) for s in listed] == [("Dormant Platinum", "Platinum", "dormant")]
    # Bo and Dora today (the real clock): neither came in the last 180 days.
    assert shown["members"] == 2 and [m["name"] for m in shown["first"]] == ["Bo", "Dora"]


async def test_bad_segments_are_refused_with_a_problem(server: LiveServer, coordinator: Caller) -> None:
    await _segment(server, coordinator, {"name": "Taken"})
    async with server.client(coordinator.token) as http:
        taken = await http.post("/api/segments", json={"name": "Taken"})
        no_tier = await http.post("/api/segments", json={"name": "x", "tier": "Obsidian"})
        empty = await http.post("/api/segments", json={"name": "y", "min_points": 10, "max_points": 5})
        rate = await http.post("/api/segments", json={"name": "z", "min_no_show_rate": 1.5})
        city = await http.post("/api/segments", json={"name": "w", "city": "Shanghai"})
        missing = await http.get("/api/segments/999/preview")
    assert taken.status_code == 409
    assert {r.status_code for r in (no_tier, empty, rate, city)} == {400}
    assert missing.status_code == 404
    for r in (taken, no_tier, empty, rate, city, missing):
        assert r.headers["content-type"].startswith("application/problem+json"), r.text


async def test_a_send_reaches_each_member_once_in_their_language(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    club = await build_club()
    segment_id = await _segment(server, coordinator)
    async with server.client(coordinator.token) as http:
        first = await http.post(f"/api/segments/{segment_id}/sends", json=SEND)
        again = await http.post(f"/api/segments/{segment_id}/sends", json=SEND)
        bad = await http.post(f"/api/segments/{segment_id}/sends", json={**SEND, "key": "b", "body": "{event_title}"})
        call = await http.post(f"/api/segments/{segment_id}/sends", json={**SEND, "key": "c", "channel": "call"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and first.json()["members"] == 3  # Amélie, Bo, Dora
    assert (bad.status_code, call.status_code) == (400, 400)
    assert await deliver_due(settings) == 3
    assert await deliver_due(settings) == 0  # run again: nothing more
    [bo] = await messages_of(club.ids["Bo"])
    assert (bo["subject"], bo["body"]) == ("Bo，沙龙邀请", "尊敬的Bo，春季沙龙诚邀您。")
    [amelie] = await messages_of(club.ids["Amélie"])
    assert amelie["subject"] == "A salon for you, Amélie"
    assert await messages_of(club.ids["Chen"]) == [] and await messages_of(club.ids["Fei"]) == []
    async with server.client(coordinator.token) as http:
        state = (await http.get(f"/api/segment-sends/{first.json()['id']}")).json()
    assert (state["sent"], state["pending"], state["skipped"]) == (3, 0, 0)


async def test_a_member_who_turned_these_off_is_skipped(server: LiveServer, coordinator: Caller, settings: Settings) -> None:
    club = await build_club()
    await set_preferences(club.ids["Bo"], {MessageKind.segment: frozenset({Channel.sms})})
    segment_id = await _segment(server, coordinator)
    async with server.client(coordinator.token) as http:
        send = (await http.post(f"/api/segments/{segment_id}/sends", json=SEND)).json()
    assert await deliver_due(settings) == 2
    assert await messages_of(club.ids["Bo"]) == []
    skipped = await SegmentDelivery.select().where((SegmentDelivery.send == send["id"]) & (SegmentDelivery.member == club.ids["Bo"]))
    assert skipped[0]["status"] == "skipped"


async def test_the_night_holds_a_delivery_until_the_members_morning(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    club = await build_club()
    night = replace(settings, quiet_hours_start="21:00", quiet_hours_end="08:00")
    segment_id = await _segment(server, coordinator, {"name": "Dora", "tier": "Platinum", "max_points": 0})
    async with server.client(coordinator.token) as http:
        assert (await http.post(f"/api/segments/{segment_id}/sends", json=SEND)).status_code == 201
    # Dora lives in Paris (UTC+1 in December): 23:30 there is the night.
    late = datetime(2027, 1, 5, 22, 30, tzinfo=UTC)
    with clock.frozen_at(late):
        assert await deliver_due(night, late) == 0
    assert await messages_of(club.ids["Dora"]) == []
    [held] = await SegmentDelivery.select().where(SegmentDelivery.member == club.ids["Dora"])
    assert clock.aware(held["due_at"]) == datetime(2027, 1, 6, 7, 0, tzinfo=UTC)  # 08:00 in Paris
    assert await deliver_due(night, datetime(2027, 1, 6, 6, 59, tzinfo=UTC)) == 0
    assert await deliver_due(night, datetime(2027, 1, 6, 7, 0, tzinfo=UTC)) == 1
    assert len(await messages_of(club.ids["Dora"])) == 1
