"""A coordinator asks Diamond for a yearly spend on the console's tier form (refused first for an
amount that is not one), and a Platinum member reads on their phone, in zh-Hans, the points and the
spend still needed for it, and a bar that waits for the spend; the coordinator's member search says both.
Screenshots are left in /tmp/shots (tierspend-*.png)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from club import clock
from club.points import adjust
from club.spend import urls as spend_urls
from club.tables import Tier
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member
from tests.spend.helpers import receipt

skip_without_chromium()

SHOTS = Path("/tmp/shots")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_a_coordinator_asks_a_spend_and_a_member_reads_what_is_left_on_their_phone(
    server: LiveServer, coordinator: Caller,
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    diamond = await Tier.select(Tier.id).where(Tier.name == "Diamond").first()
    assert diamond is not None
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    with clock.frozen_at(NOW):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                desk = await (await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)).new_page()
                await desk.goto(f"{server.base_url}/console/tiers/{diamond['id']}")
                await desk.fill("#t-spend_threshold", "五万")
                await desk.click("form.console-form button[type=submit]")
                assert "请填写不小于 0 的金额" in (await desk.text_content("#t-spend_threshold-error") or "")
                await desk.screenshot(path=str(SHOTS / "tierspend-refused.png"), full_page=True)
                await desk.fill("#t-spend_threshold", "50,000")
                await desk.click("form.console-form button[type=submit]")
                row = await desk.text_content(f"#tier-{diamond['id']}") or ""
                assert "¥50,000" in row
                await desk.screenshot(path=str(SHOTS / "tierspend-ladder.png"), full_page=True)

                async with server.client(coordinator.token) as till:
                    bought = await till.post(spend_urls.RECEIPTS, json=receipt(member.member_id, amount_minor=3_200_000))
                    assert bought.status_code == 201, bought.text  # ¥32,000: 32,000 points, short of Diamond's spend
                await adjust(member.member_id, -19_000, "迁移", coordinator.user_id)  # type: ignore[arg-type]  # 13,000 points: still Platinum
                phone = await (await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)).new_page()
                await phone.goto(f"{server.base_url}/points")
                assert await phone.text_content("#next-tier") == "距钻石卡还差 2,000 积分；另需近12个月消费满 ¥50,000（目前 ¥32,000）"
                # 13,000 points are 80% of the way from Platinum to Diamond; ¥32,000 is 64% of the spend: the bar says 64.
                assert await phone.get_attribute(".progress", "aria-valuenow") == "64"
                await phone.click("#standing-heading ~ details summary")
                assert "15,000 积分起，且近12个月消费满 ¥50,000" in (await phone.text_content("details dl") or "")
                assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
                await phone.screenshot(path=str(SHOTS / "tierspend-points.png"), full_page=True)
                await desk.goto(f"{server.base_url}/console/members?q=王")
                assert await desk.text_content("td.next-tier-cell") == "距钻石卡还差 2,000 积分及 ¥18,000 消费"
                await desk.screenshot(path=str(SHOTS / "tierspend-members.png"), full_page=True)
            finally:
                await browser.close()
