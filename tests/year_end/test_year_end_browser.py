"""A coordinator writes the year-end table on the console, reads the preview and gives the year's
rewards; a member then finds theirs, with its code, on their phone. In Debian's Chromium, in
zh-Hans (the console at a desk's size, the member at 390x844). Screenshots: /tmp/shots/year_end-*.png."""

from __future__ import annotations

from pathlib import Path

from club import clock
from club.year_end.tables import YearEndAward
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member
from tests.year_end.helpers import DECEMBER, JANUARY, give_points_at

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_coordinator_gives_the_years_rewards_and_a_member_sees_theirs(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    wang = await make_member("王芳", language="zh-Hans", time_zone="Asia/Shanghai")
    li = await make_member("李静", language="zh-Hans", time_zone="Asia/Shanghai")
    await give_points_at(wang.member_id, 32_000, DECEMBER)  # type: ignore[arg-type]
    await give_points_at(li.member_id, 12_500, DECEMBER)  # type: ignore[arg-type]

    with clock.frozen_at(JANUARY):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                desk = await (await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)).new_page()
                await desk.goto(f"{server.base_url}/console/year-end?year=2026")
                assert await desk.text_content("h1") == "年终礼遇"
                await desk.fill("input[name=min_balance_0]", "30,000")
                await desk.fill("input[name=percent_0]", "3")
                await desk.fill("input[name=min_balance_1]", "1")
                await desk.fill("input[name=percent_1]", "2")
                await desk.click("text=保存规则表")
                await desk.wait_for_selector("text=规则表已保存。")
                preview = await desk.text_content("#preview") or ""
                assert "3% 礼券" in preview and "960 CNY" in preview and "250 CNY" in preview, preview
                await desk.screenshot(path=str(SHOTS / "year_end-console-preview.png"), full_page=True)
                await desk.click("#run")
                await desk.wait_for_selector("#run-done")
                assert (await desk.text_content("#run-done") or "").strip() == "2 位会员已获得年终礼遇。"
                await desk.screenshot(path=str(SHOTS / "year_end-console-given.png"), full_page=True)

                phone = await (await signed_in_context(browser, server.base_url, await session_for(wang), **PHONE)).new_page()
                await phone.goto(f"{server.base_url}/")
                home = await phone.text_content(".home-year-end") or ""
                assert "您的 2026 年度年终礼遇" in home and "面值 960 CNY 的礼券" in home
                await phone.goto(f"{server.base_url}/year-end")
                code = (await phone.text_content("#year-end-2026 .voucher-code") or "").strip()
                assert assert_code(code) == (await YearEndAward.select(YearEndAward.voucher_code).where(
                    YearEndAward.member == wang.member_id).first())["voucher_code"]  # type: ignore[index]
                assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
                await phone.screenshot(path=str(SHOTS / "year_end-member.png"), full_page=True)
            finally:
                await browser.close()


def assert_code(code: str) -> str:
    assert len(code) == 19 and code.count("-") == 3, code
    return code
