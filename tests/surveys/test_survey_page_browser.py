"""The survey page in a real headless Chromium at phone size, in Chinese: the form from the
member's link, a send without a score refused beside the scores, a score tapped and a comment
typed, and the thanks. Chromium is Debian's package (tests/browser.py); the screenshots are left
in /tmp/shots (survey_form.png, survey_refused.png, survey_thanks.png).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from checkin.surveys.tables import SurveyAnswer
from club.settings import Settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.measures import builders
from tests.surveys.helpers import attendee, survey_path

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_answers_on_their_phone_in_chinese(server: LiveServer, settings: Settings) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    salon = await builders.event(datetime(2026, 12, 10, 11, 0, tzinfo=UTC), title="香氛沙龙 · 外滩源一号")
    member_id, _ = await attendee(salon, "王美", language="zh-Hans", time_zone="Asia/Shanghai")
    link = server.base_url + await survey_path(settings, salon, member_id)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                          locale="zh-CN")
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            response = await page.goto(link)
            assert response is not None and response.status == 200
            assert await page.text_content("h1") == "满意度回访"
            assert await page.text_content("#title") == "香氛沙龙 · 外滩源一号"
            # Every score a touch target of at least 44 px, all eleven on the phone's width.
            sizes = await page.evaluate(
                "() => [...document.querySelectorAll('.score span')].map(s => s.getBoundingClientRect().toJSON())")
            assert len(sizes) == 11 and all(s["height"] >= 44 and s["width"] >= 44 for s in sizes)
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "survey_form.png"), full_page=True)

            await page.fill("#comment", "香氛讲解很细致，座位略挤。")
            async with page.expect_navigation():
                await page.click("button[type=submit]")
            assert "请选择 0 至 10 分。" in (await page.text_content("#score-error") or "")
            assert await page.input_value("#comment") == "香氛讲解很细致，座位略挤。"
            await page.screenshot(path=str(SHOTS / "survey_refused.png"), full_page=True)

            await page.click("label.score:has(#score-9)")
            assert await page.is_checked("#score-9")
            async with page.expect_navigation():
                await page.click("button[type=submit]")
            assert await page.text_content("h1") == "感谢您的回复"
            assert await page.text_content("#given-score") == "9 / 10"
            await page.screenshot(path=str(SHOTS / "survey_thanks.png"), full_page=True)
            assert all(url == link for url in requested), requested  # nothing from another host
        finally:
            await browser.close()
    [stored] = await SurveyAnswer.select()
    assert (stored["score"], stored["comment"]) == (9, "香氛讲解很细致，座位略挤。")
