"""HTTP of members' message preferences: their own channels per kind of message (signed-in
members only), and the one-click unsubscribe an optional e-mail names (RFC 8058: a POST to the
signed link, no sign-in; 200 once done, 404 for a link the club did not make), the page a
browser shows for that link, which asks before it does anything, and the preferences page an
e-mail's footer links to (events.reminders.preferences_page)."""

from __future__ import annotations

import html

import msgspec
from litestar import Controller, Request, Response, get, post, put

from club.auth import member_only, principal_of
from club.errors import Forbidden, NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language, language_of, reader_language
from club.pages import page_document
from club.settings import Settings
from club.signed_links import BadLink
from club.tables import Member
from events.reminders import urls
from events.reminders.preferences import (
    MUST_REACH,
    MessageKind,
    open_unsubscribe_link,
    preferences_of,
    set_preferences,
    unsubscribe,
)
from events.reminders.preferences_page import (
    PreferencesReader,
    choices_of_form,
    invalid_page_html,
    open_preferences_link,
    preferences_page_html,
)
from events.reminders.tables import Channel

__all__ = [
    "MessagePreferenceController",
    "MessagePreferenceIn",
    "MessagePreferenceOut",
    "one_click_unsubscribe",
    "preferences_page",
    "save_preferences_page",
    "unsubscribe_page",
]


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


async def _language_of(member_id: int, settings: Settings) -> Language:
    row = await Member.select(Member.language).where(Member.id == member_id).first()
    return language_of(row["language"] if row else None) or settings.club_locale


# The page's own parts: one primary action, 44 px tall.
_STYLE = (
    "h1{font-weight:normal;font-size:22px}"
    "button{min-height:44px;padding:8px 24px;font:inherit;border:1px solid currentColor;border-radius:4px;background:none;color:inherit}"
)


def _page(language: Language, heading: str, text: str, form: str = "") -> str:
    esc = html.escape
    return page_document(language, heading, f"<h1>{esc(heading)}</h1><p>{esc(text)}</p>{form}", _STYLE)


def _html(body: str, status: int = 200) -> Response[str]:
    return Response(body, status_code=status, media_type="text/html", headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def _opened(signed: str, settings: Settings) -> tuple[int, MessageKind]:
    try:
        return open_unsubscribe_link(settings.secret_key, signed)
    except BadLink:
        raise NotFound("No such link.") from None


_WHAT_IT_MEANS = N_(
    "You will no longer receive this kind of e-mail from the club. Messages you must not miss, such as a cancelled event, still reach you."
)


@get(urls.UNSUBSCRIBE, include_in_schema=False)
async def unsubscribe_page(signed: str, settings: Settings) -> Response[str]:
    """A mail client without one-click opens the link in a browser: asked, never done on a GET
    (RFC 8058: a link checker must not unsubscribe anyone)."""
    member_id, _ = await _opened(signed, settings)
    language = await _language_of(member_id, settings)
    form = f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">{html.escape(gettext(language, "Stop these e-mails"))}</button></form>'
    return _html(_page(language, gettext(language, "Stop these e-mails?"), gettext(language, _WHAT_IT_MEANS), form))


@post(urls.UNSUBSCRIBE, status_code=200, include_in_schema=False)
async def one_click_unsubscribe(signed: str, settings: Settings) -> Response[str]:
    """Whatever the body (mail providers send List-Unsubscribe=One-Click), the link decides."""
    member_id, kind = await _opened(signed, settings)
    await unsubscribe(member_id, kind)
    language = await _language_of(member_id, settings)
    return _html(_page(language, gettext(language, "These e-mails are turned off"), gettext(language, _WHAT_IT_MEANS)))


async def _reader_or_404(request: Request, signed: str, settings: Settings) -> PreferencesReader | Response[str]:
    reader = await open_preferences_link(signed, settings)
    if reader is None:
        language = reader_language(None, request.headers.get("accept-language"), settings.club_locale)
        return _html(invalid_page_html(language), status=404)
    return reader


def _page_of(reader: PreferencesReader, body: str) -> Response[str]:
    response = _html(body)
    response.headers["Content-Language"] = reader.language.tag
    return response


@get(urls.PREFERENCES_PAGE, include_in_schema=False)
async def preferences_page(request: Request, signed: str, settings: Settings) -> Response[str]:
    """Public: the signed link is the credential. Never cached, nor sent on as a referrer."""
    reader = await _reader_or_404(request, signed, settings)
    if isinstance(reader, Response):
        return reader
    return _page_of(reader, preferences_page_html(reader, await preferences_of(reader.member_id)))


@post(urls.PREFERENCES_PAGE, status_code=200, include_in_schema=False)
async def save_preferences_page(request: Request, signed: str, settings: Settings) -> Response[str]:
    """The page's form: every optional kind with the boxes ticked, saved by the API's own service."""
    reader = await _reader_or_404(request, signed, settings)
    if isinstance(reader, Response):
        return reader
    form = await request.form()
    choices = choices_of_form({key: [str(v) for v in form.getall(key)] for key in form})
    saved = await set_preferences(reader.member_id, choices)
    return _page_of(reader, preferences_page_html(reader, saved, saved=True))
