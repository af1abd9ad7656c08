"""The member's preferences page: their language and time zone, their channels per kind of
message, their private calendar feed, and a way to their signed-in devices.

Every change goes through the services the API uses: club.members.update_member (PATCH
/api/me) for the language and the time zone, events.reminders.preferences.set_preferences (PUT
/api/me/message-preferences) for the channels, events.calendar.issue_feed / revoke_feed (POST /
DELETE /api/me/calendar-feed) for the feed. The kinds' labels and the reading of the form are the
signed-link page's (events.reminders.preferences_page), so both pages say the same thing.

The language, time zone and channels are one form and one transaction: a refused time zone
leaves the channels as they were. A new feed address is shown once, on the answer to the POST
that made it (only its hash is kept, so no later page can show it, and it must not travel in a
redirect's URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import get_timezone_location
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club import clock
from club.auth import member_only, principal_of
from club.db import write_transaction
from club.errors import DomainError, InvalidInput
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language, language_of
from club.members import get_member, update_member
from club.schemas import MeUpdate
from club.settings import Settings
from club.web.templates import page
from events.calendar import issue_feed, revoke_feed
from events.reminders.preferences import MUST_REACH, MessageKind, preferences_of, set_preferences
from events.reminders.preferences_page import CHANNEL_LABELS, KIND_LABELS, choices_of_form
from events.reminders.tables import Channel
from events.routes import webcal_url
from events.tables import CalendarFeed

__all__ = ["HOME_SECTIONS", "MY_FEED", "MY_FEED_REVOKE", "MY_PREFERENCES", "PAGES"]

MY_PREFERENCES = "/preferences"
MY_FEED = "/preferences/calendar-feed"
MY_FEED_REVOKE = "/preferences/calendar-feed/revoke"

# The languages the club's pages are written in, each named in itself (a reader who cannot read
# the current page's language still finds their own).
LANGUAGES: tuple[tuple[str, str], ...] = (("zh-Hans", "简体中文"), ("zh-Hant", "繁體中文"), ("en", "English"))
# Where the club's members live and travel, east to west; the member's own zone is added when it
# is not here.
ZONES: tuple[str, ...] = (
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Australia/Sydney", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Singapore", "Asia/Bangkok", "Asia/Dubai", "Europe/Moscow", "Europe/Paris", "Europe/Rome", "Europe/Zurich",
    "Europe/London", "America/New_York", "America/Los_Angeles",
)
_SAVED = {
    "preferences": N_("Your preferences are saved."),
    "feed-revoked": N_("Your calendar feed is turned off. Calendars subscribed to it no longer update."),
}


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class ChannelBox:
    value: str
    label: str  # a catalog text
    checked: bool


@dataclass(frozen=True, slots=True)
class KindRow:
    kind: str
    label: str  # catalog texts, as the signed-link page says them
    hint: str
    must_reach: bool
    channels: tuple[ChannelBox, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    created_at: datetime


def _zone_label(zone: str, language: Language) -> str:
    offset = clock.now().astimezone(ZoneInfo(zone)).strftime("%z")
    city = get_timezone_location(ZoneInfo(zone), locale=language.value, return_city=True)
    hours_minutes = offset[:3] + ":" + offset[3:]  # +0800 as +08:00
    return gettext(language, "{city} (UTC{offset})", city=city, offset=hours_minutes)


def _zone_options(current: str, chosen: str, language: Language) -> list[Option]:
    zones = list(ZONES) if current in ZONES else [current, *ZONES]
    if chosen not in zones:
        zones.insert(0, chosen)  # a refused choice is shown back as it was sent
    return [Option(z, _zone_label(z, language) if _known_zone(z) else z, z == chosen) for z in zones]


def _known_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError):
        return False
    return True


def _language_options(current: str, chosen: str) -> list[Option]:
    options = list(LANGUAGES)
    if language_of(current) is None:
        options.insert(0, (current, current))  # a language the pages are not written in, kept as it is
    return [Option(value, label, value == chosen) for value, label in options]


def _tag_of(stored: str) -> str:
    """The option a stored tag is (`zh-Hant-TW` is 繁體中文)."""
    known = language_of(stored)
    return known.tag if known else stored


def _kind_rows(choices: Mapping[MessageKind, frozenset[Channel]]) -> list[KindRow]:
    return [
        KindRow(
            kind=kind.value, label=KIND_LABELS[kind][0], hint=KIND_LABELS[kind][1], must_reach=kind in MUST_REACH,
            channels=tuple(ChannelBox(c.value, CHANNEL_LABELS[c], c in choices[kind]) for c in Channel),
        )
        for kind in MessageKind
    ]


async def _feed_of(member_id: int) -> Feed | None:
    row = await CalendarFeed.select(CalendarFeed.created_at).where(
        (CalendarFeed.member == member_id) & CalendarFeed.revoked_at.is_null()
    ).order_by(CalendarFeed.id, ascending=False).first()
    return Feed(row["created_at"]) if row else None


async def _page(
    request: Request[Any, Any, Any], member_id: int, *, status_code: int = 200, saved: str | None = None,
    error: str | None = None, error_field: str | None = None, form: Mapping[str, Any] | None = None,
) -> Template:
    """The preferences page: as stored, or (`form`) as a refused submission sent it."""
    member = await get_member(member_id)
    language = request_language(request)
    chosen_language = str(form["language"]) if form else _tag_of(member.language)
    chosen_zone = str(form["time_zone"]) if form else member.time_zone
    choices = dict(form["choices"]) if form else await preferences_of(member_id)
    if form:
        choices.update({k: frozenset(Channel) for k in MUST_REACH})
    return page(
        request, "reminders/preferences.html", status_code=status_code,
        languages=_language_options(member.language, chosen_language),
        zones=_zone_options(member.time_zone, chosen_zone, language),
        kinds=_kind_rows(choices), feed=await _feed_of(member_id), zone=member.time_zone,
        saved=_SAVED.get(saved or ""), error=error, error_field=error_field, reader_zone=member.time_zone,
    )


@get(MY_PREFERENCES, guards=[member_only], name="preferences")
async def preferences_page(request: Request[Any, Any, Any], saved: str | None = None) -> Template:
    member_id = principal_of(request).member_id
    assert member_id is not None  # member_only
    return await _page(request, member_id, saved=saved)


@post(MY_PREFERENCES, guards=[member_only], status_code=303)
async def save_preferences(request: Request[Any, Any, Any], settings: Settings) -> Response[Any]:
    """Language, time zone and channels in one transaction; a refusal is the page again (400)
    with the reason beside the field and what was sent, and nothing stored."""
    member_id = principal_of(request).member_id
    assert member_id is not None
    language = request_language(request)
    form = await request.form()
    fields = {key: [str(v) for v in form.getall(key)] for key in form}
    chosen_language = (fields.get("language") or [""])[0]
    chosen_zone = (fields.get("time_zone") or [""])[0]
    choices = choices_of_form(fields)
    sent = {"language": chosen_language, "time_zone": chosen_zone, "choices": choices}
    member = await get_member(member_id)
    change: dict[str, str] = {"time_zone": chosen_zone}
    # The same language as stored (zh-Hant for zh-Hant-TW) keeps the stored tag and its region.
    if chosen_language != _tag_of(member.language):
        if chosen_language not in {value for value, _ in LANGUAGES}:
            return await _refused(request, member_id, gettext(language, "Please choose one of the languages offered."), "language", sent)
        change["language"] = chosen_language
    try:
        # The API's own reading of a PATCH /api/me body: the same bounds on every field.
        update = msgspec.convert(change, MeUpdate)
    except msgspec.ValidationError:
        return await _refused(request, member_id, gettext(language, "Please choose a time zone from the list."), "time_zone", sent)
    try:
        async with write_transaction():
            await update_member(member_id, update, settings.club_phone_region)
            await set_preferences(member_id, choices)
    except DomainError as refusal:
        # update_member names the field it refuses when it is not the time zone (the language).
        field = refusal.extra.get("field") or ("time_zone" if isinstance(refusal, InvalidInput) else None)
        return await _refused(request, member_id, refusal.detail_in(language), field, sent)
    return Redirect(f"{MY_PREFERENCES}?saved=preferences", status_code=303)


async def _refused(
    request: Request[Any, Any, Any], member_id: int, reason: str, field: str | None, sent: Mapping[str, Any]
) -> Template:
    """`reason` in the reader's language."""
    return await _page(request, member_id, status_code=400, error=reason, error_field=field, form=sent)


@post(MY_FEED, guards=[member_only], status_code=200)
async def new_feed(request: Request[Any, Any, Any], settings: Settings) -> Template:
    """A new feed address (the earlier one stops working), shown this once."""
    member_id = principal_of(request).member_id
    assert member_id is not None
    url, _ = await issue_feed(member_id, settings.public_base_url)
    return page(request, "reminders/calendar_feed.html", https_url=url, webcal_url=webcal_url(url))


@post(MY_FEED_REVOKE, guards=[member_only], status_code=303)
async def turn_off_feed(request: Request[Any, Any, Any]) -> Redirect:
    member_id = principal_of(request).member_id
    assert member_id is not None
    await revoke_feed(member_id)
    return Redirect(f"{MY_PREFERENCES}?saved=feed-revoked", status_code=303)


PAGES: list[Any] = [preferences_page, save_preferences, new_feed, turn_off_feed]
# Nothing here waits for the member's answer: the home page shows no part of it.
HOME_SECTIONS: list[Any] = []
