"""The console's measures over HTTP in zh-Hans: the Measures page of a month, a refused month
beside its field, an event's figures, and the member's measures on their console page."""

from __future__ import annotations

from club import clock
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.measures.builders import at
from tests.measures.scene import build_december

ZH = {"Accept-Language": "zh-CN"}


async def test_the_measures_page_of_a_month(server: LiveServer, coordinator: Caller) -> None:
    d = await build_december()
    with clock.frozen_at(at(20, 12)):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            page = await browser.get("/console/measures")
            november = await browser.get("/console/measures", params={"month": "2026-11"})
            refused = await browser.get("/console/measures", params={"month": "2026-13"})
    assert page.status_code == 200 and 'lang="zh-Hans"' in page.text
    text = page.text
    assert '<a href="/console/measures" aria-current="page">运营指标</a>' in text
    # The kinds' table: salons 2 held and 1 cancelled, 9 of 30 seats held (30%); the trip half full.
    assert "另有 1 场已取消" in text and "9 / 30" in text and "30%" in text and "50%" in text
    # The events' table links each event's figures; the draft is not there.
    assert f"/console/events/{d.salon_a}/measures" in text and "Draft E" not in text
    assert "2 位候补中 1 位转正" in text
    # Segments per tier, with the thresholds in words.
    assert "会员活跃度" in text and "近 90 天内到场" in text
    assert november.status_code == 200 and "Salon F" in november.text and "Salon A" not in november.text
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
    assert "须为月份" in refused.text and "Salon A" not in refused.text


async def test_an_events_figures_and_a_members_measures(server: LiveServer, coordinator: Caller) -> None:
    d = await build_december()
    with clock.frozen_at(at(20, 12)):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            event = await browser.get(f"/console/events/{d.salon_a}/measures")
            draft = await browser.get(f"/console/events/{d.draft_e}/measures")
            cancelled = await browser.get(f"/console/events/{d.salon_c}/measures")
            member = await browser.get(f"/console/members/{d.m[1]}")
            # The event's own page links its figures; a draft's has none to link.
            event_page = await browser.get(f"/console/events/{d.salon_a}")
            draft_page = await browser.get(f"/console/events/{d.draft_e}")
            no_show = await browser.get(f"/console/members/{d.m[8]}")
    assert event.status_code == 200
    assert "活动数据：Salon A" in event.text and "90%" in event.text and "3小时" in event.text
    assert draft.status_code == 404
    assert f'href="/console/events/{d.salon_a}/measures" id="figures-link">活动数据</a>' in event_page.text
    assert draft_page.status_code == 200 and 'id="figures-link"' not in draft_page.text
    assert cancelled.status_code == 200 and "此活动已由会所取消" in cancelled.text
    assert member.status_code == 200
    panel = member.text.split('id="measures-title"')[1].split("</section>")[0]
    assert "活跃" in panel and "推荐积分" in panel and "500" in panel and "-50" in panel
    assert "最近一次到场：2026年12月10日" in panel
    missed = no_show.text.split('id="measures-title"')[1].split("</section>")[0]
    assert "沉睡" in missed and "100%" in missed and "尚未到场参加任何活动" in missed
