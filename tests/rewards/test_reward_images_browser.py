"""A reward's image on the member's phone, in Debian's Chromium at 390x844 in zh-Hans: the rewards
page shows the picture a coordinator uploaded (loaded, within the screen, its alt the reward's
name, its box sized before it loads), as does the confirmation before redeeming, and a reward
without one keeps its plain card; the console's
reward page shows it too, with the form to replace or remove it. Screenshots are left in
/tmp/shots (images-*.png) to look at."""

from __future__ import annotations

from pathlib import Path

from club.rewards import urls
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member
from tests.rewards.helpers import give_points, make_reward
from tests.rewards.images import png

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_member_sees_a_rewards_image_on_their_phone_in_chinese(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    scarf = await make_reward(server, coordinator, price=1_200, title_zh="限量版真丝方巾", title_en="Limited silk scarf",
                              description_zh="2026 秋冬系列，手工卷边。")
    plain = await make_reward(server, coordinator, kind="voucher", price=2_000, title_zh="精品店礼券 500 元")
    async with server.client(coordinator.token) as http:
        put = await http.put(urls.link(urls.REWARD_IMAGE_API, reward_id=scarf["id"]), content=png(800, 500),
                             headers={"Content-Type": "image/png"})
        assert put.status_code == 200, put.text
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    await give_points(member.member_id, 3_200)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)
            page = await context.new_page()
            await page.goto(f"{server.base_url}/rewards")
            image = page.locator(f"#reward-{scarf['id']} img")
            await image.wait_for()
            assert await image.get_attribute("alt") == "限量版真丝方巾"
            assert (await image.get_attribute("width"), await image.get_attribute("height")) == ("640", "400")
            await page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=await image.element_handle())
            assert await image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [800, 500]
            box = await image.bounding_box()
            assert box is not None and 300 <= box["width"] <= 390 and abs(box["height"] - box["width"] * 5 / 8) < 2
            assert await page.locator(f"#reward-{plain['id']} img").count() == 0
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "images-member-rewards.png"), full_page=True)
            await page.locator(f"#reward-{scarf['id']}").get_by_role("link", name="兑换").click()
            await page.wait_for_url(f"**/rewards/{scarf['id']}")
            shown = page.get_by_role("img", name="限量版真丝方巾")
            await page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=await shown.element_handle())
            await page.screenshot(path=str(SHOTS / "images-member-confirm.png"), full_page=True)

            console = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            desk = await console.new_page()
            await desk.goto(f"{server.base_url}{urls.link(urls.CONSOLE_REWARD, reward_id=scarf['id'])}")
            preview = desk.locator("#reward-image")
            await desk.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=await preview.element_handle())
            assert await desk.get_by_role("button", name="更换图片").count() == 1
            assert await desk.get_by_role("button", name="移除图片").count() == 1
            await desk.locator("#image").screenshot(path=str(SHOTS / "images-console-reward.png"))
        finally:
            await browser.close()
