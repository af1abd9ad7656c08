"""The surveys on the console's measures pages over HTTP in zh-Hans: an event's satisfaction with
its answers' comments, a check-up's without them, and the year by quarter on the Measures page."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from events.tables import Event, EventKind
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.measures import builders
from tests.surveys.helpers import answer, attendee

ZH = {"Accept-Language": "zh-CN"}


async def test_an_events_satisfaction_and_the_years(server: LiveServer, coordinator: Caller) -> None:
    salon = await builders.event(datetime(2026, 5, 10, 18, 0, tzinfo=UTC), title="香氛沙龙")
    checkup = await builders.event(datetime(2026, 5, 12, 1, 0, tzinfo=UTC), kind=EventKind.health_checkup, title="年度体检")
    await Event.update({Event.booked_through: "health_programs"}).where(Event.id == checkup)
    for score, comment in ((10, "讲解很细致"), (9, ""), (4, "座位太挤")):
        member_id, _ = await attendee(salon, "王美")
        await answer(salon, member_id, score, comment)
    member_id, _ = await attendee(checkup, "赵敏")
    await answer(checkup, member_id, 7, "接待周到")
    with clock.frozen_at(datetime(2026, 5, 20, 12, 0, tzinfo=UTC)):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            event = await browser.get(f"/console/events/{salon}/measures")
            private = await browser.get(f"/console/events/{checkup}/measures")
            measures = await browser.get("/console/measures")
    assert event.status_code == 200
    text = event.text
    # 10, 9 and 4: a mean of 7.7, two promoters of three, one detractor: +33.
    assert "满意度回访" in text and '<span class="n" id="survey-answers">3</span>' in text
    assert '<span class="n" id="survey-mean">7.7</span>' in text and '<span class="n" id="survey-net">+33</span>' in text
    assert "讲解很细致" in text and "座位太挤" in text and "推荐者" in text and "批评者" in text
    assert private.status_code == 200 and 'id="survey-private"' in private.text
    assert "接待周到" not in private.text and '<span class="n" id="survey-answers">1</span>' in private.text
    assert measures.status_code == 200
    page = measures.text
    assert "2026 年满意度" in page and "第 2 季度" in page and "全部类型" in page and "净推荐值" in page


async def test_the_satisfaction_in_a_desktop_browser(server: LiveServer, coordinator: Caller) -> None:
    """Debian's Chromium at 1440x900: the event's satisfaction and the year's table, screenshots
    left in /tmp/shots (survey_console_*.png)."""
    from pathlib import Path

    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, signed_in_context
    from tests.console import session_for

    if CHROMIUM is None:
        return
    shots = Path("/tmp/shots")
    shots.mkdir(exist_ok=True)
    salon = await builders.event(datetime(2026, 5, 10, 18, 0, tzinfo=UTC), title="香氛沙龙")
    for score, comment in ((10, "讲解很细致"), (9, ""), (4, "座位太挤")):
        member_id, _ = await attendee(salon, "王美")
        await answer(salon, member_id, score, comment)
    with clock.frozen_at(datetime(2026, 5, 20, 12, 0, tzinfo=UTC)):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
                page = await context.new_page()
                await page.goto(f"{server.base_url}/console/events/{salon}/measures")
                assert await page.inner_text("#survey-net") == "+33"
                await page.screenshot(path=str(shots / "survey_console_event.png"), full_page=True)
                await page.goto(f"{server.base_url}/console/measures")
                rows = await page.locator("table.measures-satisfaction tbody tr").all_inner_texts()
                assert any("第 2 季度" in r and "3" in r for r in rows)
                await page.locator("#satisfaction-heading").scroll_into_view_if_needed()
                await page.screenshot(path=str(shots / "survey_console_year.png"))
            finally:
                await browser.close()
