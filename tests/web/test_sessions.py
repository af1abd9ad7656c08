"""Browser sessions over real HTTP: the cookie's flags (Secure when the club is served over
HTTPS), signing out ending the session on the server, the member's list of devices and its
sign-out buttons, a coordinator's view and revocation of a member's sessions through the API,
a suspension signing the member out at once, and the line between the two ways in: bearer tokens
for the API as before, the session cookie for the pages only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from http.cookies import SimpleCookie

import httpx
import pytest

from club import urls as club_urls
from club.server.app import create_app
from club.settings import Settings
from club.tables import Member, WebSession
from club.web import urls
from club.web.sessions import COOKIE
from events.urls import link
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.pages import csrf_of, latest_code, page_client
from tests.serving import serving
from tests.web.sign_in_steps import ZH, ask, challenge_of, enter, new_member, signed_in, text_of

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"
WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def _cookies(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def _is_signed_in(server: LiveServer, cookie: str) -> bool:
    """Whether the cookie's value still opens the home page, from a browser that holds only it."""
    async with page_client(server.base_url, **ZH) as other:
        home = await other.get("/", headers={"Cookie": f"{COOKIE}={cookie}"})
    assert home.status_code in (200, 303)
    return home.status_code == 200


async def test_the_session_cookie_is_httponly_lax_for_the_whole_site_and_lives_as_long_as_an_idle_session(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email)
        answered = await enter(browser, asked.text, await latest_code(member.member_id))  # type: ignore[arg-type]
    cookie = _cookies(answered)[COOKIE]
    assert cookie.value.startswith("s_")
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) == server.settings.session_idle_days * 86400
    assert not cookie["secure"]  # the suite's club is served over plain HTTP
    # Nothing but the random secret is in it, and the table keeps only its hash.
    assert not await WebSession.exists().where(WebSession.token_hash == cookie.value)


@pytest.fixture
async def https_club(settings: Settings) -> AsyncIterator[str]:
    """The app as a club served behind HTTPS would run it (its public address is https)."""
    async with serving(create_app(replace(settings, public_base_url="https://club.example"), run_worker=False)) as base_url:
        yield base_url


async def test_behind_https_the_cookies_are_secure(https_club: str) -> None:
    member, email = await new_member("王静")
    # Secure cookies are not sent back over plain HTTP by a client's jar: this test carries them.
    async with httpx.AsyncClient(base_url=https_club, headers={"Accept": "text/html", **ZH}) as raw:
        opened = await raw.get("/sign-in")
        csrf = _cookies(opened)["club_csrf"]
        assert csrf["secure"] is True and csrf["httponly"] is True
        carried = {"Cookie": f"club_csrf={csrf.value}"}
        raw.cookies.clear()
        asked = await raw.post("/sign-in", data={"_csrf_token": csrf_of(opened.text), "address": email, "next": "/"}, headers=carried)
        assert asked.status_code == 200, asked.text
        raw.cookies.clear()
        answered = await raw.post("/sign-in/code", headers=carried, data={
            "_csrf_token": csrf_of(asked.text), "challenge": challenge_of(asked.text),
            "code": await latest_code(member.member_id), "next": "/",  # type: ignore[arg-type]
        })
    assert answered.status_code == 303, answered.text
    cookie = _cookies(answered)[COOKIE]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"].lower() == "lax"


async def test_signing_out_ends_the_session_on_the_server(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (_, browser):
        cookie = browser.cookies[COOKIE]
        assert await _is_signed_in(server, cookie)
        home = await browser.get("/")
        out = await browser.post(urls.SIGN_OUT, data={"_csrf_token": csrf_of(home.text)})
        assert out.status_code == 303 and out.headers["location"] == urls.SIGN_IN
        assert int(_cookies(out)[COOKIE]["max-age"]) == 0
    # The old cookie, kept by someone who copied it, opens nothing any more.
    assert not await _is_signed_in(server, cookie)
    assert await WebSession.count().where(WebSession.revoked_at.is_not_null()) == 1


def _devices(html: str) -> dict[str, tuple[int, bool]]:
    """The devices page's cards: each device's name, its session and whether it is this device."""
    found = {}
    for card in html.split('<li class="card">')[1:]:
        card = card[:card.find("</li>")]
        name = re.search(r"<h3>(.*?)</h3>", card)
        number = re.search(r'action="/sessions/(\d+)/revoke"', card)
        assert name and number
        found[name.group(1)] = (int(number.group(1)), "当前设备" in card)
    return found


async def test_the_devices_page_lists_and_signs_out_devices(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH, **{"User-Agent": IPHONE}) as phone, page_client(
        server.base_url, **ZH, **{"User-Agent": WINDOWS}
    ) as desk:
        for browser in (phone, desk):
            asked = await ask(browser, email)
            assert (await enter(browser, asked.text, await latest_code(member.member_id))).status_code == 303  # type: ignore[arg-type]
        listed = await phone.get(urls.SESSIONS_PAGE)
        assert listed.status_code == 200
        devices = _devices(listed.text)
        # Both, the phone's own marked as this device.
        assert {name: current for name, (_, current) in devices.items()} == {"iPhone · Safari": True, "Windows · Chrome": False}
        said = text_of(listed.text)
        assert "已登录的设备" in said and "登录时间：" in said

        # The phone signs the desk out.
        revoked = await phone.post(f"/sessions/{devices['Windows · Chrome'][0]}/revoke", data={"_csrf_token": csrf_of(listed.text)})
        assert revoked.status_code == 303 and revoked.headers["location"] == urls.SESSIONS_PAGE
        assert (await desk.get("/")).status_code == 303
        relisted = await phone.get(urls.SESSIONS_PAGE)
        assert set(_devices(relisted.text)) == {"iPhone · Safari"}

        # Signing out its own device is signing out.
        own = await phone.post(f"/sessions/{devices['iPhone · Safari'][0]}/revoke", data={"_csrf_token": csrf_of(relisted.text)})
        assert own.status_code == 303 and own.headers["location"] == urls.SIGN_IN
        assert (await phone.get("/")).status_code == 303


async def test_signing_in_again_ends_the_browsers_earlier_session(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        first = browser.cookies[COOKIE]
        row = await Member.select(Member.email).where(Member.id == member.member_id).first()
        assert row is not None
        # As from a sign-in page opened before (signed in, GET /sign-in sends the member on).
        home = await browser.get("/")
        asked = await browser.post(urls.SIGN_IN, data={"_csrf_token": csrf_of(home.text), "address": row["email"], "next": "/"})
        assert (await enter(browser, asked.text, await latest_code(member.member_id))).status_code == 303  # type: ignore[arg-type]
        assert browser.cookies[COOKIE] != first
        listed = await browser.get(urls.SESSIONS_PAGE)
        # One device, this one: the session the browser held before is over, not left listed.
        assert [current for _, current in _devices(listed.text).values()] == [True]
    assert not await _is_signed_in(server, first)


async def test_a_coordinator_lists_and_ends_a_members_sessions_through_the_api(server: LiveServer, coordinator: Caller) -> None:
    async with signed_in(server, "王静", headers={**ZH, "User-Agent": IPHONE}) as (member, browser), server.client(
        coordinator.token
    ) as api:
        listed = await api.get(link(urls.MEMBER_SESSIONS, member_id=member.member_id))
        assert listed.status_code == 200
        (session,) = listed.json()
        assert session["device"] == "iPhone · Safari" and set(session) == {"id", "device", "created_at", "last_seen_at"}
        ended = await api.delete(link(urls.SESSION, session_id=session["id"]))
        assert ended.status_code == 204
        assert (await browser.get("/")).status_code == 303
        assert (await api.get(link(urls.MEMBER_SESSIONS, member_id=member.member_id))).json() == []
        unknown = await api.get(link(urls.MEMBER_SESSIONS, member_id=999_999))
        assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")


async def test_a_member_cannot_end_another_members_session(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (wang, wang_browser), signed_in(server, "周婷") as (_, zhou_browser):
        async with server.client(wang.token) as api:
            (own,) = (await api.get(urls.MY_SESSIONS)).json()
        (zhou_session,) = [s for s in await WebSession.select(WebSession.id, WebSession.user) if s["user"] != wang.user_id]
        async with server.client(wang.token) as api:
            refused = await api.delete(link(urls.SESSION, session_id=zhou_session["id"]))
            assert refused.status_code == 404
            assert refused.json()["type"] == "/problems/not-found"
        # Nor through the devices page: the same 404, as a page.
        listed = await wang_browser.get(urls.SESSIONS_PAGE)
        page = await wang_browser.post(f"/sessions/{zhou_session['id']}/revoke", data={"_csrf_token": csrf_of(listed.text)})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "未找到" in text_of(page.text)
        assert (await zhou_browser.get("/")).status_code == 200
        assert own["id"] != zhou_session["id"]


async def test_suspending_a_member_signs_them_out_at_once(server: LiveServer, coordinator: Caller) -> None:
    async with signed_in(server, "王静") as (member, browser), server.client(coordinator.token) as api:
        assert (await browser.get("/")).status_code == 200
        cookie = browser.cookies[COOKIE]
        assert (await api.post(link(club_urls.MEMBER_SUSPEND, member_id=member.member_id))).status_code == 200
        refused = await browser.get("/")
        assert refused.status_code == 303 and refused.headers["location"].startswith(urls.SIGN_IN)
        assert (await api.get(link(urls.MEMBER_SESSIONS, member_id=member.member_id))).json() == []
        # The sessions ended; reactivating the membership does not bring them back.
        assert (await api.post(link(club_urls.MEMBER_REACTIVATE, member_id=member.member_id))).status_code == 200
        assert not await _is_signed_in(server, cookie)


async def test_bearer_tokens_keep_working_and_the_cookie_never_opens_the_api(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (member, browser):
        async with server.client(member.token) as api:
            me = await api.get(club_urls.ME)
            assert me.status_code == 200 and me.json()["id"] == member.member_id
            assert (await api.get(club_urls.MY_POINTS)).status_code == 200
        # The signed-in browser calling the API: its cookie is not a credential there.
        for path in (club_urls.ME, club_urls.MY_POINTS, urls.MY_SESSIONS):
            for accept in ("application/json", "text/html"):
                refused = await browser.get(path, headers={"Accept": accept})
                assert refused.status_code == 401, path
                assert refused.headers["content-type"].startswith("application/problem+json")
        # A page still opens with the same cookie.
        assert (await browser.get("/")).status_code == 200


async def test_the_daily_sweep_ends_sessions_idle_past_the_limit_and_keeps_the_others(server: LiveServer) -> None:
    from datetime import timedelta

    from club import clock
    from club.jobs import end_idle_web_sessions
    from tests.console import session_for
    from tests.factories import make_member

    idle, used = await make_member("闲置"), await make_member("常用")
    idle_cookie = await session_for(idle)
    limit = timedelta(days=server.settings.session_idle_days)
    with clock.frozen_at(clock.now() + limit - timedelta(hours=1)):
        used_cookie = await session_for(used)
    with clock.frozen_at(clock.now() + limit + timedelta(minutes=1)):
        assert await end_idle_web_sessions({"settings": server.settings}) == 1
        for cookie, answer in ((used_cookie, 200), (idle_cookie, 303)):  # the idle one is sent to sign in
            async with page_client(server.base_url) as browser:
                browser.cookies.set(COOKIE, cookie)
                assert (await browser.get("/")).status_code == answer
    assert await WebSession.count().where(WebSession.revoked_at.is_not_null()) == 1
