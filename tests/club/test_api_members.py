"""What coordinators and members do with members, tiers, points and tokens through the API."""

from __future__ import annotations

from club import urls
from club.tables import ApiToken
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


async def test_a_coordinator_enrols_a_member_who_can_then_sign_in(
    server: LiveServer, coordinator: Caller
) -> None:
    async with server.client(coordinator.token) as http:
        created = await http.post(
            urls.MEMBERS,
            json={"name": "Li Wang", "email": "Li.Wang@Example.com", "time_zone": "Asia/Shanghai",
                  "birthday": "1985-04-12", "language": "zh"},
        )
        assert created.status_code == 201
        member = created.json()
        issued = await http.post(f"/api/users/{member['user_id']}/tokens", json={"label": "phone"})
    assert member["email"] == "li.wang@example.com"
    assert (member["tier"], member["points"], member["status"]) == ("Silver", 0, "active")
    token = issued.json()["token"]
    stored = await ApiToken.select(ApiToken.token_hash).where(ApiToken.id == issued.json()["id"]).first()
    assert token not in stored["token_hash"]  # type: ignore[index]
    async with server.client(token) as http:
        me = (await http.get(urls.ME)).json()
    assert me["id"] == member["id"] and me["time_zone"] == "Asia/Shanghai"


async def test_coordinators_find_members_by_tier_status_and_text(
    server: LiveServer, coordinator: Caller
) -> None:
    gold = await make_member("Sofia Rossi")
    await make_member("Marco Bianchi")
    suspended = await make_member("Hugo Girard")
    async with server.client(coordinator.token) as http:
        await http.post(f"/api/members/{gold.member_id}/points/adjustments", json={"delta": 1500, "reason": "gala spend"})
        await http.post(f"/api/members/{suspended.member_id}/suspend")
        by_tier = (await http.get(urls.MEMBERS, params={"tier": "Gold"})).json()
        by_status = (await http.get(urls.MEMBERS, params={"status": "suspended"})).json()
        by_text = (await http.get(urls.MEMBERS, params={"q": "bianchi"})).json()
        by_nothing = (await http.get(urls.MEMBERS, params={"q": "%"})).json()
    assert [m["name"] for m in by_tier] == ["Sofia Rossi"]
    assert [m["name"] for m in by_status] == ["Hugo Girard"]
    assert [m["name"] for m in by_text] == ["Marco Bianchi"]
    assert len(by_nothing) == 3  # wildcards are dropped from the text: '%' alone finds everyone


async def test_an_adjustment_shows_in_the_ledger_and_promotes(server: LiveServer, coordinator: Caller) -> None:
    m = await make_member()
    async with server.client(coordinator.token) as http:
        result = (
            await http.post(f"/api/members/{m.member_id}/points/adjustments",
                            json={"delta": 5200, "reason": "Paris fashion week host"})
        ).json()
    assert result["tier"] == "Platinum" and result["tier_changed"] is True and result["balance"] == 5200
    async with server.client(m.token) as http:
        ledger = (await http.get(urls.MY_POINTS)).json()
        me = (await http.get(urls.ME)).json()
    assert ledger["balance"] == 5200
    assert [(e["delta"], e["reason"], e["note"]) for e in ledger["entries"]] == [
        (5200, "adjustment", "Paris fashion week host")
    ]
    assert me["tier"] == "Platinum"


async def test_suspend_and_reactivate(server: LiveServer, coordinator: Caller) -> None:
    m = await make_member()
    async with server.client(coordinator.token) as http:
        assert (await http.post(f"/api/members/{m.member_id}/suspend")).json()["status"] == "suspended"
        assert (await http.post(f"/api/members/{m.member_id}/reactivate")).json()["status"] == "active"


async def test_a_member_updates_their_own_contact_details(server: LiveServer) -> None:
    m = await make_member()
    async with server.client(m.token) as http:
        response = await http.patch(urls.ME, json={"phone": "+86 138 0000 0000", "time_zone": "Asia/Shanghai"})
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["time_zone"]) == ("+8613800000000", "Asia/Shanghai")


async def test_coordinators_edit_the_ladder_and_members_see_it(server: LiveServer, coordinator: Caller) -> None:
    m = await make_member()
    async with server.client(coordinator.token) as http:
        await http.post(f"/api/members/{m.member_id}/points/adjustments", json={"delta": 800, "reason": "salon host"})
        tiers = {t["name"]: t for t in (await http.get(urls.TIERS)).json()}
        # Gold now starts at 500: the member with 800 points is promoted at once.
        lowered = await http.patch(f"/api/tiers/{tiers['Gold']['id']}", json={"points_threshold": 500})
        assert lowered.status_code == 200
        out_of_order = await http.patch(f"/api/tiers/{tiers['Gold']['id']}", json={"points_threshold": 20_000})
        in_chinese = await http.patch(f"/api/tiers/{tiers['Gold']['id']}", json={"points_threshold": 20_000},
                                      headers={"Accept-Language": "zh-CN"})
        added = await http.post(urls.TIERS, json={"name": "Black", "rank": 5, "points_threshold": 50_000, "member_cap": 3})
    assert out_of_order.status_code == 400 and "Platinum" in out_of_order.json()["detail"]
    platinum = tiers["Platinum"]["points_threshold"]
    assert in_chinese.json()["detail"] == f"此更改会使等级设置无效：白金卡的积分门槛须高于金卡（{platinum} <= 20000）。"
    assert added.status_code == 201
    async with server.client(m.token) as http:
        ladder = (await http.get(urls.TIERS)).json()
        assert (await http.get(urls.ME)).json()["tier"] == "Gold"
    assert [t["name"] for t in ladder] == ["Silver", "Gold", "Platinum", "Diamond", "Black"]
    assert next(t for t in ladder if t["name"] == "Gold")["holders"] == 1


async def test_a_cap_cannot_drop_below_the_members_holding_the_tier(
    server: LiveServer, coordinator: Caller
) -> None:
    a, b = await make_member(), await make_member()
    async with server.client(coordinator.token) as http:
        for m in (a, b):
            await http.post(f"/api/members/{m.member_id}/points/adjustments", json={"delta": 16_000, "reason": "top client"})
        diamond = next(t for t in (await http.get(urls.TIERS)).json() if t["name"] == "Diamond")
        response = await http.patch(f"/api/tiers/{diamond['id']}", json={"member_cap": 1})
    assert response.status_code == 409
    assert response.json()["holders"] == 2


async def test_coordinators_create_door_staff_with_tokens(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        staff = (await http.post(urls.STAFF, json={"name": "Door One", "email": "door1@club.test"})).json()
        token = (await http.post(f"/api/users/{staff['id']}/tokens", json={"label": "gate A"})).json()["token"]
        duplicate = await http.post(urls.STAFF, json={"name": "Door One", "email": "DOOR1@club.test"})
    assert staff["role"] == "staff"
    assert duplicate.status_code == 409
    async with server.client(token) as http:
        assert (await http.get(urls.ME)).json()["role"] == "staff"
