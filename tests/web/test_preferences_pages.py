"""The preferences page in zh-Hans, over real HTTP: language and time zone saved through the
service PATCH /api/me uses (the next page in the new language), the channels per kind saved
through the API's own service, the must-reach kinds always on, a refused submission a 400 page
that keeps everything as it was, and the calendar feed made, made anew (the old address stops
working) and turned off."""

from __future__ import annotations

import re
from html import unescape

import httpx

from club import urls as club_urls
from club.tables import Member
from events.reminders.preferences import MUST_REACH, MessageKind, preferences_of
from events.reminders.tables import Channel
from tests.browser import CHROMIUM, CHROMIUM_ARGS, skip_without_chromium
from tests.conftest import LiveServer
from tests.pages import csrf_of, latest_code
from tests.web.sign_in_steps import new_member, signed_in, text_of

EVERY_CHANNEL = frozenset(Channel)


def _form(html: str) -> dict[str, list[str]]:
    """What the preferences form sends as the page shows it: its selected options and ticked,
    enabled boxes (a browser sends no disabled box)."""
    fields: dict[str, list[str]] = {}
    for name in ("language", "time_zone"):
        select = re.search(rf'<select id="{name}" name="{name}".*?</select>', html, re.DOTALL)
        assert select
        chosen = re.search(r'<option value="([^"]+)"[^>]*selected', select.group(0))
        assert chosen
        fields[name] = [unescape(chosen.group(1))]
    for name, value, rest in re.findall(r'<input type="checkbox" name="([a-z_]+)" value="([a-z]+)"([^>]*)>', html):
        if "checked" in rest and "disabled" not in rest:
            fields.setdefault(name, []).append(value)
    return fields


def _boxes(html: str, kind: str) -> dict[str, tuple[bool, bool]]:
    """A kind's boxes on the page: channel -> (ticked, disabled)."""
    return {
        value: ("checked" in rest, "disabled" in rest)
        for name, value, rest in re.findall(r'<input type="checkbox" name="([a-z_]+)" value="([a-z]+)"([^>]*)>', html)
        if name == kind
    }


async def _save(browser: httpx.AsyncClient, change: dict[str, list[str] | str], *, drop: tuple[str, ...] = ()) -> httpx.Response:
    """Open the page, change some fields as a member would, and press Save."""
    opened = await browser.get("/preferences")
    fields: dict[str, list[str] | str] = {**_form(opened.text), **change}
    for name in drop:
        fields.pop(name, None)
    return await browser.post("/preferences", data={"_csrf_token": csrf_of(opened.text), **fields})


async def test_the_page_says_the_members_choices_in_their_language(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (_, browser):
        page = await browser.get("/preferences")
    assert page.status_code == 200
    said = text_of(page.text)
    for words in ("偏好设置", "语言与时区", "您所在的时区", "俱乐部如何联系您", "报名通知", "日历订阅", "未开启", "已登录的设备"):
        assert words in said, words
    assert '<option value="zh-Hans" lang="zh-Hans" selected>简体中文</option>' in page.text
    assert re.search(r'<option value="Asia/Shanghai" selected>上海（UTC\+08:00）</option>', page.text)
    assert 'href="/sessions"' in page.text
    # Every label names its input.
    assert '<label for="language">' in page.text and '<label for="time_zone">' in page.text


async def test_a_change_of_language_is_the_next_pages_language(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        saved = await _save(browser, {"language": "zh-Hant", "time_zone": "Asia/Hong_Kong"})
        assert saved.status_code == 303 and saved.headers["location"] == "/preferences?saved=preferences"
        after = await browser.get(saved.headers["location"])
        assert 'lang="zh-Hant"' in after.text
        said = text_of(after.text)
        assert "您的偏好設定已儲存。" in said and "偏好設定" in said
        assert "積分明細" in text_of((await browser.get("/points")).text)
        async with server.client(member.token) as api:
            me = (await api.get(club_urls.ME)).json()
        assert (me["language"], me["time_zone"]) == ("zh-Hant", "Asia/Hong_Kong")
        # And back to English: the same form, its words now English.
        await _save(browser, {"language": "en"})
        assert "Your preferences are saved." in text_of((await browser.get("/preferences?saved=preferences")).text)


async def test_the_same_language_keeps_the_members_own_tag(server: LiveServer) -> None:
    async with signed_in(server, "陳美玲", language="zh-Hant-TW") as (member, browser):
        page = await browser.get("/preferences")
        assert '<option value="zh-Hant" lang="zh-Hant" selected>' in page.text
        assert (await _save(browser, {"time_zone": "Asia/Taipei"})).status_code == 303
    row = await Member.select(Member.language, Member.time_zone).where(Member.id == member.member_id).first()
    assert row == {"language": "zh-Hant-TW", "time_zone": "Asia/Taipei"}


async def test_channels_are_saved_per_kind_and_shown_as_saved(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        saved = await _save(browser, {"booking": ["email"], "other": []})
        assert saved.status_code == 303
        page = await browser.get("/preferences")
    choices = await preferences_of(member.member_id)  # type: ignore[arg-type]
    assert choices[MessageKind.booking] == {Channel.email}
    assert choices[MessageKind.other] == frozenset()
    assert choices[MessageKind.reminder] == EVERY_CHANNEL
    assert _boxes(page.text, "booking") == {"email": (True, False), "sms": (False, False), "call": (False, False)}
    assert _boxes(page.text, "other") == {"email": (False, False), "sms": (False, False), "call": (False, False)}


async def test_must_reach_messages_cannot_be_turned_off(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        page = await browser.get("/preferences")
        for kind in MUST_REACH:
            # Shown ticked, not to be unticked, and saying why.
            assert _boxes(page.text, kind.value) == {c.value: (True, True) for c in Channel}, kind
            card = page.text[page.text.find(f'id="kind-{kind.value}"'):]
            card = card[:card.find("</fieldset>")]
            assert "始终开启" in text_of(f"<main>{card}</main>")
        # A form that leaves them out (as a browser does with disabled boxes) or names fewer channels.
        saved = await _save(browser, {"event_cancelled": ["email"], "preparation": []}, drop=("sign_in", "event_moved"))
        assert saved.status_code == 303
    choices = await preferences_of(member.member_id)  # type: ignore[arg-type]
    assert {kind: choices[kind] for kind in MUST_REACH} == dict.fromkeys(MUST_REACH, EVERY_CHANNEL)


async def test_a_refused_time_zone_changes_nothing_and_says_why(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        refused = await _save(browser, {"language": "zh-Hant", "time_zone": "Mars/Olympus_Mons", "booking": ["sms"]})
        assert refused.status_code == 400
        assert refused.headers["content-type"].startswith("text/html")
        said = text_of(refused.text)
        assert "未作任何更改。" in said and "“Mars/Olympus_Mons”不是可识别的时区" in said
        assert 'name="time_zone" aria-invalid="true"' in refused.text
        # The page gives back what was sent, so the member corrects one field, not all.
        assert '<option value="zh-Hant" lang="zh-Hant" selected>' in refused.text
        assert _boxes(refused.text, "booking")["sms"] == (True, False)
        assert _boxes(refused.text, "booking")["email"] == (False, False)
        # A language the pages are not written in is refused too.
        other = await _save(browser, {"language": "fr"})
        assert other.status_code == 400 and "请从所列语言中选择。" in text_of(other.text)
    row = await Member.select(Member.language, Member.time_zone).where(Member.id == member.member_id).first()
    assert row == {"language": "zh-Hans", "time_zone": "Asia/Shanghai"}
    assert (await preferences_of(member.member_id))[MessageKind.booking] == EVERY_CHANNEL  # type: ignore[arg-type]


_FEED = re.compile(r'id="https-url"[^>]*value="([^"]+)"')
_WEBCAL = re.compile(r'id="webcal-url"[^>]*value="([^"]+)"')


async def _new_feed(browser: httpx.AsyncClient, server: LiveServer) -> tuple[str, httpx.Response]:
    opened = await browser.get("/preferences")
    made = await browser.post("/preferences/calendar-feed", data={"_csrf_token": csrf_of(opened.text)})
    assert made.status_code == 200, made.text
    https, webcal = _FEED.search(made.text), _WEBCAL.search(made.text)
    assert https and webcal
    assert webcal.group(1) == "webcal://" + https.group(1).split("://", 1)[1]
    assert f'href="{webcal.group(1)}"' in made.text  # the one button: subscribe
    return https.group(1).replace(server.settings.public_base_url, server.base_url), made


async def test_the_calendar_feed_is_made_made_anew_and_turned_off(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (_, browser), httpx.AsyncClient() as calendar_app:
        first, made = await _new_feed(browser, server)
        said = text_of(made.text)
        assert "新的订阅地址已生成" in said and "此地址仅显示这一次" in said
        feed = await calendar_app.get(first)
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        page = text_of((await browser.get("/preferences")).text)
        assert "已开启" in page and "订阅地址生成于" in page and first.rsplit("/", 1)[1] not in page

        second, _ = await _new_feed(browser, server)
        assert second != first
        assert (await calendar_app.get(first)).status_code == 404
        assert (await calendar_app.get(second)).status_code == 200

        opened = await browser.get("/preferences")
        off = await browser.post("/preferences/calendar-feed/revoke", data={"_csrf_token": csrf_of(opened.text)})
        assert off.status_code == 303 and off.headers["location"] == "/preferences?saved=feed-revoked"
        after = text_of((await browser.get(off.headers["location"])).text)
        assert "您的日历订阅已关闭" in after and "未开启" in after
        assert (await calendar_app.get(second)).status_code == 404


async def test_in_a_phones_browser_the_form_saves_as_shown(server: LiveServer) -> None:
    """Debian's Chromium at 390x844 in zh-Hans: a real browser's form (disabled boxes unsent)
    saves the language and a channel, keeps the must-reach kinds, and no page is wider than the
    phone, down to 360 px."""
    if CHROMIUM is None:
        skip_without_chromium()
    from playwright.async_api import async_playwright

    member, email = await new_member("王静")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page = await context.new_page()
            await page.goto(f"{server.base_url}/preferences")  # sent to sign in, and back
            await page.fill("#address", email)
            await page.click("main button[type=submit]")
            await page.fill("#code", await latest_code(member.member_id))  # type: ignore[arg-type]
            await page.click("main button[type=submit]")
            await page.wait_for_url("**/preferences")
            assert await page.is_disabled('#kind-event_cancelled input[value="email"]')
            await page.uncheck('#kind-reminder input[value="sms"]')
            await page.select_option("#language", "zh-Hant")
            await page.click("form.preferences button[type=submit]")
            await page.wait_for_url("**/preferences?saved=preferences")
            assert await page.text_content("#saved") == "您的偏好設定已儲存。"
            assert await page.get_attribute("html", "lang") == "zh-Hant"
            assert not await page.is_checked('#kind-reminder input[value="sms"]')
            for width in (390, 360):
                await page.set_viewport_size({"width": width, "height": 844})
                for path in ("/preferences", "/points"):
                    await page.goto(f"{server.base_url}{path}")
                    assert await page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
        finally:
            await browser.close()
    choices = await preferences_of(member.member_id)  # type: ignore[arg-type]
    assert choices[MessageKind.reminder] == {Channel.email, Channel.call}
    assert all(choices[kind] == EVERY_CHANNEL for kind in MUST_REACH)
