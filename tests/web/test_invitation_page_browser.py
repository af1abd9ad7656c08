"""The invitations page in Debian's Chromium at 390x844, in zh-Hans: the countdown ticks on and,
at the reply-by, the buttons give way to the words that it has passed; a real form accepts with
the plus-one ticked. Screenshots are left in /tmp (invitations_*.png) to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from club import clock
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.shows.helpers import invite, make_show, mine, with_tier
from tests.web.signed_in_member import session_cookie_of, signed_in

skip_without_chromium()

SHOTS = Path("/tmp")


async def _phone(browser: Any, server: LiveServer, cookie: str) -> Any:
    context = await browser.new_context(**PHONE)
    await context.add_cookies([{"name": "club_session", "value": cookie, "url": server.base_url}])
    return context


async def test_the_countdown_ticks_to_the_reply_by_and_a_real_form_accepts_with_the_plus_one(
    server: LiveServer, coordinator: Caller
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    couture = await make_show(server, coordinator, title="高级定制发布会", venue="Grand Palais, Paris", categories=[("Front row", 2)])
    short = await make_show(server, coordinator, title="新锐设计师发布会", venue="Palais de Tokyo", categories=[("Second row", 1)])
    ahead = await with_tier(await make_member("Ahead"), "Diamond")
    async with signed_in(server, "王美") as (member, client):
        await with_tier(member, "Gold")
        [offer] = await invite(server, coordinator, couture["id"], [member], couture["by_name"]["Front row"]["id"],
                               plus_one_allowed=True, reply_within_hours=53)
        [quick] = await invite(server, coordinator, short["id"], [member], short["by_name"]["Second row"]["id"], reply_within_hours=1)
        await invite(server, coordinator, short["id"], [ahead], short["by_name"]["Second row"]["id"])
        cookie = session_cookie_of(client)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await _phone(browser, server, cookie)
            page = await context.new_page()
            await page.clock.install(time=clock.now())
            await page.goto(f"{server.base_url}/invitations")
            quick_card = page.locator(f"#invitation-{quick['id']}")
            assert "还剩 59 分钟" in (await quick_card.locator(".reply-by").text_content() or "") or \
                "还剩 1 小时" in (await quick_card.locator(".reply-by").text_content() or "")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "invitations_open.png"), full_page=True)

            # Half an hour on, the page's own count says so without asking the server.
            await page.clock.run_for("30:00")
            assert "分钟" in (await quick_card.locator(".left").text_content() or "")
            assert int((await quick_card.locator(".left").text_content() or "").split()[0]) in (28, 29, 30)
            # At the reply-by the buttons go and the card says it has passed.
            await page.clock.run_for("31:00")
            assert await quick_card.locator("p.passed").is_visible()
            assert await quick_card.locator("form.answer").count() == 1
            assert not await quick_card.locator("form.answer").first.is_visible()
            assert "回复期限已过" in (await quick_card.locator("p.passed").text_content() or "")
            assert await quick_card.locator(".status.passed").is_visible() and not await quick_card.locator(".awaiting").is_visible()
            await page.screenshot(path=str(SHOTS / "invitations_passed.png"), full_page=True)

            # The other offer: tick the plus-one (its label is the target) and accept.
            card = page.locator(f"#invitation-{offer['id']}")
            await card.get_by_label("我将携一位同伴出席").check()
            await card.get_by_role("button", name="接受邀请").click()
            await page.wait_for_selector("#answered")
            assert "您在高级定制发布会的席位已确认。" in (await page.text_content("#answered") or "")
            seat_card = page.locator(f"#invitation-{offer['id']}")
            assert "已接受" in (await seat_card.text_content() or "")
            await page.screenshot(path=str(SHOTS / "invitations_accepted.png"), full_page=True)

            # Home: the offer still open (on the server's clock) awaits her answer there.
            await page.goto(f"{server.base_url}/")
            home = page.locator(".home-invitations")
            assert "新锐设计师发布会" in (await home.text_content() or "") and "高级定制发布会" not in (await home.text_content() or "")
            await page.screenshot(path=str(SHOTS / "invitations_home.png"), full_page=True)
            # She declines it: it moves to the earlier invitations, with its word.
            await home.get_by_role("link", name="回复邀请").click()
            await page.locator(f"#invitation-{quick['id']}").get_by_role("button", name="婉拒").click()
            await page.wait_for_selector("#answered")
            assert "您已婉拒新锐设计师发布会的邀请。" in (await page.text_content("#answered") or "")
            assert "已婉拒" in (await page.locator(f"#invitation-{quick['id']}").text_content() or "")
            await page.screenshot(path=str(SHOTS / "invitations_declined.png"), full_page=True)
            await context.close()
        finally:
            await browser.close()
    seat = next(i for i in await mine(server, member) if i["id"] == offer["id"])
    assert seat["status"] == "accepted" and seat["plus_one"] is True
