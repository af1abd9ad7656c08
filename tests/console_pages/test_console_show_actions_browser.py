"""A coordinator runs a fashion-week show in Debian's Chromium at 1440x900, in zh-Hans: the show
typed into /console/shows/new on the venue's clock with two seat categories (the second row added
by the form), a refused category said beside its field, saved as a draft, published on its event
page, then a member invited by e-mail to the front row, who is offered a seat at once.

Screenshots are left in /tmp (console_show_*.png) to look at; none is committed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from club import clock
from club.tables import Member
from events.shows.tables import ShowInvitation
from events.tables import Event, EventStatus
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller
from tests.shows.helpers import tiered

skip_without_chromium()

SHOTS = Path("/tmp")
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_coordinator_creates_a_show_and_invites_a_member(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    guest = await tiered("赵敏", "Diamond")
    email = (await Member.select(Member.email).where(Member.id == guest.member_id).first())["email"]  # type: ignore[index]
    day = (clock.now() + timedelta(days=21)).astimezone(SHANGHAI).date()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            page = await context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))

            await page.goto(f"{server.base_url}/console/shows")
            await page.click("a[href='/console/shows/new']")
            await page.wait_for_selector("#title")
            assert "新建时装发布会" in await page.inner_text("h1")
            await page.fill("#title", "2027 春夏高级定制发布会")
            await page.fill("#venue", "上海 · 外滩源壹号")
            await page.fill("#venue_time_zone", "Asia/Shanghai")
            await page.fill("#starts_at", f"{day}T19:30")
            await page.fill("#ends_at", f"{day}T21:00")
            await page.select_option("#min_tier", "Platinum")
            await page.fill("#c0-name", "前排")
            await page.fill("#c0-seats", "4")
            await page.fill("#c1-name", "二排")
            await page.fill("#c1-seats", "0")
            # A third row, by the form itself: what was typed stays.
            await page.click("button[value='add-row']")
            await page.wait_for_selector("#c2-name")
            assert await page.input_value("#c1-name") == "二排" and await page.input_value("#title") == "2027 春夏高级定制发布会"
            await page.fill("#c2-name", "包厢")
            await page.fill("#c2-seats", "6")
            await page.click("button[value='save']")
            await page.wait_for_selector("#c1-seats-error")
            assert "至少 1。" in await page.inner_text("#c1-seats-error")
            assert await page.get_attribute("#c1-seats", "aria-invalid") == "true"
            await page.screenshot(path=str(SHOTS / "console_show_form_refused.png"), full_page=True)
            assert await Event.count() == 0

            await page.fill("#c1-seats", "12")
            await page.click("button[value='save']")
            await page.wait_for_selector(".notice[role=status]")
            assert "发布会已连同席位类别保存为草稿" in await page.inner_text(".notice[role=status]")
            show_id = int(page.url.split("/console/shows/")[1].split("?")[0])
            row = await Event.select(Event.starts_at, Event.status, Event.capacity).where(Event.id == show_id).first()
            assert row is not None and row["status"] == EventStatus.draft.value and row["capacity"] == 22
            assert row["starts_at"].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == f"{day} 19:30"
            await page.screenshot(path=str(SHOTS / "console_show_draft.png"), full_page=True)

            # Published on its event page, from the draft's own link.
            await page.click(".show-draft a")
            await page.click("form[action$='/publish'] button")
            await page.wait_for_selector(".status.good")
            await page.goto(f"{server.base_url}/console/shows/{show_id}")
            await page.wait_for_selector("form.invite-to-show")

            await page.select_option("#category_id", label="前排：4 个席位中尚余 4 个")
            await page.fill("#members", email)
            await page.check("#plus_one_allowed")
            await page.screenshot(path=str(SHOTS / "console_show_invite.png"), full_page=True)
            await page.click("form.invite-to-show button[type=submit]")
            await page.wait_for_selector(".notice[role=status]")
            assert "1 位会员已获席位邀请" in await page.inner_text(".notice[role=status]")
            invitation = await ShowInvitation.select(ShowInvitation.id, ShowInvitation.status).where(
                ShowInvitation.member == guest.member_id
            ).first()
            assert invitation is not None and invitation["status"] == "offered"
            line = await page.inner_text(f"#invitation-{invitation['id']}")
            assert "赵敏" in line and "已发出，待回复" in line and "可携一位同伴" in line
            assert "已邀请出席发布会" in await page.inner_text("table.audit")
            await page.screenshot(path=str(SHOTS / "console_show_invited.png"), full_page=True)

            # The withdrawal's confirmation says what it will do before anything changes.
            await page.click(f"#invitation-{invitation['id']} a[href$='/withdraw']")
            await page.wait_for_selector(".withdraw-card")
            assert "发给该会员的席位邀请将收回" in await page.inner_text(".withdraw-card")
            await page.screenshot(path=str(SHOTS / "console_show_withdraw.png"), full_page=True)

            # The list leads to a new show and says this one's seats.
            await page.goto(f"{server.base_url}/console/shows")
            assert "前排" in await page.inner_text(f"#show-{show_id}")
            await page.screenshot(path=str(SHOTS / "console_show_list.png"), full_page=True)

            # Nothing wider than the window, nothing fetched from another host.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 1440
            assert all(url.startswith(server.base_url) for url in requested), [u for u in requested if not u.startswith(server.base_url)]
        finally:
            await browser.close()
