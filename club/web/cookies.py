"""The session cookie, as signing in sets it, signing out clears it, and every page renews it."""

from __future__ import annotations

from litestar.datastructures import Cookie

from club.settings import Settings
from club.web.sessions import COOKIE

__all__ = ["session_cookie"]


def session_cookie(settings: Settings, value: str, *, expire: bool = False) -> Cookie:
    """The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site's form
    sends it), Secure when the club is served over HTTPS."""
    return Cookie(
        key=COOKIE, value=value, path="/", httponly=True, samesite="lax",
        secure=settings.public_base_url.startswith("https://"),
        max_age=0 if expire else settings.session_idle_days * 86400,
    )
