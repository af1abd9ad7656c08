"""A coordinator's members and tiers in Debian's Chromium at 1440x900, in zh-Hans: a search by a part
of a name, the member's page, points adjusted with a reason, the membership suspended from its
disclosure (the member's browser signed out), an enrolment refused beside its field, the ladder
with the queue for Diamond. Nothing is fetched from another host.

Screenshots are left in /tmp (console_members_*.png) to look at; none is committed.
"""

from __future__ import annotations

from pathlib import Path

from club.points import adjust
from club.schemas import TierUpdate
from club.tables import Tier
from club.tiers import update_tier
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp")


async def test_a_coordinator_finds_adjusts_and_suspends_a_member(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    wang = await make_member("王芳", email="wang.fang@maison.example", phone="+8613800138000", language="zh-Hans",
                             time_zone="Asia/Shanghai")
    await make_member("王芳华", phone="+8613987654321", language="zh-Hans")
    await make_member("李静", phone="+85291234567", language="zh-Hant")
    diamond = (await Tier.select(Tier.id).where(Tier.name == "Diamond").first() or {})["id"]
    await update_tier(diamond, TierUpdate(member_cap=1))
    for name in ("陈雅", "赵敏"):  # the first holds Diamond, the second waits for it
        member = await make_member(name, language="zh-Hans")
        await adjust(member.member_id, 15_500, "年度消费积分", coordinator.user_id)  # type: ignore[arg-type]
    member_cookie = await session_for(wang)
    assert wang.member_id is not None

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))

            await page.goto(f"{server.base_url}/console/members")
            assert "会员" in await page.inner_text("h1")
            await page.fill("#q", "芳")
            await page.press("#q", "Enter")
            await page.wait_for_url("**/console/members?q=*")
            names = await page.locator("table.member-results tbody td:first-child a").all_inner_texts()
            assert names == ["王芳", "王芳华"]
            await page.screenshot(path=str(SHOTS / "console_members_search.png"), full_page=True)

            await page.click("text=王芳 >> nth=0")
            await page.wait_for_selector("#points-heading")
            await page.fill("#delta", "500")
            await page.fill("#reason", "生日礼遇补发")
            await page.click("form.points-adjust button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "积分已调整。" in await page.inner_text(".notice")
            assert "生日礼遇补发" in await page.inner_text("#points")
            assert "已调整积分" in await page.inner_text("#record")
            await page.screenshot(path=str(SHOTS / "console_members_member.png"), full_page=True)

            # Suspending is behind a disclosure that says what it does.
            await page.click("details.status-change summary")
            assert "无法登录" in await page.inner_text("details.status-change")
            await page.screenshot(path=str(SHOTS / "console_members_suspend.png"))
            await page.fill("#status-reason", "会员本人来电要求暂停")
            await page.click("details.status-change button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "会籍已暂停" in await page.inner_text("h1")
            assert "未在任何设备上登录" in await page.inner_text("#sessions")

            # The member's own browser is signed out.
            member_context = await signed_in_context(browser, server.base_url, member_cookie, **DESKTOP)
            member_page = await member_context.new_page()
            await member_page.goto(f"{server.base_url}/")
            assert "/sign-in" in member_page.url
            await member_context.close()

            await page.goto(f"{server.base_url}/console/members/new")
            await page.fill("#f-name", "周雯")
            await page.fill("#f-email", "zhou.wen@")
            await page.click("form.console-form button[type=submit]")
            await page.wait_for_selector("#f-email-error")
            assert "请填写有效的电子邮箱" in await page.inner_text("#f-email-error")
            assert await page.input_value("#f-name") == "周雯"
            assert await page.get_attribute("#f-email", "aria-invalid") == "true"
            await page.screenshot(path=str(SHOTS / "console_members_enrol.png"), full_page=True)

            await page.goto(f"{server.base_url}/console/tiers")
            queue = await page.inner_text(f"#queue-{diamond}")
            assert "赵敏" in queue and "候补第 1 位" in queue and "陈雅" not in queue
            await page.screenshot(path=str(SHOTS / "console_members_tiers.png"), full_page=True)

            # Desktop width holds every page; nothing comes from another host.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            assert all(url.startswith(server.base_url) for url in requested), requested
        finally:
            await browser.close()
