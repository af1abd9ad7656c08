"""The console's reminder sequences: the list, the step-by-step builder, one sequence with its
events, kind defaults and a preview for a real member, and one event's schedule before it goes.

Every page calls the services the API's routes call (events.reminders.sequences, scheduling's
event_schedule); every change is written with its record (club.audit) in one transaction. The
services queue their jobs after their own commit; inside the console's transaction that would be
before the commit, so they are called with a horizon in the past (nothing is queued, every new row
stays marked) and the console dispatches once the change and its record have committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from arq.connections import ArqRedis
from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from club import clock
from club.audit import ActionKind, record
from club.auth import principal_of
from club.bounds import INT32_MAX
from club.db import write_transaction
from club.errors import DomainError, InvalidInput
from club.i18n.catalogs import N_, gettext, ngettext
from club.i18n.http import request_language
from club.i18n.languages import Language, language_of
from club.members import list_members
from club.rows import Row, rows_as
from club.settings import Settings
from club.tables import Member
from club.web.console import console_page
from events.catalog import listed_events, load_event
from events.outbox import NoticeKind
from events.reminders.member_pages import LANGUAGES
from events.reminders.preferences_page import CHANNEL_LABELS
from events.reminders.preview import preview_sequence
from events.reminders.scheduling import dispatch, event_schedule
from events.reminders.schemas import ScheduledReminderOut, SequenceOut, StepOut
from events.reminders.sequence_form import (
    ANCHOR_LABELS,
    LANGUAGE_TAGS,
    MAX_STEPS,
    PLACEHOLDER_HINTS,
    QUIET_LABELS,
    FormProblems,
    SequenceForm,
    form_of_sequence,
    placed_refusal,
    read_form,
    sequence_in,
    with_step_added,
    with_step_removed,
)
from events.reminders.sequences import (
    attach_sequence,
    create_sequence,
    detach_sequence,
    event_sequences,
    get_sequence,
    kind_defaults,
    list_sequences,
    set_kind_defaults,
)
from events.reminders.tables import Channel, DeliveryStatus, ReminderStep, ScheduleStatus
from events.rows import EventRow
from events.tables import Event, EventKind, EventStatus, OutboxMessage

__all__ = [
    "EVENT_REMINDERS",
    "KIND_LABELS",
    "SEQUENCE",
    "SEQUENCES",
    "SEQUENCE_NEW",
    "SEQUENCE_PAGES",
    "event_reminders_path",
    "language_name",
    "sequence_path",
    "status_label",
]

SEQUENCES = "/console/sequences"
SEQUENCE_NEW = "/console/sequences/new"
SEQUENCE = "/console/sequences/{sequence_id:int}"
SEQUENCE_ATTACH = "/console/sequences/{sequence_id:int}/attach"
SEQUENCE_DETACH = "/console/sequences/{sequence_id:int}/detach"
SEQUENCE_DEFAULTS = "/console/sequences/{sequence_id:int}/defaults"
EVENT_REMINDERS = "/console/events/{event_id:int}/reminders"
EVENT_ATTACH = "/console/events/{event_id:int}/reminders/attach"

# A horizon long past: the services' own dispatch inside the console's transaction queues nothing.
_NOTHING_DUE_YET = -50 * 365 * 86400.0
# At most this many rows of one event's schedule on its page (a 5,000-seat event has 20,000).
SCHEDULE_ROWS = 500

KIND_LABELS: dict[EventKind, str] = {
    EventKind.salon: N_("Salon"),
    EventKind.trip: N_("Trip"),
    EventKind.health_checkup: N_("Health check-up"),
    EventKind.fashion_week: N_("Fashion show"),
}
_STATUS = {
    ScheduleStatus.scheduled: (N_("Scheduled"), "plain"),
    ScheduleStatus.sent: (N_("Sent"), "good"),
    ScheduleStatus.failed: (N_("Failed to send"), "bad"),
    ScheduleStatus.cancelled: (N_("Cancelled"), "plain"),
    ScheduleStatus.skipped: (N_("Not sent"), "warn"),
}
# An RSVP-change message (the events outbox) on an event's schedule, by its kind.
NOTICE_LABELS: dict[str, str] = {
    NoticeKind.confirmed: N_("Notice: place confirmed"),
    NoticeKind.waitlisted: N_("Notice: on the waitlist"),
    NoticeKind.promoted: N_("Notice: a seat freed up"),
    NoticeKind.event_moved: N_("Notice: time changed"),
    NoticeKind.event_cancelled: N_("Notice: event cancelled"),
    NoticeKind.show_invited: N_("Notice: personal invitation"),
    NoticeKind.show_offered: N_("Notice: a seat offered"),
    NoticeKind.show_offer_expired: N_("Notice: invitation lapsed"),
    NoticeKind.show_invitation_withdrawn: N_("Notice: invitation withdrawn"),
}
# The reasons planning and delivery give (in English, in the schedule's rows), said for people.
REASONS = {
    reason: reason for reason in (
        N_("joined after this step's time"), N_("its moment has passed"), N_("due during the member's quiet hours"),
        N_("the member's quiet hours last until after its moment"), N_("the RSVP is no longer confirmed"),
        N_("the event is cancelled"), N_("its sequence no longer applies to the event"), N_("its itinerary item was removed"),
        N_("the RSVP or the event was cancelled"), N_("held past the member's quiet hours"),
        N_("the member turned these messages off on this channel"), N_("the member has no email address"),
        N_("the mail server refused the address"), N_("the member has no phone number"),
    )
}
_DONE = {
    "saved": N_("The sequence is saved."),
    "attached": N_("The sequence is attached. The event's confirmed members have its steps now."),
    "detached": N_("The sequence is detached. Its unsent steps for this event are cancelled."),
    "defaults": N_("The defaults are saved. Upcoming events of those kinds without sequences of their own follow them."),
}


def sequence_path(sequence_id: int) -> str:
    return f"{SEQUENCES}/{sequence_id}"


def event_reminders_path(event_id: int) -> str:
    return f"/console/events/{event_id}/reminders"


_LANGUAGE_NAMES = {language_of(tag): name for tag, name in LANGUAGES}


def language_name(language: Language | str | None) -> str:
    """A language named in itself (简体中文, English): a reader who cannot read the page's still finds theirs."""
    found = language if isinstance(language, Language) else language_of(language)
    return _LANGUAGE_NAMES.get(found, str(language or "")) if found else str(language or "")


def status_label(status: ScheduleStatus) -> tuple[str, str]:
    """A schedule row's status as (catalog text, status class): a word and a shape."""
    return _STATUS[status]


def _page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """A console page whose times name the city when they are not on the club's own clock."""
    return console_page(
        request, template, status_code=status_code,
        kind_labels=KIND_LABELS, channel_labels=CHANNEL_LABELS, language_name=language_name, **values,
    )


async def _fields(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {key: str(form.get(key)) for key in form}


def _id_of(text: str, field: str) -> int:
    """A form's chosen id, refused as the API refuses an id out of range."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= INT32_MAX:
        raise InvalidInput("Please choose one of the options offered.", field=field)
    return value


# --- words -----------------------------------------------------------------------------------

def _span(language: Language, days: int, minutes: int) -> str:
    parts = []
    if days:
        parts.append(ngettext(language, "{n} day", "{n} days", abs(days)))
    hours, rest = divmod(abs(minutes), 60)
    if hours:
        parts.append(ngettext(language, "{n} hour", "{n} hours", hours))
    if rest:
        parts.append(ngettext(language, "{n} minute", "{n} minutes", rest))
    return " ".join(parts)


def step_when(language: Language, step: StepOut) -> str:
    """When a step falls, in words: "1 day before the event's start, at 18:00 on the place's clock"."""
    anchor = gettext(language, ANCHOR_LABELS[step.anchor])
    days, minutes = step.offset_days, step.offset_minutes
    if step.at_local_time:
        if days < 0:
            when = gettext(language, "{span} before {anchor}", span=_span(language, days, 0), anchor=anchor)
        elif days > 0:
            when = gettext(language, "{span} after {anchor}", span=_span(language, days, 0), anchor=anchor)
        else:
            when = gettext(language, "on the day of {anchor}", anchor=anchor)
        when = gettext(language, "{when}, at {clock} on the place's clock", when=when, clock=step.at_local_time)
        if minutes:
            later = N_("{when}, then {span} later") if minutes > 0 else N_("{when}, then {span} earlier")
            when = gettext(language, later, when=when, span=_span(language, 0, minutes))
        return when
    if days == 0 and minutes == 0:
        return gettext(language, "at {anchor}", anchor=anchor)
    if days <= 0 and minutes <= 0:
        return gettext(language, "{span} before {anchor}", span=_span(language, days, minutes), anchor=anchor)
    if days >= 0 and minutes >= 0:
        return gettext(language, "{span} after {anchor}", span=_span(language, days, minutes), anchor=anchor)
    # Days one way and minutes the other: said as the API takes it.
    return gettext(language, "{anchor}, {days} days and {minutes} minutes", anchor=anchor, days=days, minutes=minutes)


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str  # a catalog text
    hint: str = ""


def _builder_choices() -> dict[str, Any]:
    return {
        "anchors": [Choice(a.value, label) for a, label in ANCHOR_LABELS.items()],
        "channels": [Choice(c.value, CHANNEL_LABELS[c]) for c in Channel],
        "quiet_policies": [Choice(q.value, label, hint) for q, (label, hint) in QUIET_LABELS.items()],
        "languages": [(tag, name) for tag, name in LANGUAGES if tag in LANGUAGE_TAGS],
        "placeholders": list(PLACEHOLDER_HINTS.items()),
        "max_steps": MAX_STEPS,
    }


# --- the list ----------------------------------------------------------------------------------

@get(SEQUENCES, name="console-sequences")
async def sequences_page(request: Request[Any, Any, Any]) -> Template:
    sequences = await list_sequences(200, 0)
    return _page(request, "reminders/console_sequences.html", sequences=sequences, defaults=await kind_defaults())


# --- the builder -------------------------------------------------------------------------------

def _builder(
    request: Request[Any, Any, Any], form: SequenceForm, problems: FormProblems | None = None, *, status_code: int = 200,
    based_on: SequenceOut | None = None,
) -> Template:
    settings: Settings = request.app.state.settings
    return _page(
        request, "reminders/console_sequence_new.html", status_code=status_code, form=form,
        problems=problems or FormProblems(), club_language=settings.club_locale.tag, based_on=based_on,
        **_builder_choices(),
    )


@get(SEQUENCE_NEW, name="console-sequence-new")
async def new_sequence_page(
    request: Request[Any, Any, Any], based_on: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
) -> Template:
    if based_on is None:
        return _builder(request, SequenceForm())
    source = await get_sequence(based_on)
    language = request_language(request)
    name = gettext(language, "{name} (new version)", name=source.name)[:200]
    return _builder(request, form_of_sequence(name, source.preparation, source.steps), based_on=source)


@post(SEQUENCE_NEW, name="console-sequence-create", status_code=200)
async def create_sequence_page(request: Request[Any, Any, Any], settings: Settings) -> Template | Redirect:
    """Add or remove a step (the form again, nothing saved), or save the whole sequence."""
    fields = await _fields(request)
    form = read_form(fields)
    action = fields.get("action", "save")
    language = request_language(request)
    if action == "add":
        if len(form.steps) >= MAX_STEPS:
            refused = FormProblems(summary=gettext(language, "A sequence has at most {n} steps.", n=MAX_STEPS))
            return _builder(request, form, refused, status_code=400)
        return _builder(request, with_step_added(form))
    if action.startswith("remove-"):
        index = action.removeprefix("remove-")
        return _builder(request, with_step_removed(form, int(index) if index.isdigit() else -1))
    body, problems = sequence_in(form, language, settings.club_locale)
    if body is None:
        problems.summary = problems.summary or gettext(language, "The sequence is not saved: please correct the fields marked below.")
        return _builder(request, form, problems, status_code=400)
    me = principal_of(request)
    try:
        async with write_transaction():
            saved = await create_sequence(body)
            await record(me, ActionKind.sequence_saved, detail=f"{saved.name} (#{saved.id}), {len(saved.steps)} steps")
    except InvalidInput as refusal:
        return _builder(request, form, placed_refusal(refusal, language, settings.club_locale), status_code=400)
    return Redirect(f"{sequence_path(saved.id)}?done=saved", status_code=303)


# --- one sequence ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EventChoice:
    id: int
    title: str
    kind: EventKind
    starts_at: datetime
    venue_time_zone: str
    status: EventStatus


def _choice(e: EventRow) -> EventChoice:
    return EventChoice(e.id, e.title, e.kind, e.starts_at, e.venue_time_zone, e.status)


async def _upcoming(request: Request[Any, Any, Any]) -> list[EventChoice]:
    """Events still to come that may get reminders (not cancelled), soonest first."""
    rows = await listed_events(principal_of(request), include_past=False, limit=200, offset=0)
    return [_choice(e) for e in rows if e.status != EventStatus.cancelled]


# At most this many of a sequence's events on its page (a programme's sequence has every slot).
ATTACHED_ROWS = 100


async def _attached(ids: list[int]) -> tuple[list[EventChoice], int]:
    """A sequence's events still to come, soonest first (at most ATTACHED_ROWS), and how many ended."""
    if not ids:
        return [], 0
    now = clock.now()
    rows = rows_as(_EventFacts, await Event.select(
        Event.id, Event.title, Event.kind, Event.starts_at, Event.ends_at, Event.venue_time_zone, Event.status,
    ).where(Event.id.is_in(ids)).order_by(Event.starts_at))
    coming = [EventChoice(e.id, e.title, e.kind, e.starts_at, e.venue_time_zone, e.status) for e in rows if e.ends_at >= now]
    return coming[:ATTACHED_ROWS], len(rows) - len(coming)


class _EventFacts(Row, frozen=True):
    id: int
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    venue_time_zone: str
    status: EventStatus


async def _sequence_page(
    request: Request[Any, Any, Any], settings: Settings, sequence_id: int, *, q: str = "", member: int | None = None,
    event: int | None = None, done: str = "", problem: tuple[str, str] | None = None, status_code: int = 200,
) -> Template:
    language = request_language(request)
    sequence = await get_sequence(sequence_id)
    attached, ended = await _attached(sequence.event_ids)
    upcoming = await _upcoming(request)
    attached_ids = set(sequence.event_ids)
    choices = attached + [e for e in upcoming if e.id not in attached_ids]
    event_id = event or (choices[0].id if choices else None)
    found = await list_members(text=q, limit=10) if q else []
    previews = None
    chosen_member = None
    if member is not None and event_id is not None:
        previews = await preview_sequence(sequence_id, member, event_id, settings.club_locale)
        chosen_member = (await _members([member])).get(member)
    return _page(
        request, "reminders/console_sequence.html", status_code=status_code, sequence=sequence,
        steps=[(s, step_when(language, s), QUIET_LABELS[s.quiet_hours][0]) for s in sequence.steps],
        attached=attached, ended=ended, more=len(sequence.event_ids) - ended - len(attached),
        attachable=[e for e in upcoming if e.id not in attached_ids], choices=choices,
        event_id=event_id, q=q, found=found, member=member, chosen_member=chosen_member, previews=previews,
        member_language=language_of(chosen_member.language) if chosen_member else None,
        kinds=list(EventKind), done=_DONE.get(done, ""),
        problem=problem, now=clock.now(),
    )


@get(SEQUENCE, name="console-sequence")
async def sequence_page(
    request: Request[Any, Any, Any], settings: Settings, sequence_id: int,
    q: Annotated[str, Parameter(max_length=200)] = "",
    member: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
    event: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
    done: Annotated[str, Parameter(max_length=20)] = "",
) -> Template:
    return await _sequence_page(request, settings, sequence_id, q=q.strip(), member=member, event=event, done=done)


async def _attach(request: Request[Any, Any, Any], event_id: int, sequence_id: int, queue: ArqRedis, settings: Settings) -> None:
    me = principal_of(request)
    async with write_transaction():
        sequence = await get_sequence(sequence_id)
        await attach_sequence(event_id, sequence_id, queue, _NOTHING_DUE_YET)
        await record(me, ActionKind.sequence_attached, event_id=event_id, detail=f"{sequence.name} (#{sequence_id})")
    await dispatch(queue, settings.reminder_horizon_s)


@post(SEQUENCE_ATTACH, name="console-sequence-attach", status_code=303)
async def attach_from_sequence(
    request: Request[Any, Any, Any], sequence_id: int, queue: ArqRedis, settings: Settings
) -> Redirect | Template:
    fields = await _fields(request)
    try:
        event_id = _id_of(fields.get("event_id", ""), "event_id")
        await _attach(request, event_id, sequence_id, queue, settings)
    except DomainError as refusal:
        problem = ("event_id", refusal.detail_in(request_language(request)))
        return await _sequence_page(request, settings, sequence_id, problem=problem, status_code=refusal.status_code)
    return Redirect(f"{event_reminders_path(event_id)}?done=attached", status_code=303)


@post(SEQUENCE_DETACH, name="console-sequence-detach", status_code=303)
async def detach_page(request: Request[Any, Any, Any], sequence_id: int, queue: ArqRedis, settings: Settings) -> Redirect:
    fields = await _fields(request)
    event_id = _id_of(fields.get("event_id", ""), "event_id")
    me = principal_of(request)
    async with write_transaction():
        sequence = await get_sequence(sequence_id)
        await detach_sequence(event_id, sequence_id, queue, _NOTHING_DUE_YET)
        await record(me, ActionKind.sequence_detached, event_id=event_id, detail=f"{sequence.name} (#{sequence_id})")
    await dispatch(queue, settings.reminder_horizon_s)
    back = event_reminders_path(event_id) if fields.get("back") == "event" else sequence_path(sequence_id)
    return Redirect(f"{back}?done=detached", status_code=303)


@post(SEQUENCE_DEFAULTS, name="console-sequence-defaults", status_code=303)
async def defaults_page(request: Request[Any, Any, Any], sequence_id: int, queue: ArqRedis, settings: Settings) -> Redirect:
    """The kinds this sequence is a default for, as the boxes say; other kinds' defaults are kept."""
    form = await request.form()
    wanted = {str(k) for k in form.getall("kind")} if "kind" in form else set()
    me = principal_of(request)
    async with write_transaction():
        sequence = await get_sequence(sequence_id)
        for defaults in await kind_defaults():
            has, want = sequence_id in defaults.sequence_ids, defaults.kind.value in wanted
            if has == want:
                continue
            ids = [*defaults.sequence_ids, sequence_id] if want else [i for i in defaults.sequence_ids if i != sequence_id]
            await set_kind_defaults(defaults.kind, ids, queue, _NOTHING_DUE_YET)
            await record(
                me, ActionKind.sequence_attached if want else ActionKind.sequence_detached,
                detail=f"{sequence.name} (#{sequence_id}): default for {defaults.kind.value}",
            )
    await dispatch(queue, settings.reminder_horizon_s)
    return Redirect(f"{sequence_path(sequence_id)}?done=defaults", status_code=303)


# --- one event's schedule ----------------------------------------------------------------------

class _MemberFacts(Row, frozen=True):
    id: int
    name: str
    language: str
    time_zone: str


async def _members(ids: list[int]) -> dict[int, _MemberFacts]:
    if not ids:
        return {}
    rows = await Member.select(Member.id, Member.name, Member.language, Member.time_zone).where(Member.id.is_in(ids))
    return {m.id: m for m in rows_as(_MemberFacts, rows)}


class _StepFacts(Row, frozen=True):
    id: int
    position: int
    sequence: int
    sequence_name: str


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One row of an event's schedule as a coordinator reads it."""

    row: ScheduledReminderOut
    member_name: str
    member_language: Language | None
    member_zone: str
    # "Salon reminders · step 2", or the RSVP notice's kind for an outbox message.
    what: str
    step_position: int | None
    sequence_id: int | None
    notice_kind: str
    # Whether the member's clock shows another time than the place's at that moment.
    other_clock: bool


def _other_clock(instant: datetime, a: str, b: str) -> bool:
    return instant.astimezone(ZoneInfo(a)).utcoffset() != instant.astimezone(ZoneInfo(b)).utcoffset()


async def _schedule_lines(rows: list[ScheduledReminderOut], venue_zone: str) -> list[ScheduleLine]:
    members = await _members(sorted({r.member_id for r in rows}))
    step_ids = sorted({r.step_id for r in rows if r.step_id is not None})
    steps = {
        s.id: s for s in rows_as(_StepFacts, await ReminderStep.select(
            ReminderStep.id, ReminderStep.position, ReminderStep.sequence,
            ReminderStep.sequence.name.as_alias("sequence_name"),
        ).where(ReminderStep.id.is_in(step_ids or [0])))
    }
    outbox_ids = sorted({r.outbox_message_id for r in rows if r.outbox_message_id is not None})
    notices = {
        o["id"]: o["kind"] for o in await OutboxMessage.select(OutboxMessage.id, OutboxMessage.kind).where(
            OutboxMessage.id.is_in(outbox_ids or [0])
        )
    }
    lines = []
    for r in rows:
        m = members.get(r.member_id)
        s = steps.get(r.step_id) if r.step_id is not None else None
        zone = m.time_zone if m else venue_zone
        lines.append(ScheduleLine(
            row=r, member_name=m.name if m else "", member_language=language_of(m.language) if m else None,
            member_zone=zone, what=s.sequence_name if s else "", step_position=s.position if s else None,
            sequence_id=s.sequence if s else None,
            notice_kind=str(notices.get(r.outbox_message_id, "")) if r.outbox_message_id is not None else "",
            other_clock=_other_clock(r.due_at, zone, venue_zone),
        ))
    return lines


async def _event_page(
    request: Request[Any, Any, Any], event_id: int, *, status: str = "", done: str = "",
    problem: tuple[str, str] | None = None, status_code: int = 200,
) -> Template:
    me = principal_of(request)
    # The API's service: coordinators only, and an event whose bookings are private is refused here.
    rows = await event_schedule(event_id, me)
    event = await load_event(event_id, me)
    attached = await event_sequences(event_id)
    defaults: list[SequenceOut] = []
    if not attached:
        ids = next((d.sequence_ids for d in await kind_defaults() if d.kind == event.kind), [])
        defaults = [await get_sequence(i) for i in ids]
    counts = {s: sum(1 for r in rows if r.status == s) for s in ScheduleStatus}
    wanted = ScheduleStatus(status) if status in ScheduleStatus.__members__ else None
    shown = [r for r in rows if wanted is None or r.status == wanted]
    attached_ids = {s.id for s in attached}
    return _page(
        request, "reminders/console_event_reminders.html", status_code=status_code, event=event, attached=attached,
        defaults=defaults, attachable=[s for s in await list_sequences(200, 0) if s.id not in attached_ids],
        lines=await _schedule_lines(shown[:SCHEDULE_ROWS], event.venue_time_zone), total=len(shown),
        limit=SCHEDULE_ROWS, counts=counts, statuses=_STATUS, status=wanted.value if wanted else "",
        reasons=REASONS, notice_labels=NOTICE_LABELS, retrying=DeliveryStatus.retry, done=_DONE.get(done, ""), problem=problem,
    )


@get(EVENT_REMINDERS, name="console-event-reminders")
async def event_reminders_page(
    request: Request[Any, Any, Any], event_id: int,
    status: Annotated[str, Parameter(max_length=20)] = "", done: Annotated[str, Parameter(max_length=20)] = "",
) -> Template:
    return await _event_page(request, event_id, status=status, done=done)


@post(EVENT_ATTACH, name="console-event-attach", status_code=303)
async def attach_from_event(request: Request[Any, Any, Any], event_id: int, queue: ArqRedis, settings: Settings) -> Redirect | Template:
    fields = await _fields(request)
    try:
        sequence_id = _id_of(fields.get("sequence_id", ""), "sequence_id")
        await _attach(request, event_id, sequence_id, queue, settings)
    except DomainError as refusal:
        problem = ("sequence_id", refusal.detail_in(request_language(request)))
        return await _event_page(request, event_id, problem=problem, status_code=refusal.status_code)
    return Redirect(f"{event_reminders_path(event_id)}?done=attached", status_code=303)


SEQUENCE_PAGES: list[Any] = [
    sequences_page, new_sequence_page, create_sequence_page, sequence_page, attach_from_sequence, detach_page,
    defaults_page, event_reminders_page, attach_from_event,
]
