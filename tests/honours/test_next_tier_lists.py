"""The points to the next tier in the coordinator's lists of members (the console's member search, a
segment's first members, by page and by API), and on a member's points page where the next tier also
asks a yearly spend: the bar goes as far as the lesser of the points and the spend, and the ladder
says the spend a tier asks."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from checkin.segments import urls as segment_urls
from club import clock, urls
from club.points import award
from club.spend import urls as spend_urls
from club.tables import PointsReason
from club.tiers import load_ladder
from tests.conftest import LiveServer
from tests.console import console_client, session_for
from tests.factories import Caller, make_member
from tests.pages import page_client
from tests.spend.helpers import receipt

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_ROW = re.compile(r'<a href="/console/members/\d+">([^<]*)</a>.*?<td class="next-tier-cell">([^<]*)</td>', re.DOTALL)


async def _three_members(server: LiveServer, coordinator: Caller) -> dict[str, Caller]:
    """林一 680 points (320 to Gold); 林二 Diamond; 林三 Platinum, 1,200 points and ¥38,000 of spend from
    Diamond, once Diamond asks ¥50,000 a year."""
    one, two, three = [await make_member(n, language="zh-Hans") for n in ("林一", "林二", "林三")]
    await award(one.member_id, 680, PointsReason.visit, "v1")  # type: ignore[arg-type]
    await award(two.member_id, 16_000, PointsReason.visit, "v2")  # type: ignore[arg-type]
    diamond = next(r for r in await load_ladder() if r.name == "Diamond")
    async with server.client(coordinator.token) as http:
        asked = await http.patch(urls.TIER.replace("{tier_id:int}", str(diamond.id)),
                                 json={"spend_threshold": 5_000_000, "spend_currency": "CNY"})
        assert asked.status_code == 200, asked.text
        bought = await http.post(spend_urls.RECEIPTS, json=receipt(three.member_id, amount_minor=1_200_000))
        assert bought.status_code == 201, bought.text
    await award(three.member_id, 1_800, PointsReason.visit, "v3")  # type: ignore[arg-type]
    return {"林一": one, "林二": two, "林三": three}


WANTED = {"林一": "距金卡还差 320 积分", "林二": "已是最高等级", "林三": "距钻石卡还差 1,200 积分及 ¥38,000 消费"}


async def test_the_member_search_and_a_segment_say_each_members_next_tier(server: LiveServer, coordinator: Caller) -> None:
    with clock.frozen_at(NOW):
        await _three_members(server, coordinator)
        async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as desk:
            found = await desk.get("/console/members", params={"q": "林"})
            assert found.status_code == 200, found.text
            assert "下一等级" in found.text
            assert {name: html.unescape(cell) for name, cell in _ROW.findall(found.text)} == WANTED
            async with server.client(coordinator.token) as http:
                made = await http.post(segment_urls.SEGMENTS, json={"name": "林氏", "min_points": 600})
                assert made.status_code == 201, made.text
                path = segment_urls.SEGMENT_PREVIEW.replace("{segment_id:int}", str(made.json()["id"]))
                first = {m["name"]: m["next_tier"] for m in (await http.get(path)).json()["first"]}
            assert first["林一"] == {"state": "to_go", "tier": "Gold", "points": 320}
            assert first["林二"] == {"state": "top", "tier": None, "points": 0}
            assert first["林三"] == {"state": "to_go", "tier": "Diamond", "points": 1_200, "spend_threshold": 5_000_000,
                                   "spend_currency": "CNY", "spend": 1_200_000}
            page = await desk.get(segment_urls.CONSOLE_SEGMENT.replace("{segment_id:int}", str(made.json()["id"])))
    assert page.status_code == 200, page.text
    assert {name: html.unescape(cell) for name, cell in _ROW.findall(page.text)} == WANTED


async def test_the_points_page_bar_waits_for_the_spend_and_the_ladder_says_it(server: LiveServer, coordinator: Caller) -> None:
    with clock.frozen_at(NOW):
        three = (await _three_members(server, coordinator))["林三"]
        async with page_client(server.base_url) as pages:
            pages.cookies.set("club_session", await session_for(three))
            points = (await pages.get("/points")).text
    # 13,800 points are 88% of the way from Platinum (5,000) to Diamond (15,000), but ¥12,000 is 24% of ¥50,000.
    assert 'aria-valuenow="24"' in points and "width:24%" in points
    assert "<dt>钻石卡</dt><dd>15,000 积分起，且近12个月消费满 ¥50,000</dd>" in points
    assert "<dt>金卡</dt><dd>1,000 积分起</dd>" in points
