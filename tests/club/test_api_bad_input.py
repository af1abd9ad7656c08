"""Bad input gets a 4xx problem-details answer, and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from club import urls
from club.tables import Member, PointsEntry, User
from events import urls as event_urls
from events.tables import Event, OutboxMessage
from health_programs.tables import HealthProgram
from tests.conftest import LiveServer
from tests.events.helpers import event_body, published_event
from tests.factories import Caller, make_member
from tests.health.helpers import clinic, program, slot, slot_in

GOOD = {"name": "Wei Zhang", "email": "wei@example.com"}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({**GOOD, "name": 5}, "wrong type"),
        ({**GOOD, "email": ["a@b.c"]}, "wrong type"),
        ({**GOOD, "shoe_size": 42}, "unknown field"),
        ({**GOOD, "tier": "Diamond"}, "tier is not settable"),
        ({**GOOD, "points": 100000}, "points are not settable"),
        ({**GOOD, "name": "x" * 10_000}, "huge string"),
        ({**GOOD, "name": ""}, "empty name"),
        ({**GOOD, "email": "not-an-email"}, "bad email"),
        ({**GOOD, "birthday": "1990-02-30"}, "impossible date"),
        ({**GOOD, "birthday": "yesterday"}, "not a date"),
        ({**GOOD, "birthday": "2999-01-01"}, "future birthday"),
        ({**GOOD, "time_zone": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({**GOOD, "time_zone": "../../etc/passwd"}, "path as time zone"),
        ({**GOOD, "language": "klingon-of-doom!"}, "bad language tag"),
        ({**GOOD, "referred_by": 987654}, "unknown referrer"),
        ({"email": "wei@example.com"}, "missing name"),
    ],
)
async def test_bad_member_is_refused_and_nothing_is_written(
    server: LiveServer, coordinator: Caller, body: dict, why: str
) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.MEMBERS, json=body)
    assert response.status_code == 400, (why, response.text)
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["status"] == 400 and problem["type"].startswith("/problems/")
    assert problem["detail"]
    assert await Member.count() == 0
    assert await User.count().where(User.email == "wei@example.com") == 0


async def test_malformed_json_is_a_400(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(
            urls.MEMBERS, content=b'{"name": "Wei", ', headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/validation-error"


async def test_an_oversized_body_is_refused_before_parsing(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.MEMBERS, json={**GOOD, "name": "x" * 200_000})
    assert response.status_code == 413
    assert await Member.count() == 0


async def test_a_duplicate_email_is_a_conflict(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        assert (await http.post(urls.MEMBERS, json=GOOD)).status_code == 201
        again = await http.post(urls.MEMBERS, json={**GOOD, "email": "WEI@example.com"})
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/conflict"
    assert await Member.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"tier": "Diamond"},
        {"tier_id": 4},
        {"points": 99_999},
        {"queued_tier": 4},
        {"name": "ok", "tier": "Diamond"},
    ],
)
async def test_a_patch_cannot_set_tier_or_points(
    server: LiveServer, coordinator: Caller, body: dict
) -> None:
    m = await make_member("Chloé Moreau")
    async with server.client(coordinator.token) as http:
        response = await http.patch(f"/api/members/{m.member_id}", json=body)
        after = (await http.get(f"/api/members/{m.member_id}")).json()
    assert response.status_code == 400
    assert after["tier"] == "Silver" and after["points"] == 0 and after["name"] == "Chloé Moreau"
    assert await PointsEntry.count() == 0


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (urls.MEMBERS, {"limit": "many"}),
        (urls.MEMBERS, {"limit": "0"}),
        (urls.MEMBERS, {"limit": "100000"}),
        (urls.MEMBERS, {"status": "royalty"}),
        (urls.MEMBERS, {"q": "x" * 1000}),
    ],
)
async def test_bad_query_parameters_are_400(
    server: LiveServer, coordinator: Caller, path: str, params: dict
) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 400, response.text


async def test_unknown_ids_are_404_problems(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        for response in (
            await http.get("/api/members/424242"),
            await http.patch("/api/members/424242", json={"name": "x"}),
            await http.get("/api/members/424242/points"),
            await http.post("/api/members/424242/points/adjustments", json={"delta": 5, "reason": "gift"}),
            await http.patch("/api/tiers/424242", json={"name": "x"}),
            await http.delete("/api/tokens/424242"),
            await http.get("/api/nowhere"),
        ):
            assert response.status_code == 404, response.text
            assert response.json()["type"] == "/problems/not-found"


async def test_a_member_cannot_change_their_email_or_birthday_themselves(server: LiveServer) -> None:
    m = await make_member()
    async with server.client(m.token) as http:
        for body in ({"email": "new@example.com"}, {"birthday": "1990-01-01"}, {"status": "active"}):
            response = await http.patch(urls.ME, json=body)
            assert response.status_code == 400, body
        bad_zone = await http.patch(urls.ME, json={"time_zone": "Nowhere/Land"})
    assert bad_zone.status_code == 400
    assert "time zone" in bad_zone.json()["detail"]


# --- What no column can hold: far dates, ids beyond int32, NUL text, deep JSON, long names ---


def _refused(response: httpx.Response, status: int = 400) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("far", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
async def test_an_event_at_a_far_date_is_refused_and_the_list_still_works(
    server: LiveServer, coordinator: Caller, member: Caller, field: str, far: str
) -> None:
    async with server.client(coordinator.token) as http:
        body = _refused(await http.post(event_urls.EVENTS, json=event_body(**{field: far})))
    assert field in body["errors"][0]["message"]
    assert await Event.count() == 0
    await published_event(server, coordinator)
    async with server.client(member.token) as http:
        listed = await http.get(event_urls.EVENTS)
    assert listed.status_code == 200 and len(listed.json()) == 1


async def test_a_far_dated_event_left_from_before_fails_to_publish_or_cancel_without_committing(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    # A row as the old code let it in: its answer cannot be built (the venue's clock overflows).
    created = await published_event(server, coordinator)
    draft = (await Event.insert(Event(**{**_row_of(created), "status": "draft"})).returning(Event.id))[0]["id"]
    await Event.update({Event.ends_at: datetime(9999, 12, 31, 23, 59, tzinfo=UTC)}).where(Event.id.is_in([draft, created["id"]]))
    async with server.client(coordinator.token) as http:
        published = await http.post(event_urls.link(event_urls.EVENT_PUBLISH, event_id=draft))
        cancelled = await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=created["id"]))
    assert published.status_code >= 400 and cancelled.status_code >= 400
    statuses = {r["id"]: r["status"] for r in await Event.select(Event.id, Event.status)}
    assert statuses == {draft: "draft", created["id"]: "published"}
    assert await OutboxMessage.count() == 0
    # And the API can repair them: a coordinator moves each end back into range.
    async with server.client(coordinator.token) as http:
        for event_id in (draft, created["id"]):
            repaired = await http.patch(event_urls.link(event_urls.EVENT, event_id=event_id), json={"ends_at": created["ends_at"]})
            assert repaired.status_code == 200, repaired.text
    async with server.client(member.token) as http:
        listed = await http.get(event_urls.EVENTS)
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [created["id"]]


def _row_of(event: dict) -> dict:
    return {
        k: event[k]
        for k in ("kind", "title", "description", "venue", "venue_time_zone", "capacity", "max_guests", "waitlist_policy", "version")
    } | {"starts_at": datetime.fromisoformat(event["starts_at"]), "ends_at": datetime.fromisoformat(event["ends_at"])}


async def test_ids_beyond_int32_in_a_path_are_404(server: LiveServer, member: Caller, coordinator: Caller) -> None:
    async with server.client(member.token) as http:
        for path in ("/api/rsvps/2147483648/ticket", "/api/rsvps/99999999999999999999/ticket.png", "/api/events/0"):
            assert _refused(await http.get(path), 404)["type"] == "/problems/not-found"
    async with server.client(coordinator.token) as http:
        _refused(await http.patch("/api/members/2147483648", json={"name": "x"}), 404)


async def test_an_id_beyond_int32_in_a_body_is_400(server: LiveServer, coordinator: Caller) -> None:
    m = await make_member()
    async with server.client(m.token) as http:
        for slot_id in (99999999999999999, 2147483648, 0):
            _refused(await http.post("/api/health-programs/1/bookings", json={"slot_id": slot_id}))
    async with server.client(coordinator.token) as http:
        _refused(await http.post(urls.MEMBERS, json={**GOOD, "referred_by": 2147483648}))
    assert await Member.count() == 1


@pytest.mark.parametrize("field", ["title", "venue", "description"])
async def test_nul_in_event_text_is_400_and_nothing_is_stored(server: LiveServer, coordinator: Caller, field: str) -> None:
    async with server.client(coordinator.token) as http:
        body = _refused(await http.post(event_urls.EVENTS, json=event_body(**{field: "Perfume\x00salon"})))
    assert "NUL" in body["detail"] and field in body["detail"]
    assert await Event.count() == 0


async def test_nul_in_a_query_or_a_nested_field_is_400(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        _refused(await http.get(urls.MEMBERS, params={"q": "Wei\x00"}))
        _refused(await http.get(urls.MEMBERS, params={"tier": "\x00"}))
        sequence = {"name": "S", "steps": [{"channel": "sms", "template": "Hello\x00"}]}
        assert "steps[0].template" in _refused(await http.post("/api/reminder-sequences", json=sequence))["detail"]


async def test_json_nested_10000_deep_is_400(server: LiveServer, coordinator: Caller) -> None:
    deep = b'{"name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    async with server.client(coordinator.token) as http:
        for path in (urls.MEMBERS, event_urls.EVENTS):
            body = _refused(await http.post(path, content=deep, headers={"content-type": "application/json"}))
            assert "nested too deeply" in body["detail"]
    assert await Member.count() == 0 and await Event.count() == 0


async def test_the_longest_programme_and_clinic_names_fit_their_columns(server: LiveServer, coordinator: Caller) -> None:
    name = "P" * 200
    created = await program(server, coordinator, name=name)
    place = await clinic(server, coordinator, created["id"], name="C" * 200)
    made = await slot(server, coordinator, place["id"], slot_in(timedelta(days=3)))
    assert created["name"] == name and made["clinic_name"] == "C" * 200
    assert await HealthProgram.count() == 1
