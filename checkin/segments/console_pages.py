"""The console's segments: the saved segments with a form for a new one, and a segment's page
(how many members it holds now, the first of them, its sends and a form to send a message).

The pages call the API's services (checkin.segments.services) with what the forms hold; a
refusal is the page again with the problem beside its field. The send form carries a key made
when the page is drawn, so a double click (or a resent form) is one send.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from arq.connections import ArqRedis
from litestar import Request, get, post
from litestar.response import Redirect, Template

from checkin.measures.console_pages import SEGMENT_LABELS
from checkin.measures.rules import MeasurePolicy
from checkin.segments import urls
from checkin.segments.schemas import InviteIn, SegmentIn, SendIn
from checkin.segments.services import (
    create_segment,
    get_segment,
    list_segments,
    preview_segment,
    sends_of,
    start_invitation,
    start_send,
)
from club import clock
from club.auth import principal_of
from club.errors import DomainError
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.settings import Settings
from club.tables import Tier
from club.web.console import console_page
from club.web.console_forms import read_form, whole_number
from club.web.forms import FORM
from events.tables import Event, EventStatus

__all__ = ["CONSOLE_PAGES"]

_MESSAGES: dict[str, str] = {
    "name": N_("Please name the segment (up to 120 characters)."),
    "tier": N_("Please choose one of the options offered."),
    "activity": N_("Please choose one of the options offered."),
    "min_no_show_rate": N_("Please write a share of no-shows from 0 to 100."),
    "attended_before": N_("Please write a date."),
    "attended_after": N_("Please write a date."),
    "language": N_("Please choose one of the options offered."),
    "min_points": N_("Please write a whole number of points, or leave it empty."),
    "max_points": N_("Please write a whole number of points, or leave it empty."),
}
_SEND_MESSAGES: dict[str, str] = {
    "key": N_("Please open the page again and send from there."),
    "body": N_("Please write the message (up to 2,000 characters)."),
    "subject": N_("Please write a subject of up to 200 characters."),
    "channel": N_("Please choose one of the options offered."),
}
# Which field a service's refusal is about, by its text.
_REFUSAL_FIELDS: dict[str, str] = {
    "A segment named {name} exists already.": "name",
    "There is no tier named {tier}.": "tier",
    "The points range is empty: the least is above the most.": "max_points",
    "The last attendance range is empty: its start is not before its end.": "attended_after",
    "A message to a segment knows only the {known} placeholder, not {names}.": "body",
    "A message to a segment goes by e-mail or SMS, not as calls.": "channel",
    "Only a published event can be invited to; event {event_id} is not one.": "event_id",
    "Nobody can be invited to a cancelled event.": "event_id",
    "This event has already started; it takes no more RSVPs.": "event_id",
    "Event {event_id} is booked through {booked_through}, not by RSVP.": "event_id",
}
_INVITE_MESSAGES: dict[str, str] = {
    "key": N_("Please open the page again and send from there."),
    "event_id": N_("Please choose one of the options offered."),
    "channel": N_("Please choose one of the options offered."),
}
LANGUAGE_LABELS: dict[Language, str] = {Language.zh_hans: "简体中文", Language.zh_hant: "繁體中文", Language.en: "English"}


class SegmentForm(msgspec.Struct, kw_only=True):
    name: str = ""
    tier: str = ""
    activity: str = ""
    min_no_show_rate: str = ""
    attended_before: str = ""
    attended_after: str = ""
    language: str = ""
    min_points: str = ""
    max_points: str = ""


class InviteForm(msgspec.Struct, kw_only=True):
    key: str = ""
    event_id: str = ""
    channel: str = "email"


async def _invitable_events() -> list[dict[str, Any]]:
    """Published events still to come that take RSVPs (a show or a check-up invites its own way)."""
    return list(await Event.select(Event.id, Event.title, Event.starts_at, Event.venue_time_zone).where(
        (Event.status == EventStatus.published.value) & (Event.starts_at > clock.now()) & Event.booked_through.is_null()
    ).order_by(Event.starts_at).limit(100))


class SendForm(msgspec.Struct, kw_only=True):
    key: str = ""
    subject: str = ""
    body: str = ""
    channel: str = "email"


def _day_start(text: str, zone: str) -> datetime | str | None:
    """A date field as the instant its day starts on the club's clock (what the API takes)."""
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return text
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def _rate(text: str) -> float | str | None:
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned) / 100
    except ValueError:
        return text


async def _tiers() -> list[str]:
    return [r["name"] for r in await Tier.select(Tier.name).order_by(Tier.rank)]


async def _list_page(request: Request[Any, Any, Any], form: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    return console_page(
        request, "segments/console_segments.html", status_code=status_code, segments=await list_segments(),
        tiers=await _tiers(), segment_labels=SEGMENT_LABELS, language_labels=LANGUAGE_LABELS, form=form or {},
        errors=errors or {},
    )


@get(urls.CONSOLE_SEGMENTS, name="console-segments")
async def segments_page(request: Request[Any, Any, Any]) -> Template:
    return await _list_page(request)


@post(urls.CONSOLE_SEGMENTS, name="console-segment-create", status_code=303)
async def create_from_form(
    request: Request[Any, Any, Any], settings: Settings, data: Annotated[SegmentForm, FORM],
) -> Redirect | Template:
    language = request_language(request)
    raw = msgspec.structs.asdict(data)
    zone = str(settings.club_time_zone)
    values: dict[str, Any] = {
        "name": " ".join(data.name.split()),
        "tier": data.tier or None,
        "activity": data.activity or None,
        "min_no_show_rate": _rate(data.min_no_show_rate),
        "attended_before": _day_start(data.attended_before, zone),
        "attended_after": _day_start(data.attended_after, zone),
        "language": data.language or None,
        "min_points": whole_number(data.min_points),
        "max_points": whole_number(data.max_points),
    }
    values = {k: v for k, v in values.items() if v is not None}
    segment_in, errors = read_form(values, SegmentIn, _MESSAGES, language)
    if segment_in is None:
        return await _list_page(request, raw, errors, 400)
    try:
        made = await create_segment(segment_in, principal_of(request).name, clock.now())
    except DomainError as refusal:
        field = _REFUSAL_FIELDS.get(refusal.template, "name")
        return await _list_page(request, raw, {field: refusal.detail_in(language)}, refusal.status_code)
    return Redirect(urls.CONSOLE_SEGMENT.replace("{segment_id:int}", str(made.id)), status_code=303)


async def _segment_page(request: Request[Any, Any, Any], settings: Settings, segment_id: int, *,
                        form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                        status_code: int = 200, done: str = "", invite_form: dict[str, str] | None = None,
                        invite_errors: dict[str, str] | None = None) -> Template:
    segment = await get_segment(segment_id)  # NotFound: a 404 page
    shown = await preview_segment(segment_id, clock.now(), MeasurePolicy.of(settings).thresholds)
    sends = await sends_of(segment_id)
    invited = sorted({d.event_id for d in sends if d.event_id is not None})
    titles = {r["id"]: r["title"] for r in await Event.select(Event.id, Event.title).where(Event.id.is_in(invited))} if invited else {}
    return console_page(
        request, "segments/console_segment.html", status_code=status_code, s=segment, preview=shown,
        sends=sends, event_titles=titles, segment_labels=SEGMENT_LABELS, language_labels=LANGUAGE_LABELS,
        form=form or {}, errors=errors or {}, send_key=(form or {}).get("key") or uuid.uuid4().hex, done=done,
        languages={lang.value: lang for lang in Language}, events=await _invitable_events(),
        invite_form=invite_form or {}, invite_errors=invite_errors or {},
        invite_key=(invite_form or {}).get("key") or uuid.uuid4().hex,
    )


@get(urls.CONSOLE_SEGMENT, name="console-segment")
async def segment_page(request: Request[Any, Any, Any], settings: Settings, segment_id: int, done: str = "") -> Template:
    return await _segment_page(request, settings, segment_id, done=done)


@post(urls.CONSOLE_SEGMENT_SENDS, name="console-segment-send", status_code=303)
async def send_from_form(
    request: Request[Any, Any, Any], settings: Settings, queue: ArqRedis, segment_id: int,
    data: Annotated[SendForm, FORM],
) -> Redirect | Template:
    language = request_language(request)
    raw = msgspec.structs.asdict(data)
    values = {"key": data.key.strip(), "subject": data.subject.strip(), "body": data.body.strip(), "channel": data.channel}
    send_in, errors = read_form(values, SendIn, _SEND_MESSAGES, language)
    if send_in is None:
        return await _segment_page(request, settings, segment_id, form=raw, errors=errors, status_code=400)
    try:
        sent, started = await start_send(
            segment_id, send_in, principal_of(request).name, clock.now(), MeasurePolicy.of(settings).thresholds,
        )
    except DomainError as refusal:
        field = _REFUSAL_FIELDS.get(refusal.template, "body")
        return await _segment_page(request, settings, segment_id, form=raw, status_code=refusal.status_code,
                                   errors={field: refusal.detail_in(language)})
    if started:
        with contextlib.suppress(Exception):  # the minute's sweep sends it when Redis is back
            await queue.enqueue_job("deliver_segment_send", sent.id, _job_id=f"segment-send:{sent.id}")
    return Redirect(urls.CONSOLE_SEGMENT.replace("{segment_id:int}", str(segment_id)) + "?done=sent", status_code=303)


@post(urls.CONSOLE_SEGMENT_INVITATIONS, name="console-segment-invite", status_code=303)
async def invite_from_form(
    request: Request[Any, Any, Any], settings: Settings, queue: ArqRedis, segment_id: int,
    data: Annotated[InviteForm, FORM],
) -> Redirect | Template:
    language = request_language(request)
    raw = msgspec.structs.asdict(data)
    values = {"key": data.key.strip(), "event_id": whole_number(data.event_id), "channel": data.channel}
    invite_in, errors = read_form({k: v for k, v in values.items() if v is not None}, InviteIn, _INVITE_MESSAGES, language)
    if invite_in is None or values["event_id"] is None:
        errors = errors or {"event_id": gettext(language, _INVITE_MESSAGES["event_id"])}
        return await _segment_page(request, settings, segment_id, invite_form=raw, invite_errors=errors, status_code=400)
    me = principal_of(request)
    try:
        sent, started = await start_invitation(
            segment_id, invite_in, me.name, me.user_id, clock.now(), MeasurePolicy.of(settings).thresholds,
        )
    except DomainError as refusal:
        field = _REFUSAL_FIELDS.get(refusal.template, "event_id")
        return await _segment_page(request, settings, segment_id, invite_form=raw, status_code=refusal.status_code,
                                   invite_errors={field: refusal.detail_in(language)})
    if started:
        with contextlib.suppress(Exception):  # the minute's sweep sends it when Redis is back
            await queue.enqueue_job("deliver_segment_send", sent.id, _job_id=f"segment-send:{sent.id}")
    return Redirect(urls.CONSOLE_SEGMENT.replace("{segment_id:int}", str(segment_id)) + "?done=invited", status_code=303)


CONSOLE_PAGES: list[Any] = [segments_page, create_from_form, segment_page, send_from_form, invite_from_form]
