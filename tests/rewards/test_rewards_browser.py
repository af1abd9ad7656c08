"""A member redeems a reward on their phone, in Debian's Chromium at 390x844 in zh-Hans: from the
home page's rewards to the list (an affordable voucher, and a gift with its points to go), the
confirmation with the balance after, and their redemptions with the voucher code. Screenshots are
left in /tmp/shots (rewards_*.png) to look at."""

from __future__ import annotations

from pathlib import Path

from club.ledger import balance_of
from club.rewards.tables import Redemption
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member
from tests.rewards.helpers import give_points, make_reward

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_redeems_a_voucher_on_their_phone_in_chinese(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    voucher = await make_reward(
        server, coordinator, kind="voucher", price=1_500, title_zh="精品店礼券 500 元", title_en="Boutique voucher",
        description_zh="可于任一精品店使用，有效期一年。",
    )
    gift = await make_reward(server, coordinator, price=8_000, stock=12, title_zh="限量版真丝方巾", title_en="Limited silk scarf",
                             description_zh="2026 秋冬系列，手工卷边。")
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    await give_points(member.member_id, 3_200)
    session = await session_for(member)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, session, **PHONE)
            page = await context.new_page()
            await page.goto(f"{server.base_url}/")
            section = page.locator(".home-rewards")
            assert "您的积分现可兑换 1 项礼遇。" in (await section.text_content() or "")
            await page.screenshot(path=str(SHOTS / "rewards_home.png"), full_page=True)
            await section.get_by_role("link", name="查看礼遇").click()

            await page.wait_for_url("**/rewards")
            cheap, dear = page.locator(f"#reward-{voucher['id']}"), page.locator(f"#reward-{gift['id']}")
            assert "可兑换" in (await cheap.locator(".status").text_content() or "")
            assert "还差 4,800 积分" in (await dear.locator(".status").text_content() or "")
            assert await dear.get_by_role("link", name="兑换").count() == 0
            assert "您的积分余额为 3,200。" in (await page.locator(".lede").text_content() or "")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "rewards_list.png"), full_page=True)
            await cheap.get_by_role("link", name="兑换").click()

            await page.wait_for_url(f"**/rewards/{voucher['id']}")
            assert "兑换精品店礼券 500 元？" in (await page.locator("h1").text_content() or "")
            assert "兑换后余额为 1,700" in (await page.locator("main").text_content() or "")
            await page.screenshot(path=str(SHOTS / "rewards_confirm.png"), full_page=True)
            await page.get_by_role("button", name="确认兑换").click()

            await page.wait_for_url("**/rewards/mine?redeemed=*")
            card = page.locator(".redemption").first
            code = (await card.locator(".voucher-code").text_content() or "").strip()
            assert len(code) == 19 and code.count("-") == 3
            assert "待领取" in (await card.locator(".status").text_content() or "")
            assert "已为您保留" in (await page.locator("#redeemed").text_content() or "")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "rewards_mine.png"), full_page=True)
        finally:
            await browser.close()
    assert await Redemption.count() == 1
    assert await balance_of(member.member_id) == 1_700
