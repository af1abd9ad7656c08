"""The new measures on the console in zh-Hans: the waits on an event's figures and in the kinds'
table, the year's survey responses, renewal per tier and referrals on the Measures page, and a
member's months, earned points and tier history on their console page."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checkin.measures.tables import TierChangeEntry
from club import clock
from club.tables import Member, Referral
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.measures.builders import at, member, tier_id
from tests.measures.scene import build_december

ZH = {"Accept-Language": "zh-CN"}


async def test_the_new_measures_on_the_console(server: LiveServer, coordinator: Caller) -> None:
    d = await build_december()
    # m1 was Silver when 2026 began and is Gold now (the change as the trigger writes it); m2 was
    # referred by m1 in December and converted.
    await Member.update({Member.tier: await tier_id("Silver")}).where(Member.id == d.m[1])
    await TierChangeEntry.delete(force=True)
    await TierChangeEntry.insert(TierChangeEntry(member=d.m[1], from_tier=await tier_id("Silver"),
                                                 to_tier=await tier_id("Gold"), changed_at=at(3, 9, month=6)))
    await Member.update({Member.tier: await tier_id("Gold")}).where(Member.id == d.m[1])
    referred = await member("Referred", referred_by=d.m[1], joined_on=date(2026, 12, 2))
    await Referral.insert(Referral(member=referred, referrer=d.m[1], points=500, earned_by="enrolment",
                                   earned_at=datetime(2026, 12, 2, 10, tzinfo=UTC)))
    with clock.frozen_at(at(20, 12)):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            page = await browser.get("/console/measures")
            event = await browser.get(f"/console/events/{d.salon_a}/measures")
            m1 = await browser.get(f"/console/members/{d.m[1]}")
    assert page.status_code == 200, page.text
    text = page.text
    assert "等候时长中位数" in text and "最长等候" in text
    assert "2026 年满意度回访回复" in text and "第 4 季度" in text
    renewal = text.split('id="retention-heading"')[1].split("</section>")[0]
    assert "2026 年各等级续级情况" in renewal and "银卡" in renewal
    referrals = text.split('id="referrals-heading"')[1].split("</section>")[0]
    assert "2026年12月" in referrals and "100%" in referrals
    assert event.status_code == 200 and "等候时长中位数" in event.text and event.text.count("3小时") >= 3
    panel = m1.text.split('id="measures-title"')[1].split("</section>")[0]
    assert "每月末活跃度" in panel and "2026年11月" in panel and "等级变更记录" in panel
    assert "银卡 → 金卡" in panel and "获得" in panel
