"""Who may open the console, walked over every console page the app has (tests.support.console_routes,
so a page added later is walked without anyone listing it), as the API's access test walks its
routes: without a session each page sends the browser to sign in and back; a member's session and
a door-staff session are refused every page and every form (403 as a page in zh-Hans, or 404),
the forms posted with a good CSRF token so the role is what refuses them; a coordinator's session
opens every console page that takes no parameter. The console is no part of the API's schema.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest

from club.tables import Role
from club.web import urls
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member, make_user
from tests.pages import csrf_of
from tests.support import console_routes, is_console_route
from tests.web.sign_in_steps import ZH, signed_in, text_of

COORDINATORS_ONLY = "此操作需要会员顾问身份。"
# Console addresses that answer a file, not a page.
DOWNLOADS = (".xlsx", ".pdf", ".csv")


def _parameter_free(server: LiveServer) -> list[str]:
    """The console's GET pages whose paths take no parameter, as the app lists them."""
    return sorted({
        route.path_format for route in server.app.routes
        if is_console_route(route) and "{" not in route.path_format and "GET" in getattr(route, "methods", set())
    })


async def test_the_walk_finds_the_console(server: LiveServer) -> None:
    """The walk is only as good as what it finds: at least Today, and only pages under /console."""
    found = console_routes(server.app)
    assert ("GET", "/console") in found
    assert all(path == "/console" or path.startswith("/console/") for _, path in found)
    assert urls.DOOR_TODAY not in {path for _, path in found}  # door staff's page is not the console's


async def _good_csrf(browser: httpx.AsyncClient) -> str:
    """A CSRF token the browser's cookie matches: the sign-in form's, or for a browser signed in
    already (the sign-in page sends it on), the sign-out form on the console's refusal page."""
    opened = await browser.get(urls.SIGN_IN)
    if opened.status_code != 200:
        opened = await browser.get("/console")
    return csrf_of(opened.text)


async def test_without_a_session_every_console_page_sends_the_browser_to_sign_in_and_back(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, headers={"Accept": "text/html", **ZH}) as browser:
        token = await _good_csrf(browser)
        for method, path in console_routes(server.app):
            data = {"_csrf_token": token} if method != "GET" else None
            answer = await browser.request(method, path, data=data)
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"] == f"{urls.SIGN_IN}?next={quote(path, safe='/')}", (method, path)


def _assert_refused(answer: httpx.Response, method: str, path: str) -> None:
    assert answer.status_code in (403, 404), (method, path, answer.status_code)
    assert answer.headers["content-type"].startswith("text/html"), (method, path)
    assert 'lang="zh-Hans"' in answer.text, (method, path)
    if answer.status_code == 403:
        assert COORDINATORS_ONLY in text_of(answer.text), (method, path)


async def _walk_refused(server: LiveServer, browser: httpx.AsyncClient) -> None:
    token = await _good_csrf(browser)
    for method, path in console_routes(server.app):
        data = {"_csrf_token": token} if method != "GET" else None
        _assert_refused(await browser.request(method, path, data=data), method, path)


async def test_a_members_session_is_refused_every_console_page_and_form(server: LiveServer) -> None:
    async with signed_in(server, "王静") as (_, browser):
        await _walk_refused(server, browser)
        assert (await browser.get("/")).status_code == 200  # still signed in: the role refused, nothing else


async def test_a_door_staff_session_is_refused_every_console_page_and_form(server: LiveServer, staff: Caller) -> None:
    async with await console_client(server.base_url, staff, **ZH) as browser:
        await _walk_refused(server, browser)
        assert (await browser.get(urls.DOOR_TODAY)).status_code == 200  # their own page still opens


@pytest.mark.parametrize("role", [Role.member, Role.staff])
async def test_a_bearer_token_of_another_role_opens_no_console_page(server: LiveServer, role: Role) -> None:
    """Pages also take a bearer token (club.auth): it is refused the console as a session is."""
    caller = await make_user(role) if role is Role.staff else await make_member("王静", language="zh-Hans")
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Accept": "text/html", **ZH, "Authorization": f"Bearer {caller.token}"}
    ) as browser:
        for method, path in console_routes(server.app):
            if method == "GET":
                _assert_refused(await browser.get(path), method, path)


async def test_a_coordinators_session_opens_every_console_page_without_parameters(
    server: LiveServer, coordinator: Caller
) -> None:
    pages = _parameter_free(server)
    assert "/console" in pages
    async with await console_client(server.base_url, coordinator, **ZH) as browser:
        for path in pages:
            answer = await browser.get(path)
            assert answer.status_code == 200, (path, answer.status_code, answer.headers.get("location"))
            if path.endswith(DOWNLOADS):  # a file (the monthly report's), named for the reader to keep
                assert answer.headers["content-disposition"].startswith("attachment"), path
                continue
            assert answer.headers["content-type"].startswith("text/html"), path
            # A whole page in zh-Hans; a fragment a page polls for has no <html> of its own.
            assert "<html" not in answer.text or 'lang="zh-Hans"' in answer.text, path


async def test_the_console_and_the_door_staffs_page_are_not_in_the_api_schema(server: LiveServer) -> None:
    async with server.client() as http:
        schema = await http.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = set(schema.json()["paths"])
    assert not [p for p in paths if re.match(r"^/console(/|$)", p)]
    assert urls.DOOR_TODAY not in paths
    assert paths, "the schema lists the API"
