"""The console's event pages: the list of events, making and editing one (with a live count of the
members its eligibility admits), publishing, moving (saying first whom the move reaches) and
cancelling it, and an event's overview with the record of what was changed, by whom.

Every change calls the service the API's route calls (events.catalog) and records itself with
club.audit in the same transaction. A refused form is the form again, with each problem next to its
field (events.event_form reads it as the API reads its body) and nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from club.audit import ACTION_LABELS, ActionKind, actions_for_event, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError, Said, SaidList, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.tables import Tier
from club.web.console import club_zone, console_page
from club.web.console_forms import local_input
from club.web.forms import FORM
from club.web.templates import page
from events.board import board, waitlist_by_event
from events.catalog import cancel_event, create_event, load_event, publish_event, update_event
from events.event_form import (
    ELIGIBILITY_FIELDS,
    EVENT_FIELDS,
    FIELD_LABELS,
    FORM_ERROR,
    KIND_LABELS,
    PLACEMENT_FIELDS,
    POLICY_LABELS,
    EventForm,
    changed_fields,
    error_of,
    form_of,
    read_event_form,
)
from events.move_impact import Placement, move_impact
from events.open_to_me import conditions_of
from events.qualifying import EligibilityChoice, Qualifying, qualifying
from events.rows import EventRow
from events.schemas import EventCreate, EventUpdate
from events.seats import seats_taken
from events.tables import EventKind, EventStatus, WaitlistPolicy

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS"]

EVENTS = "/console/events"
NEW_EVENT = "/console/events/new"
QUALIFYING = "/console/events/qualifying"
EVENT = "/console/events/{event_id:int}"
EDIT = "/console/events/{event_id:int}/edit"
PUBLISH = "/console/events/{event_id:int}/publish"
MOVE = "/console/events/{event_id:int}/move"
CANCEL = "/console/events/{event_id:int}/cancel"
# Built by the lists' pages (another part of the console): linked from here, never built here.
ATTENDEES = "/console/events/{event_id}/attendees"
FIGURES = "/console/events/{event_id}/measures"  # checkin.measures' page, above this layer
CHECK_UPS = "/console/check-ups"

# The kinds a coordinator makes here; check-up slots are made with their programme, and shows with
# seat categories on their own pages, but a generic fashion-week event is an event like any other.
FORM_KINDS = (EventKind.salon, EventKind.trip, EventKind.fashion_week)
STATE_LABELS: dict[EventStatus, tuple[str, str]] = {
    EventStatus.draft: ("plain", N_("Draft")),
    EventStatus.published: ("good", N_("Published")),
    EventStatus.cancelled: ("bad", N_("Cancelled")),
}
DONE = {
    "created": N_("The event is saved as a draft. Members see it once it is published."),
    "saved": N_("Your changes are saved."),
    "published": N_("The event is published: the members it is open to can see it and reply."),
    "moved": N_("The event is moved. Its members are told, and its reminders follow the new time."),
    "cancelled": N_("The event is cancelled. Everyone who held a place is told."),
}


def _path(template: str, event_id: int) -> str:
    return template.replace("{event_id:int}", str(event_id))


def _page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """A console page whose times name the city when the venue is not on the club's clock."""
    language = request_language(request)

    def said(value: Said | SaidList | None) -> str:
        return said_text(language, value) if value is not None else ""

    return console_page(
        request, template, status_code=status_code, said=said,
        kind_labels=KIND_LABELS, state_labels=STATE_LABELS, policy_labels=POLICY_LABELS, field_labels=FIELD_LABELS,
        **values,
    )


async def _tier_names() -> list[str]:
    """The ladder's tiers, lowest first, as the form offers them."""
    rows = await Tier.select(Tier.name).order_by(Tier.rank)
    return [r["name"] for r in rows]


# ---------------------------------------------------------------- the list


def _enum(enum: Any, value: str) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None  # an unknown filter shows everything rather than an error


@get(EVENTS, name="console-events")
async def events_page(
    request: Request[Any, Any, Any], kind: str = "", status: Annotated[str, QueryParameter(name="state")] = "",
) -> Template:
    chosen_kind: EventKind | None = _enum(EventKind, kind)
    chosen_state: EventStatus | None = _enum(EventStatus, status)
    found = await board(chosen_kind, chosen_state)
    return _page(
        request, "events/console_events.html", board=found, kind=chosen_kind, state=chosen_state,
        kinds=list(EventKind), states=list(EventStatus), check_ups=CHECK_UPS,
    )


# ---------------------------------------------------------------- the form and its preview


def _choice(values: Mapping[str, Any], event_id: int | None) -> EligibilityChoice:
    return EligibilityChoice(
        kind=EventKind(values.get("kind") or EventKind.salon.value), min_tier=values.get("min_tier"),
        invitation_only=bool(values.get("invitation_only")), min_points=values.get("min_points"),
        max_per_12_months=values.get("max_per_12_months"), starts_at=values.get("starts_at"), event_id=event_id,
    )


_PREVIEW_FIELDS = ("kind", "venue_time_zone", "starts_at", *ELIGIBILITY_FIELDS)


async def _preview(form: EventForm, language: Language, tiers: list[str], event: EventRow | None) -> Qualifying | None:
    """Who the eligibility as typed admits; None while one of its own fields is refused."""
    read = read_event_form(form, language, _PREVIEW_FIELDS, tiers, event)
    if any(f in read.errors for f in ("kind", *ELIGIBILITY_FIELDS)):
        return None
    values = {k: v for k, v in read.values.items() if k not in read.errors}
    if "starts_at" in read.errors or "venue_time_zone" in read.errors:
        values.pop("starts_at", None)
    elif "starts_at" not in values and event is not None:
        values["starts_at"] = event.starts_at
    return await qualifying(_choice(values, event.id if event else None))


@get(QUALIFYING, name="console-event-qualifying")
async def qualifying_page(
    request: Request[Any, Any, Any], kind: str = "salon", min_tier: str = "", invitation_only: str = "",
    min_points: str = "", max_per_12_months: str = "", starts_at: str = "", venue_time_zone: str = "", event_id: int | None = None,
) -> Template:
    """The preview's few lines, which the form asks for again as its eligibility changes."""
    event = await load_event(event_id) if event_id is not None else None
    form = EventForm(
        kind=kind, min_tier=min_tier, invitation_only=invitation_only, min_points=min_points,
        max_per_12_months=max_per_12_months, starts_at=starts_at, venue_time_zone=venue_time_zone,
    )
    preview = await _preview(form, request_language(request), await _tier_names(), event)
    return page(
        request, "events/console_qualifying.html", preview=preview, invitation_only=bool(invitation_only), is_new=event is None,
    )


async def _form_page(
    request: Request[Any, Any, Any], form: Mapping[str, str], event: EventRow | None, *,
    errors: Mapping[str, str] | None = None, status_code: int = 200,
) -> Template:
    tiers = await _tier_names()
    preview = await _preview(EventForm(**{k: form.get(k, "") for k in _PREVIEW_FIELDS}), request_language(request), tiers, event)
    kinds = list(FORM_KINDS)
    if event is not None and event.kind not in kinds:
        kinds.append(event.kind)
    return _page(
        request, "events/console_event_form.html", status_code=status_code, form=form, event=event, errors=errors or {},
        tiers=tiers, kinds=kinds, policies=list(WaitlistPolicy), preview=preview, qualifying_path=QUALIFYING,
        placement_editable=event is None or event.status == EventStatus.draft, form_error=(errors or {}).get(FORM_ERROR),
        invitation_only=bool(form.get("invitation_only")), is_new=event is None,
    )


@get(NEW_EVENT, name="console-event-new")
async def new_event_page(request: Request[Any, Any, Any]) -> Template:
    blank = {f: getattr(EventForm(), f) for f in EVENT_FIELDS}
    return await _form_page(request, {**blank, "venue_time_zone": club_zone(request)}, None)


def _submitted(data: EventForm) -> dict[str, str]:
    return {f: getattr(data, f) for f in EVENT_FIELDS}


@post(NEW_EVENT, status_code=303)
async def create_event_page(request: Request[Any, Any, Any], data: Annotated[EventForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    read = read_event_form(data, language, EVENT_FIELDS, await _tier_names())
    if not read.ok:
        return await _form_page(request, _submitted(data), None, errors=read.errors, status_code=400)
    try:
        body = msgspec.convert(read.values, EventCreate)
        async with write_transaction():
            event = await create_event(body, me.user_id)
            await record(me, ActionKind.event_created, event_id=event.id, detail=event.title)
    except (DomainError, msgspec.ValidationError) as exc:
        return await _form_page(request, _submitted(data), None, errors=error_of(exc, language), status_code=_status(exc))
    return Redirect(f"{_path(EVENT, event.id)}?done=created", status_code=303)


def _status(exc: DomainError | msgspec.ValidationError) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 400


def _editable_fields(event: EventRow) -> tuple[str, ...]:
    """A published event is moved through the move form, which first says whom it reaches."""
    if event.status == EventStatus.draft:
        return EVENT_FIELDS
    return tuple(f for f in EVENT_FIELDS if f not in PLACEMENT_FIELDS)


@get(EDIT, name="console-event-edit")
async def edit_event_page(request: Request[Any, Any, Any], event_id: int) -> Response[Any]:
    event = await load_event(event_id)
    if event.status == EventStatus.cancelled:
        return Redirect(_path(EVENT, event_id), status_code=303)  # nothing of it changes any more
    return await _form_page(request, form_of(event), event)


def _shown(value: Any, language: Language, zone: str) -> str:
    """A field's value as the record of changes says it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext(language, "yes") if value else gettext(language, "no")
    if hasattr(value, "astimezone"):
        return local_input(value, zone).replace("T", " ")
    return str(value)


def _change_detail(changes: Mapping[str, tuple[Any, Any]], language: Language, zone: str) -> str:
    return "; ".join(
        f"{gettext(language, FIELD_LABELS[name])}: {_shown(before, language, zone)} → {_shown(after, language, zone)}"
        for name, (before, after) in changes.items()
    )


@post(EDIT, status_code=303)
async def save_event_page(request: Request[Any, Any, Any], event_id: int, data: Annotated[EventForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    event = await load_event(event_id)
    fields = _editable_fields(event)
    submitted = {**form_of(event), **{f: getattr(data, f) for f in fields}}
    read = read_event_form(data, language, fields, await _tier_names(), event)
    if not read.ok:
        return await _form_page(request, submitted, event, errors=read.errors, status_code=400)
    changes = changed_fields(read.values, event)
    if changes:
        try:
            update = msgspec.convert({k: read.values[k] for k in changes}, EventUpdate)
            async with write_transaction():
                await update_event(event_id, update)
                await record(me, ActionKind.event_updated, event_id=event_id,
                             detail=_change_detail(changes, language, str(read.values.get("venue_time_zone", event.venue_time_zone))))
        except (DomainError, msgspec.ValidationError) as exc:
            return await _form_page(request, submitted, event, errors=error_of(exc, language), status_code=_status(exc))
    return Redirect(f"{_path(EVENT, event_id)}?done=saved", status_code=303)


# ---------------------------------------------------------------- publish, move, cancel


@post(PUBLISH, status_code=303)
async def publish_page(request: Request[Any, Any, Any], event_id: int) -> Redirect:
    me = principal_of(request)
    async with write_transaction():
        before = await load_event(event_id)
        published = await publish_event(event_id)
        if before.status == EventStatus.draft:
            await record(me, ActionKind.event_published, event_id=event_id, detail=published.title)
    return Redirect(f"{_path(EVENT, event_id)}?done=published", status_code=303)


class MoveForm(msgspec.Struct):
    venue: str = ""
    venue_time_zone: str = ""
    starts_at: str = ""
    ends_at: str = ""
    # Set by the confirmation's button: the first post only says what the move would touch.
    confirmed: str = ""


def _move_form(event: EventRow) -> dict[str, str]:
    return {k: v for k, v in form_of(event).items() if k in PLACEMENT_FIELDS}


async def _move_page(
    request: Request[Any, Any, Any], event: EventRow, form: Mapping[str, str], *, errors: Mapping[str, str] | None = None,
    status_code: int = 200, impact: Any = None, to: Placement | None = None,
) -> Template:
    return _page(
        request, "events/console_move.html", status_code=status_code, event=event, form=form, errors=errors or {},
        impact=impact, to=to, form_error=(errors or {}).get(FORM_ERROR),
    )


@get(MOVE, name="console-event-move")
async def move_form_page(request: Request[Any, Any, Any], event_id: int) -> Response[Any]:
    event = await load_event(event_id)
    if event.status == EventStatus.cancelled:
        return Redirect(_path(EVENT, event_id), status_code=303)
    return await _move_page(request, event, _move_form(event))


def _move_detail(event: EventRow, to: Placement, language: Language) -> str:
    def where(p: Placement) -> str:
        start = local_input(p.starts_at, p.venue_time_zone).replace("T", " ")
        end = local_input(p.ends_at, p.venue_time_zone)[11:]
        return f"{start}–{end} ({p.venue_time_zone}), {p.venue}"

    return gettext(language, "{before} → {after}", before=where(Placement.of(event)), after=where(to))


@post(MOVE, status_code=303)
async def move_page(request: Request[Any, Any, Any], event_id: int, data: Annotated[MoveForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    event = await load_event(event_id)
    form = {f: getattr(data, f) for f in PLACEMENT_FIELDS}
    read = read_event_form(EventForm(**form), language, PLACEMENT_FIELDS, (), event)
    if not read.ok:
        return await _move_page(request, event, form, errors=read.errors, status_code=400)
    to = Placement(**{f: read.values[f] for f in PLACEMENT_FIELDS})
    impact = await move_impact(event_id, to)
    if not impact.moves:
        return await _move_page(request, event, form, status_code=400, errors={
            FORM_ERROR: gettext(language, "This is where and when the event already takes place: nothing would move."),
        })
    if not data.confirmed:
        # Said before anything changes: the coordinator confirms with the same values.
        return await _move_page(request, event, form, impact=impact, to=to)
    try:
        update = msgspec.convert({f: read.values[f] for f in PLACEMENT_FIELDS}, EventUpdate)
        async with write_transaction():
            await update_event(event_id, update)
            await record(me, ActionKind.event_moved, event_id=event_id, detail=_move_detail(event, to, language))
    except (DomainError, msgspec.ValidationError) as exc:
        return await _move_page(request, event, form, errors=error_of(exc, language), status_code=_status(exc))
    return Redirect(f"{_path(EVENT, event_id)}?done=moved", status_code=303)


@get(CANCEL, name="console-event-cancel")
async def cancel_form_page(request: Request[Any, Any, Any], event_id: int) -> Response[Any]:
    event = await load_event(event_id)
    if event.status == EventStatus.cancelled:
        return Redirect(_path(EVENT, event_id), status_code=303)
    impact = await move_impact(event_id, Placement.of(event))
    return _page(request, "events/console_cancel.html", event=event, impact=impact)


@post(CANCEL, status_code=303)
async def cancel_page(request: Request[Any, Any, Any], event_id: int) -> Redirect:
    me = principal_of(request)
    async with write_transaction():
        before = await load_event(event_id)
        cancelled = await cancel_event(event_id)
        if before.status != EventStatus.cancelled:
            await record(me, ActionKind.event_cancelled, event_id=event_id, detail=cancelled.title)
    return Redirect(f"{_path(EVENT, event_id)}?done=cancelled", status_code=303)


# ---------------------------------------------------------------- the overview


def _requirements(event: EventRow) -> Said | None:
    """What the event asks of anyone, as the member pages say it ("Gold and above; by invitation.")."""
    conditions = conditions_of(event)
    return Said(N_("{reasons}."), {"reasons": SaidList(conditions, sentence=True)}) if conditions else None


@get(EVENT, name="console-event")
async def event_page(request: Request[Any, Any, Any], event_id: int, done: str = "") -> Template:
    event = await load_event(event_id)
    taken = await seats_taken(event_id)
    waiting = (await waitlist_by_event([event_id])).get(event_id, 0)
    admitted = await qualifying(EligibilityChoice(
        kind=event.kind, min_tier=event.min_tier_name, invitation_only=event.invitation_only, min_points=event.min_points,
        max_per_12_months=event.max_per_12_months, starts_at=event.starts_at, event_id=event.id,
    ))
    return _page(
        request, "events/console_event.html", event=event, taken=taken, waiting=waiting, requirements=_requirements(event),
        preview=admitted, actions=await actions_for_event(event_id), action_labels=ACTION_LABELS,
        done=DONE.get(done), attendees=ATTENDEES.format(event_id=event_id), figures=FIGURES.format(event_id=event_id), path=lambda t: _path(t, event_id),
        EDIT=EDIT, PUBLISH=PUBLISH, MOVE=MOVE, CANCEL=CANCEL,
    )


CONSOLE_PAGES: list[Any] = [
    events_page, new_event_page, create_event_page, qualifying_page, edit_event_page, save_event_page, publish_page,
    move_form_page, move_page, cancel_form_page, cancel_page, event_page,
]
# The events of the day are checkin's part of Today (their check-ins are its record).
TODAY_SECTIONS: list[Any] = []
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = []
