"""The points to the next tier beside every balance: the member's record and points (/api/me,
/api/me/points, /api/members/{id}, …/points, an adjustment's answer) and every page that shows a
balance (home, points, rewards, my redemptions, a reward's confirmation, the console's member page),
one shared function saying how many points lack, that a full tier queues, and nothing at the top."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from club import clock, urls
from club.honours.next_tier import next_tier_of
from club.honours.rules import NextTier, NextTierState
from club.points import award
from club.rewards import urls as reward_urls
from club.spend import urls as spend_urls
from club.tables import PointsReason
from club.tiers import load_ladder
from tests.conftest import LiveServer
from tests.console import console_client, session_for
from tests.factories import Caller, make_member
from tests.pages import page_client
from tests.rewards.helpers import make_reward
from tests.spend.helpers import receipt
from tests.test_query_counts import counting_statements

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_NEXT = re.compile(r'id="next-tier">([^<]*)<')


async def test_the_api_says_the_points_to_the_next_tier_beside_every_balance(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("Lin Yu")
    await award(member.member_id, 680, PointsReason.visit, "v")  # type: ignore[arg-type]
    gold = {"state": "to_go", "tier": "Gold", "points": 320}
    async with server.client(member.token) as http:
        assert (await http.get(urls.ME)).json()["next_tier"] == gold
        assert (await http.get(urls.MY_POINTS)).json()["next_tier"] == gold
    async with server.client(coordinator.token) as http:
        path = urls.MEMBER.replace("{member_id:int}", str(member.member_id))
        assert (await http.get(path)).json()["next_tier"] == gold
        assert (await http.get(f"{path}/points")).json()["next_tier"] == gold
        listed = (await http.get(urls.MEMBERS)).json()
        assert next(m for m in listed if m["id"] == member.member_id)["next_tier"] == gold
        adjusted = await http.post(f"{path}/points/adjustments", json={"delta": 20, "reason": "a kind gesture"})
        assert adjusted.status_code == 201, adjusted.text
        assert adjusted.json()["next_tier"] == {"state": "to_go", "tier": "Gold", "points": 300}


async def test_a_full_tier_queues_and_the_top_has_nothing_above(server: LiveServer, coordinator: Caller) -> None:
    top = await make_member("Diamond holder")
    await award(top.member_id, 16_000, PointsReason.spend, "r-top")  # type: ignore[arg-type]
    assert await next_tier_of(top.member_id) == NextTier(NextTierState.top, None, 0)  # type: ignore[arg-type]
    diamond = next(r for r in await load_ladder() if r.name == "Diamond")
    async with server.client(coordinator.token) as http:
        capped = await http.patch(urls.TIER.replace("{tier_id:int}", str(diamond.id)), json={"member_cap": 1})
        assert capped.status_code == 200, capped.text
    waiting = await make_member("Waiting", language="zh-Hans")
    await award(waiting.member_id, 20_000, PointsReason.spend, "r-wait")  # type: ignore[arg-type]
    async with server.client(waiting.token) as http:
        me = (await http.get(urls.ME)).json()
    assert (me["tier"], me["queued_for_tier"]) == ("Platinum", "Diamond")
    assert me["next_tier"] == {"state": "queued", "tier": "Diamond", "points": 0}
    async with server.client(top.token) as http:
        assert (await http.get(urls.MY_POINTS)).json()["next_tier"] == {"state": "top", "tier": None, "points": 0}
    async with page_client(server.base_url, **{"Accept-Language": "zh-CN"}) as pages:
        pages.cookies.set("club_session", await session_for(waiting))
        home = (await pages.get("/")).text
    assert _NEXT.findall(home) == ["您的积分已达钻石卡标准；该等级名额已满，您已在候补名单中，有名额时即为您升级。"]


async def test_every_page_that_shows_a_balance_shows_the_points_to_the_next_tier(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王静", language="zh-Hans")
    await award(member.member_id, 680, PointsReason.visit, "v")  # type: ignore[arg-type]
    reward = await make_reward(server, coordinator, price=100)
    wanted = "距金卡还差 320 积分"
    async with page_client(server.base_url) as pages:
        pages.cookies.set("club_session", await session_for(member))
        for path in ("/", "/points", reward_urls.REWARDS_PAGE, reward_urls.MY_REDEMPTIONS_PAGE, f"/rewards/{reward['id']}"):
            answer = await pages.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            assert _NEXT.findall(answer.text) == [wanted], path
    async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as desk:
        answer = await desk.get(f"/console/members/{member.member_id}")
    assert answer.status_code == 200 and _NEXT.findall(answer.text) == [wanted]


async def test_a_next_tier_asking_a_yearly_spend_says_the_spend_beside_the_points(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("陈雅", language="zh-Hans")
    diamond = next(r for r in await load_ladder() if r.name == "Diamond")
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as http:
            asked = await http.patch(urls.TIER.replace("{tier_id:int}", str(diamond.id)),
                                     json={"spend_threshold": 5_000_000, "spend_currency": "CNY"})  # ¥50,000
            assert asked.status_code == 200, asked.text
            # ¥12,000 at the till earns 12,000 points; 1,800 more come from visits: Platinum, 1,200 short of Diamond.
            bought = await http.post(spend_urls.RECEIPTS, json=receipt(member.member_id, amount_minor=1_200_000))
            assert bought.status_code == 201, bought.text
        await award(member.member_id, 1_800, PointsReason.visit, "v")  # type: ignore[arg-type]
        short = {"state": "to_go", "tier": "Diamond", "points": 1_200, "spend_threshold": 5_000_000, "spend_currency": "CNY",
                 "spend": 1_200_000}
        async with server.client(member.token) as http:
            me = (await http.get(urls.ME)).json()
            assert (me["tier"], me["next_tier"]) == ("Platinum", short)
            assert (await http.get(urls.MY_POINTS)).json()["next_tier"] == short
        async with server.client(coordinator.token) as http:
            listed = (await http.get(urls.MEMBERS)).json()
            assert next(m for m in listed if m["id"] == member.member_id)["next_tier"] == short
        async with page_client(server.base_url) as pages:
            pages.cookies.set("club_session", await session_for(member))
            assert _NEXT.findall((await pages.get("/points")).text) == ["距钻石卡还差 1,200 积分；另需近12个月消费满 ¥50,000（目前 ¥12,000）"]
            # The points are there; the spend is not: still Platinum.
            await award(member.member_id, 1_200, PointsReason.visit, "v2")  # type: ignore[arg-type]
            assert _NEXT.findall((await pages.get("/")).text) == ["您的积分已达钻石卡标准；另需近12个月消费满 ¥50,000（目前 ¥12,000）"]
            assert _NEXT.findall((await pages.get(reward_urls.MY_REDEMPTIONS_PAGE)).text) == [
                "您的积分已达钻石卡标准；另需近12个月消费满 ¥50,000（目前 ¥12,000）"]
            async with server.client(coordinator.token) as http:
                reached = await http.post(spend_urls.RECEIPTS, json=receipt(member.member_id, "R-1002", amount_minor=3_800_000))
                assert reached.status_code == 201, reached.text
            assert _NEXT.findall((await pages.get("/")).text) == ["您已是俱乐部最高等级会员。"]
        async with server.client(member.token) as http:
            me = (await http.get(urls.ME)).json()
    assert (me["tier"], me["next_tier"]) == ("Diamond", {"state": "top", "tier": None, "points": 0})


async def _counted_me(server: LiveServer, who: Caller) -> tuple[int, Any]:
    """The statements GET /api/me sends (tests/test_query_counts' counter), and its answer."""
    async with server.client(who.token) as http:
        with counting_statements() as count:
            answer = await http.get(urls.ME)
    assert answer.status_code == 200, answer.text
    return count.statements, answer.json()


async def test_api_me_reads_the_spend_in_one_more_statement_only_where_the_next_tier_asks_one(
    server: LiveServer, coordinator: Caller,
) -> None:
    platinum = await make_member("Platinum")
    await award(platinum.member_id, 6_000, PointsReason.visit, "v")  # type: ignore[arg-type]
    gold = await make_member("Gold")
    await award(gold.member_id, 1_500, PointsReason.visit, "v")  # type: ignore[arg-type]
    before = [(await _counted_me(server, who))[0] for who in (platinum, gold)]
    diamond = next(r for r in await load_ladder() if r.name == "Diamond")
    async with server.client(coordinator.token) as http:
        asked = await http.patch(urls.TIER.replace("{tier_id:int}", str(diamond.id)),
                                 json={"spend_threshold": 5_000_000, "spend_currency": "CNY"})
        assert asked.status_code == 200, asked.text
    statements, me = await _counted_me(server, platinum)
    assert statements == before[0] + 1 and me["next_tier"]["spend"] == 0
    # Gold's next tier (Platinum) asks no spend: nothing more is read.
    statements, me = await _counted_me(server, gold)
    assert statements == before[1] and "spend" not in me["next_tier"]
