"""Bad input gets a 4xx problem-details answer, and writes nothing."""

from __future__ import annotations

import pytest

from club import urls
from club.tables import Member, PointsEntry, User
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

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
