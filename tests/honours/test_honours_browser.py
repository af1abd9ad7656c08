"""A member finds the leaderboards from their home page on a phone in zh-Hans, is refused an empty
display name, appears under the one they choose, and a coordinator reads the console's board.
Screenshots are left in /tmp/shots (honours-*.png)."""

from __future__ import annotations

from pathlib import Path

from club.honours import urls
from club.points import award
from club.tables import PointsReason
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_chooses_a_name_and_appears_on_the_points_board(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    others = [await make_member(n, language="zh-Hans") for n in ("Li", "Zhao", "Sun")]
    for caller, points, name in zip(others, (800, 450, 450), ("丽丽", "赵先生", "孙女士"), strict=True):
        await award(caller.member_id, points, PointsReason.visit, f"v-{caller.member_id}")  # type: ignore[arg-type]
        async with server.client(caller.token) as http:
            await http.put(urls.MY_HONOURS, json={"opted_in": True, "display_name": name})
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    await award(member.member_id, 300, PointsReason.spend, "r-1")  # type: ignore[arg-type]

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = await (await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)).new_page()
            await phone.goto(f"{server.base_url}/")
            await phone.click("a[href='/honours']")
            await phone.click("a[href='/honours?board=points&period=month']")
            assert await phone.text_content("h1") == "排行榜"
            assert "第 4 名" in (await phone.text_content("#mine") or "")
            assert "仅您本人可见" in (await phone.text_content("#mine") or "")
            board = await phone.locator("ol.board li").all_text_contents()
            assert [b.split("丽")[0] for b in board][:1] == ["1"] and "2赵先生450 积分" in board and "2孙女士450 积分" in board
            await phone.screenshot(path=str(SHOTS / "honours-board.png"), full_page=True)

            await phone.check("#h-opted-in")
            await phone.fill("#h-name", "   ")
            await phone.click("#choice button[type=submit]")
            assert "请设定一个显示名称" in (await phone.text_content("#choice-error") or "")
            await phone.screenshot(path=str(SHOTS / "honours-refused.png"), full_page=True)

            await phone.fill("#h-name", "静静")
            await phone.click("#choice button[type=submit]")
            assert "您的选择已保存" in (await phone.text_content("#choice") or "")
            mine = await phone.locator("ol.board li.me").text_content() or ""
            assert mine.startswith("4静静") and "300 积分" in mine
            assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
            await phone.screenshot(path=str(SHOTS / "honours-saved.png"), full_page=True)

            desk = await (await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)).new_page()
            await desk.goto(f"{server.base_url}{urls.CONSOLE_HONOURS}?board=points&period=year")
            rows = await desk.locator("table.honours tbody tr").all_text_contents()
            assert len(rows) == 4 and "静静" in rows[3] and "王静" in rows[3]
            await desk.screenshot(path=str(SHOTS / "honours-console.png"), full_page=True)
        finally:
            await browser.close()
