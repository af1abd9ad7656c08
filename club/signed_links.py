"""Links that carry their own authority: a few fields and an HMAC of them under the club's key.

For the pages a member opens from a message without signing in (their ticket page, a one-click
unsubscribe). Each kind of link has its own `purpose`, so a link made for one cannot be used
as another; what the fields name (a ticket version, an expiry) is checked by the domain that
made it. Such a URL is a credential: club.log_redaction keeps its path out of logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["BadLink", "open_link", "sign_link"]

_SIG_BYTES = 16  # 128 bits: not guessable, and the URL stays short


class BadLink(ValueError):
    """Not a link this club made for this purpose (or altered since)."""


def _mac(secret_key: str, purpose: str, body: str) -> str:
    key = hashlib.sha256(f"club-signed-link:{purpose}:{secret_key}".encode()).digest()
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()[:_SIG_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_link(secret_key: str, purpose: str, *fields: str | int) -> str:
    """ "f1.f2.<signature>": fields are ints or short words without dots."""
    parts = [str(f) for f in fields]
    if any(not p or "." in p or "/" in p for p in parts):
        raise ValueError("a signed link's fields are non-empty and hold no '.' or '/'")
    body = ".".join(parts)
    return f"{body}.{_mac(secret_key, purpose, body)}"


def open_link(secret_key: str, purpose: str, text: str, count: int) -> list[str]:
    """The `count` fields of a genuine link; BadLink for anything else."""
    if len(text) > 300:
        raise BadLink("not a link of ours")
    body, _, signature = text.rpartition(".")
    parts = body.split(".") if body else []
    if len(parts) != count or not hmac.compare_digest(signature, _mac(secret_key, purpose, body)):
        raise BadLink("not a link of ours")
    return parts
