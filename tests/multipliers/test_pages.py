"""The console's multipliers page and the member's bonus-day page, through their forms, and who may
call the multipliers' routes."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.multipliers import urls
from club.multipliers.tables import BonusDay, TierMultiplier
from club.tables import Member, Role, Tier
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member, make_user
from tests.pages import csrf_of, page_client, sign_in
from tests.support import guarded_routes


async def test_a_coordinator_sets_a_tiers_factor_and_schedules_a_member_day(server: LiveServer, coordinator: Caller) -> None:
    diamond = await Tier.select(Tier.id).where(Tier.name == "Diamond").first()
    assert diamond is not None
    with clock.frozen_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as http:
            shown = await http.get(urls.CONSOLE_MULTIPLIERS)
            assert shown.status_code == 200 and "积分倍数" in shown.text
            token = csrf_of(shown.text)
            done = await http.post(f"{urls.CONSOLE_MULTIPLIERS}/tiers", data={
                "_csrf_token": token, "tier_id": str(diamond["id"]), "kind": "attendance", "factor": "2"})
            assert done.status_code == 303, done.text
            bad = await http.post(f"{urls.CONSOLE_MULTIPLIERS}/tiers", data={
                "_csrf_token": token, "tier_id": str(diamond["id"]), "kind": "attendance", "factor": "0.5"})
            assert bad.status_code == 400 and "倍数须大于 1" in bad.text
            day = await http.post(f"{urls.CONSOLE_MULTIPLIERS}/bonus-days", data={
                "_csrf_token": token, "name": "会员日", "date": "2026-12-12", "factor": "1.5", "kinds": ["attendance", "spend"]})
            assert day.status_code == 303, day.text
            listed = await http.get(urls.CONSOLE_MULTIPLIERS)
            assert "×2" in listed.text and "会员日" in listed.text and "×1.5" in listed.text
    assert await TierMultiplier.count() == 1
    row = await BonusDay.select(BonusDay.kinds, BonusDay.factor).first()
    assert row == {"kinds": "attendance,spend", "factor": 1500}


async def test_a_member_chooses_their_bonus_day_on_their_page(server: LiveServer) -> None:
    member = await make_member("Lin Yue", language="zh-Hans")
    assert member.member_id
    with clock.frozen_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        async with page_client(server.base_url, **{"Accept-Language": "zh-CN"}) as http:
            row = await Member.select(Member.email).where(Member.id == member.member_id).first()
            assert row is not None
            await sign_in(http, row["email"], member.member_id)
            shown = await http.get(urls.MY_BONUS_DAY_PAGE)
            assert shown.status_code == 200 and "我的专属加倍日" in shown.text, shown.text
            chosen = await http.post(urls.MY_BONUS_DAY_PAGE, data={"_csrf_token": csrf_of(shown.text), "date": "2026-12-20"})
            assert chosen.status_code == 303
            again = await http.get(chosen.headers["location"])
            assert "2026-12-20" in again.text and "已保存" in again.text


async def test_members_and_staff_are_refused_the_multipliers_routes(server: LiveServer) -> None:
    member, staff = await make_member(), await make_user(Role.staff)
    routes = [r for r in guarded_routes(server.app) if r[1].startswith("/api/multipliers")]
    assert len(routes) == 5, routes
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for method, path in routes:
                assert (await http.request(method, path, json={})).status_code == 403, (method, path)
    async with server.client(staff.token) as http:
        assert (await http.get(urls.MY_BONUS_DAY)).status_code == 403  # a member's own, and staff are no member
