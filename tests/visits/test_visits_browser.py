"""A member shows their card on their phone and a boutique's staff count the visit at the counter,
in Debian's Chromium at 390x844 in zh-Hans. Screenshots are left in /tmp/shots (visits_*.png)."""

from __future__ import annotations

from pathlib import Path

from club.ledger import balance_of
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member
from tests.visits.helpers import add_stores

skip_without_chromium()

SHOTS = Path("/tmp/shots")


async def test_a_members_card_is_counted_once_a_day_at_a_boutiques_counter(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    await add_stores(server, coordinator)
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    session = await session_for(member)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = await signed_in_context(browser, server.base_url, session, **PHONE)
            card_page = await phone.new_page()
            await card_page.goto(f"{server.base_url}/card")
            assert await card_page.text_content("h1") == "会员卡"
            assert "王静" in (await card_page.text_content("#card") or "")
            assert await card_page.evaluate("document.getElementById('qr').naturalWidth") > 0
            assert await card_page.evaluate("document.documentElement.scrollWidth") <= 390
            await card_page.screenshot(path=str(SHOTS / "visits_card.png"), full_page=True)
            code = (await card_page.text_content("#code") or "").strip()

            counter = await (await browser.new_context(**PHONE)).new_page()
            await counter.goto(f"{server.base_url}/counter#token={staff.token}")
            await counter.fill("#store", "SH-IFC")
            for expected in ("earned", "already_counted"):
                await counter.fill("#card", code)
                await counter.press("#card", "Enter")
                await counter.wait_for_function(
                    "(r) => document.getElementById('answer').dataset.result === r", arg=expected
                )
                await counter.screenshot(path=str(SHOTS / f"visits_counter_{expected}.png"), full_page=True)
                # Her name, her tier and what her visits earned today, in the glossary's words.
                assert (await counter.text_content("#answer .who") or "") == "王静 · 银卡 · 今日到店积分 50"
            assert await counter.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            await browser.close()
    assert await balance_of(member.member_id) == server.settings.visit_points
