"""The sign-in pages: ask for a code, type it (or follow the e-mail's link), sign out, and the
list of signed-in devices. Each form is CSRF-protected (the app's CSRF config) and each answer
is a page in the reader's language.

Members, door staff and coordinators sign in here alike; where each lands is `landing()`: the
page that sent them to sign in, else their own start (home, today's doors, the console).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club.accounts import Principal
from club.auth import any_user
from club.i18n.catalogs import gettext
from club.i18n.http import request_language
from club.rate_limit import limiter_of, per_client
from club.settings import Settings
from club.tables import Role
from club.web import urls
from club.web.cookies import session_cookie
from club.web.forms import FORM
from club.web.page_errors import safe_next
from club.web.sessions import SESSION_ID_KEY, list_sessions, revoke_session, start_session
from club.web.sign_in import CodeOutcome, SignedIn, ask_for_code, check_code, open_sign_in_link, parse_address
from club.web.templates import page
from club.web.urls import CONSOLE

__all__ = ["SIGN_IN_PAGES", "landing"]

_limited = [per_client(lambda s: s.sign_in_rate_limit)]


class AddressForm(msgspec.Struct):
    address: str = ""
    next: str = "/"


class CodeForm(msgspec.Struct):
    challenge: str = ""
    code: str = ""
    next: str = "/"
    address: str = ""


def _principal(request: Request[Any, Any, Any]) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def _device(request: Request[Any, Any, Any]) -> str:
    """A device as its member would name it: the platform and the browser, from User-Agent."""
    agent = request.headers.get("user-agent", "")
    platform = next((name for token, name in (
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Mac OS X", "Mac"),
        ("Windows", "Windows"), ("Linux", "Linux"),
    ) if token in agent), "")
    browser = next((name for token, name in (
        ("MicroMessenger", "WeChat"), ("Edg/", "Edge"), ("Chrome/", "Chrome"), ("Firefox/", "Firefox"), ("Safari/", "Safari"),
    ) if token in agent), "")
    return " · ".join(part for part in (platform, browser) if part)


# Each role's own start, where signing in leads when no page asked for it.
_STARTS = urls.ROLE_STARTS


def _is_console(path: str) -> bool:
    return path.split("?", 1)[0] in (CONSOLE, CONSOLE + "/") or path.startswith(CONSOLE + "/")


def landing(role: Role, next: str | None) -> str:
    """Where someone with `role` goes once signed in: `next` (a path of this site) when a page
    asked for the sign-in, else their role's start. The console is a coordinator's only: a
    member or door staff sent there land on their own start instead of a refusal."""
    target = safe_next(next)
    if target == urls.HOME or (_is_console(target) and role is not Role.coordinator):
        return _STARTS[role]
    return target


async def _signed_in(
    request: Request[Any, Any, Any], settings: Settings, account: SignedIn, device: str, next: str | None
) -> Response[Any]:
    secret = await start_session(account.user_id, device)
    # The session this browser held until now (it signs in again, from a link or a code) is
    # ended, not left open with no cookie to use it and listed as a device forever.
    previous = request.scope.get(SESSION_ID_KEY)
    if isinstance(previous, int):
        await revoke_session(previous)
    response: Response[Any] = Redirect(landing(account.role, next), status_code=303)
    response.set_cookie(session_cookie(settings, secret))
    return response


@get(urls.SIGN_IN, name="sign-in")
async def sign_in_page(request: Request[Any, Any, Any], next: str = "/") -> Response[Any]:
    me = _principal(request)
    if me is not None:
        return Redirect(landing(me.role, next), status_code=303)
    return page(request, "club/sign_in.html", next=safe_next(next), address="", error=None)


@post(urls.SIGN_IN, guards=_limited, status_code=303)
async def ask_for_code_page(
    request: Request[Any, Any, Any], settings: Settings, data: Annotated[AddressForm, FORM]
) -> Response[Any]:
    language = request_language(request)
    address = parse_address(data.address, settings.club_phone_region)
    if address is None:
        return page(
            request, "club/sign_in.html", status_code=400, next=safe_next(data.next), address=data.address[:254],
            error=gettext(language, "Please enter a mobile number or an e-mail address."),
        )
    # Per address too, so codes cannot be sent to someone's phone over and over from many clients.
    await limiter_of(request).enforce(settings.sign_in_address_rate_limit, address.digest[:32])
    challenge = await ask_for_code(
        address, settings, settings.public_base_url + urls.SIGN_IN_LINK.split("{")[0], page_language=language
    )
    return page(
        request, "club/sign_in_code.html", challenge=challenge, next=safe_next(data.next), address=address.value,
        minutes=settings.sign_in_code_minutes, error=None, dead=False,
    )


@post(urls.SIGN_IN_CODE, guards=_limited, status_code=303)
async def enter_code_page(
    request: Request[Any, Any, Any], settings: Settings, data: Annotated[CodeForm, FORM]
) -> Response[Any]:
    language = request_language(request)
    check = await check_code(data.challenge, data.code, settings)
    if check.outcome is CodeOutcome.signed_in and check.signed_in is not None:
        return await _signed_in(request, settings, check.signed_in, _device(request), data.next)
    dead = check.outcome is CodeOutcome.dead
    error = None if dead else gettext(
        language, "This code is not the one we sent. Tries left: {left}.", left=check.tries_left
    )
    return page(
        request, "club/sign_in_code.html", status_code=400, challenge=data.challenge, next=safe_next(data.next),
        address=data.address[:254], minutes=settings.sign_in_code_minutes, error=error, dead=dead,
    )


@get(urls.SIGN_IN_LINK, name="sign-in-link")
async def sign_in_link_page(request: Request[Any, Any, Any], secret: str) -> Template:
    return page(request, "club/sign_in_link.html", dead=False)


@post(urls.SIGN_IN_LINK, guards=_limited, status_code=303)
async def follow_sign_in_link(request: Request[Any, Any, Any], settings: Settings, secret: str) -> Response[Any]:
    account = await open_sign_in_link(secret, settings)
    if account is None:
        return page(request, "club/sign_in_link.html", status_code=400, dead=True)
    return await _signed_in(request, settings, account, _device(request), None)


@post(urls.SIGN_OUT, status_code=303)
async def sign_out(request: Request[Any, Any, Any], settings: Settings) -> Response[Any]:
    session_id = request.scope.get(SESSION_ID_KEY)
    if isinstance(session_id, int):
        await revoke_session(session_id)
    response: Response[Any] = Redirect(urls.SIGN_IN, status_code=303)
    response.set_cookie(session_cookie(settings, "", expire=True))
    return response


# Anyone signed in lists and ends their own sessions: door staff too, whose sessions hold door
# tokens (a lost door phone is signed out, and its token ended, from another device).
@get(urls.SESSIONS_PAGE, guards=[any_user], name="sessions")
async def sessions_page(request: Request[Any, Any, Any], settings: Settings) -> Template:
    me = _principal(request)
    assert me is not None
    return page(
        request, "club/sessions.html", sessions=await list_sessions(me.user_id), current=request.scope.get(SESSION_ID_KEY),
        zone=me.time_zone or settings.club_time_zone,
    )


@post(urls.SESSION_PAGE_REVOKE, guards=[any_user], status_code=303)
async def revoke_session_page(request: Request[Any, Any, Any], settings: Settings, session_id: int) -> Response[Any]:
    me = _principal(request)
    assert me is not None
    await revoke_session(session_id, owner_id=me.user_id)
    if session_id == request.scope.get(SESSION_ID_KEY):
        response: Response[Any] = Redirect(urls.SIGN_IN, status_code=303)
        response.set_cookie(session_cookie(settings, "", expire=True))
        return response
    return Redirect(urls.SESSIONS_PAGE, status_code=303)


SIGN_IN_PAGES: list[Any] = [
    sign_in_page, ask_for_code_page, enter_code_page, sign_in_link_page, follow_sign_in_link, sign_out,
    sessions_page, revoke_session_page,
]
