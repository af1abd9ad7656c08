"""HTTP of members' message preferences: their own channels per kind of message (signed-in
members only), and the one-click unsubscribe an optional e-mail names (RFC 8058: a POST to the
signed link, no sign-in; 200 once done, 404 for a link the club did not make)."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, Response, get, post, put

from club.auth import member_only, principal_of
from club.errors import Forbidden, NotFound
from club.settings import Settings
from club.signed_links import BadLink
from events.reminders import urls
from events.reminders.preferences import (
    MUST_REACH,
    MessageKind,
    open_unsubscribe_link,
    preferences_of,
    set_preferences,
    unsubscribe,
)
from events.reminders.tables import Channel

__all__ = ["MessagePreferenceController", "MessagePreferenceIn", "MessagePreferenceOut", "one_click_unsubscribe"]


class MessagePreferenceOut(msgspec.Struct, kw_only=True):
    kind: MessageKind
    channels: list[Channel]
    # Sent whatever the channels say (a cancellation, a moved event, a health preparation).
    must_reach: bool


class MessagePreferenceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: MessageKind
    channels: list[Channel]


def _out(choices: dict[MessageKind, frozenset[Channel]]) -> list[MessagePreferenceOut]:
    return [
        MessagePreferenceOut(kind=kind, channels=sorted(channels, key=list(Channel).index), must_reach=kind in MUST_REACH)
        for kind, channels in choices.items()
    ]


def _member_of(request: Request) -> int:
    member_id = principal_of(request).member_id
    if member_id is None:
        raise Forbidden("Only a member has message preferences.")
    return member_id


class MessagePreferenceController(Controller):
    tags = ["message preferences"]
    guards = [member_only]

    @get(urls.MESSAGE_PREFERENCES, operation_id="getMessagePreferences", summary="My channels per kind of message")
    async def mine(self, request: Request) -> list[MessagePreferenceOut]:
        return _out(await preferences_of(_member_of(request)))

    @put(urls.MESSAGE_PREFERENCES, operation_id="setMessagePreferences", summary="Choose my channels for the kinds named")
    async def choose(self, request: Request, data: list[MessagePreferenceIn]) -> list[MessagePreferenceOut]:
        choices = {p.kind: frozenset(p.channels) for p in data}
        return _out(await set_preferences(_member_of(request), choices))


@post(urls.UNSUBSCRIBE, status_code=200, include_in_schema=False)
async def one_click_unsubscribe(signed: str, settings: Settings) -> Response[str]:
    """Whatever the body (mail providers send List-Unsubscribe=One-Click), the link decides."""
    try:
        member_id, kind = open_unsubscribe_link(settings.secret_key, signed)
    except BadLink:
        raise NotFound("No such link.") from None
    await unsubscribe(member_id, kind)
    return Response("", status_code=200, headers={"Cache-Control": "no-store"})
