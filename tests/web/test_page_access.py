"""Who may open which page, walked over every member page the app has (tests.support.page_routes,
so a page added later is walked without anyone listing it): without a session a page sends the
browser to sign in and back; a form posted without its CSRF token is refused as a page in the
reader's language; staff and coordinators, whose bearer tokens open the API, are refused the
member pages (not their own signed-in devices), and members the door staff's page of today's
doors; an unknown address is a page to a browser and a problem to the API."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from club.tables import Role
from club.web import urls
from tests.conftest import LiveServer
from tests.factories import make_user
from tests.pages import csrf_of, page_client
from tests.support import page_routes
from tests.web.sign_in_steps import ZH, signed_in, text_of

# The pages anyone may open: asking for a code, and the e-mail link's button.
PUBLIC_GETS = {urls.SIGN_IN, "/sign-in-link/1"}
# Forms anyone may post (with their CSRF token): signing in, and out.
PUBLIC_POSTS = {urls.SIGN_IN, urls.SIGN_IN_CODE, "/sign-in-link/1", urls.SIGN_OUT}
CSRF_REFUSED = "此页面已过期，无法提交。请返回并刷新页面后重试。"
MEMBERS_ONLY = "此操作需要会员身份。"
# The page for door staff and coordinators among the pages (checkin.door_today), not a member's.
STAFF_GETS = {urls.DOOR_TODAY}
# Anyone signed in lists and ends their own sessions (another's is a 404).
OWN_SESSIONS_GETS = {urls.SESSIONS_PAGE}
OWN_SESSIONS_POSTS = {"/sessions/1/revoke"}
# A reward's image: shown to the members it is open to, and to coordinators on its console page.
MEMBER_AND_COORDINATOR_GETS = {"/rewards/1/image"}
MEMBERS_AND_COORDINATORS_ONLY = "此操作需要会员或会员顾问身份。"


def _gets(server: LiveServer) -> list[str]:
    return [path for method, path in page_routes(server.app) if method == "GET"]


def _posts(server: LiveServer) -> list[str]:
    return [path for method, path in page_routes(server.app) if method == "POST"]


async def test_the_walk_finds_the_pages(server: LiveServer) -> None:
    """The walk is only as good as what it finds: at least the pages these tests know of."""
    assert {"/", "/points", "/preferences", urls.SIGN_IN, urls.SESSIONS_PAGE} <= set(_gets(server))
    assert {"/preferences", "/preferences/calendar-feed", urls.SIGN_OUT} <= set(_posts(server))


async def test_without_a_session_every_page_sends_the_browser_to_sign_in_and_back(server: LiveServer) -> None:
    async with page_client(server.base_url, **ZH) as browser:
        for path in _gets(server):
            answer = await browser.get(path)
            if path in PUBLIC_GETS:
                assert answer.status_code == 200, path
                continue
            assert answer.status_code == 303, (path, answer.status_code)
            assert answer.headers["location"] == f"{urls.SIGN_IN}?next={quote(path, safe='/')}", path


async def test_a_form_without_its_csrf_token_is_refused_as_a_page_in_the_readers_language(server: LiveServer) -> None:
    async with page_client(server.base_url, **ZH) as browser:
        await browser.get(urls.SIGN_IN)  # holds a CSRF cookie: only the form's token is missing
        for path in _posts(server):
            for data in ({}, {"_csrf_token": "forged"}):
                answer = await browser.post(path, data=data)
                assert answer.status_code == 403, (path, answer.status_code)
                assert answer.headers["content-type"].startswith("text/html"), path
                assert CSRF_REFUSED in text_of(answer.text), path


async def test_a_signed_in_members_refused_form_is_in_their_own_language(server: LiveServer) -> None:
    # A zh-Hant member whose browser names no language: their own decides.
    async with signed_in(server, "陳美玲", headers={}, language="zh-Hant") as (_, browser):
        for path in (urls.SIGN_OUT, "/preferences"):
            answer = await browser.post(path, data={})
            assert answer.status_code == 403
            assert "此頁面已過期" in text_of(answer.text) and 'lang="zh-Hant"' in answer.text
        assert (await browser.get("/")).status_code == 200  # still signed in: nothing was done


async def test_a_member_is_refused_the_door_staffs_page(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (_, browser):
        for path in STAFF_GETS:
            answer = await browser.get(path)
            assert answer.status_code == 403, path
            assert "此操作需要入口工作人员或会员顾问身份。" in text_of(answer.text), path


@pytest.mark.parametrize("role", [Role.staff, Role.coordinator])
async def test_staff_and_coordinator_tokens_are_refused_the_member_pages(server: LiveServer, role: Role) -> None:
    caller = await make_user(role)
    bearer = {"Authorization": f"Bearer {caller.token}"}
    async with page_client(server.base_url, **ZH) as browser:
        for path in _gets(server):
            if path in STAFF_GETS or path in OWN_SESSIONS_GETS:
                assert (await browser.get(path, headers=bearer)).status_code == 200, path
                continue
            if path in PUBLIC_GETS:
                continue
            answer = await browser.get(path, headers=bearer)
            if path in MEMBER_AND_COORDINATOR_GETS:
                if role == Role.coordinator:
                    assert answer.status_code == 404, (path, answer.status_code)  # no such reward, not refused
                else:
                    assert answer.status_code == 403 and MEMBERS_AND_COORDINATORS_ONLY in text_of(answer.text), path
                continue
            assert answer.status_code == 403, (path, answer.status_code)
            assert answer.headers["content-type"].startswith("text/html")
            assert MEMBERS_ONLY in text_of(answer.text), path
        # Forms too, with a good CSRF token: the role is what refuses them.
        token = csrf_of((await browser.get(urls.SIGN_IN)).text)
        for path in _posts(server):
            if path in PUBLIC_POSTS:
                continue
            answer = await browser.post(path, data={"_csrf_token": token}, headers=bearer)
            if path in OWN_SESSIONS_POSTS:
                assert answer.status_code == 404, (path, answer.status_code)  # not theirs
                continue
            assert answer.status_code == 403, (path, answer.status_code)
            assert MEMBERS_ONLY in text_of(answer.text), path


async def test_an_unknown_address_is_a_page_to_a_browser_and_a_problem_to_the_api(server: LiveServer) -> None:
    async with page_client(server.base_url, **ZH) as browser:
        page = await browser.get("/no-such-page")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "未找到" in text_of(page.text) and 'href="/"' in page.text
        for accept in ("text/html", "application/json"):
            api = await browser.get("/api/no-such-thing", headers={"Accept": accept})
            assert api.status_code == 404
            assert api.headers["content-type"].startswith("application/problem+json")
            assert api.json()["type"] == "/problems/not-found"
        # A client that does not ask for a page gets the problem outside the API too.
        plain = await browser.get("/no-such-page", headers={"Accept": "application/json"})
        assert plain.status_code == 404 and plain.headers["content-type"].startswith("application/problem+json")
