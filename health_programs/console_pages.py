"""The console's check-up programmes: the list, a new programme (its season, the tiers it is open
to, how members prepare), and a programme's page, where its preparation is changed, its partner
clinics added and each clinic's appointment times published.

Every change calls the service the API's route calls (health_programs.programs) and records
itself with club.audit in the same transaction; a refused form is the page again with each problem
next to its field (read as the API reads its body) and nothing written. Nothing here reads who is
booked: that is health data, read through its audited routes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club import clock
from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError, NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.rows import Row, row_as, rows_as
from club.tables import Tier
from club.web.console import club_zone, console_page
from club.web.console_forms import (
    FieldErrors,
    field_of,
    field_problems,
    local_input,
    local_instant,
    problem_said,
    problem_text,
    whole_number,
    zone_of,
)
from club.web.forms import FORM
from events.seats import seats_by_event
from health_programs.programs import add_clinic, add_slot, create_program, get_program, list_programs, slot_outs, update_preparation
from health_programs.schemas import ClinicIn, ClinicOut, PreparationIn, ProgramIn, ProgramOut, SlotIn, SlotOut
from health_programs.tables import Clinic, ClinicSlot

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS"]

CHECK_UPS = "/console/check-ups"
NEW_PROGRAMME = "/console/check-ups/new"
PROGRAMME = "/console/check-ups/{program_id:int}"
PREPARATION = "/console/check-ups/{program_id:int}/preparation"
CLINICS = "/console/check-ups/{program_id:int}/clinics"
SLOTS = "/console/check-ups/clinics/{clinic_id:int}/slots"

DONE = {
    "created": N_("The programme is saved with its concierge reminders. Add its clinics, then their times."),
    "preparation": N_("The preparation is saved: every reminder still to be sent carries it."),
    "clinic": N_("The clinic is added. Publish its times below."),
    "slot": N_("The time is published: members of the programme's tiers can book it now."),
}
# What a refusal of the service is about, by its text (the rest is said above the form).
_REFUSAL_FIELDS = {
    "The season must end on or after the day it starts.": "season_ends_on",
    "There is no tier named {tiers}.": "tiers",
    "{name!r} is not a known time zone; use an IANA name like 'Asia/Shanghai'.": "time_zone",
    "{program} runs from {starts_on} to {ends_on}; this slot is on {day}.": "starts_at",
    "{schedule_problems}.": "ends_at",
}
FORM_ERROR = "_form"


def _path(template: str, **ids: int) -> str:
    for name, value in ids.items():
        template = template.replace(f"{{{name}:int}}", str(value))
    return template


def _page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    return console_page(request, template, status_code=status_code, **values)


def _refused(exc: DomainError | msgspec.ValidationError, language: Language, default: str = FORM_ERROR) -> FieldErrors:
    """A refusal of the service (or of the body's last reading), said next to the field it is about."""
    if isinstance(exc, msgspec.ValidationError):
        return {field_of(exc) or default: problem_text(language, problem_said(exc))}
    return {_REFUSAL_FIELDS.get(exc.template, default): exc.detail_in(language)}


def _status(exc: DomainError | msgspec.ValidationError) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 400


def _read(values: Mapping[str, Any], struct: type[msgspec.Struct], language: Language, required: tuple[str, ...] = ()) -> FieldErrors:
    """Each field's problem, as the API's body type would refuse it."""
    errors: FieldErrors = {n: gettext(language, "Please fill this in.") for n in required if values.get(n) in (None, "")}
    checkable = {k: v for k, v in values.items() if k not in errors and v is not None}
    errors.update({k: v for k, v in field_problems(checkable, struct, language).items() if k not in errors})
    return errors


async def _tier_names() -> list[str]:
    return [r["name"] for r in await Tier.select(Tier.name).order_by(Tier.rank)]


# ---------------------------------------------------------------- the list


class _SlotCountRow(Row, frozen=True):
    program: int
    event: int
    capacity: int


@dataclass(frozen=True, slots=True)
class ProgrammeLine:
    programme: ProgramOut
    times: int
    capacity: int
    booked: int


@get(CHECK_UPS, name="console-check-ups")
async def programmes_page(request: Request[Any, Any, Any]) -> Template:
    programmes = await list_programs(principal_of(request), request_language(request))
    slots = rows_as(_SlotCountRow, await ClinicSlot.select(
        ClinicSlot.program, ClinicSlot.event, ClinicSlot.event.capacity.as_alias("capacity"),
    ).where(ClinicSlot.program.is_in([p.id for p in programmes] or [0])))
    taken = await seats_by_event([s.event for s in slots])
    by_programme: dict[int, list[_SlotCountRow]] = defaultdict(list)
    for s in slots:
        by_programme[s.program].append(s)
    lines = [
        ProgrammeLine(
            p, len(by_programme[p.id]), sum(s.capacity for s in by_programme[p.id]),
            sum(taken.get(s.event, 0) for s in by_programme[p.id]),
        )
        for p in programmes
    ]
    return _page(request, "health_programs/console_programmes.html", lines=lines)


# ---------------------------------------------------------------- a new programme


class ProgrammeForm(msgspec.Struct):
    name: str = ""
    year: str = ""
    season_starts_on: str = ""
    season_ends_on: str = ""
    fasting_hours: str = "0"
    bring: str = ""
    avoid: str = ""
    tiers: list[str] = []
    attendance_points: str = "100"


def _programme_values(form: ProgrammeForm) -> dict[str, Any]:
    """The form as the API's JSON body would carry it."""
    return {
        "name": " ".join(form.name.split()), "year": whole_number(form.year),
        "season_starts_on": form.season_starts_on.strip() or None, "season_ends_on": form.season_ends_on.strip() or None,
        "fasting_hours": whole_number(form.fasting_hours) if form.fasting_hours.strip() else 0,
        "bring": form.bring.strip(), "avoid": form.avoid.strip(), "tiers": [t for t in form.tiers if t],
        "attendance_points": whole_number(form.attendance_points) if form.attendance_points.strip() else 100,
    }


async def _new_page(
    request: Request[Any, Any, Any], form: ProgrammeForm, *, errors: FieldErrors | None = None, status_code: int = 200,
) -> Template:
    return _page(
        request, "health_programs/console_programme_new.html", status_code=status_code, form=form, errors=errors or {},
        tiers=await _tier_names(), form_error=(errors or {}).get(FORM_ERROR),
    )


@get(NEW_PROGRAMME, name="console-check-up-new")
async def new_programme_page(request: Request[Any, Any, Any]) -> Template:
    year = clock.today(club_zone(request)).year + 1
    return await _new_page(request, ProgrammeForm(
        year=str(year), season_starts_on=f"{year}-01-01", season_ends_on=f"{year}-12-31", fasting_hours="8",
    ))


@post(NEW_PROGRAMME, status_code=303)
async def create_programme_page(request: Request[Any, Any, Any], data: Annotated[ProgrammeForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    values = _programme_values(data)
    errors = _read(values, ProgramIn, language, required=("name", "year", "season_starts_on", "season_ends_on"))
    if errors:
        return await _new_page(request, data, errors=errors, status_code=400)
    try:
        body = msgspec.convert(values, ProgramIn)
        async with write_transaction():
            # The concierge sequence's script is in the club's language: coordinators read it on the call.
            programme = await create_program(body, me.user_id, request.app.state.settings.club_locale)
            await record(me, ActionKind.program_created, detail=f"{programme.name} (#{programme.id})")
    except (DomainError, msgspec.ValidationError) as exc:
        return await _new_page(request, data, errors=_refused(exc, language), status_code=_status(exc))
    return Redirect(f"{_path(PROGRAMME, program_id=programme.id)}?done=created", status_code=303)


# ---------------------------------------------------------------- a programme's page


@dataclass(frozen=True, slots=True)
class ClinicTimes:
    clinic: ClinicOut
    slots: list[SlotOut]


async def _programme_page(
    request: Request[Any, Any, Any], program_id: int, *, done: str = "", errors: FieldErrors | None = None,
    forms: Mapping[str, Mapping[str, str]] | None = None, status_code: int = 200,
) -> Template:
    language = request_language(request)
    programme = await get_program(program_id, language=language)
    slots = await slot_outs(ClinicSlot.program == program_id)
    clinics = [ClinicTimes(c, [s for s in slots if s.clinic_id == c.id]) for c in programme.clinics]
    errors = errors or {}
    return _page(
        request, "health_programs/console_programme.html", status_code=status_code, programme=programme, clinics=clinics,
        done=DONE.get(done), errors=errors, forms=forms or {}, form_error=errors.get(FORM_ERROR),
        local_input=local_input, booked=sum(s.capacity - s.seats_left for s in slots), capacity=sum(s.capacity for s in slots), times=len(slots),
    )


@get(PROGRAMME, name="console-check-up")
async def programme_page(request: Request[Any, Any, Any], program_id: int, done: str = "") -> Template:
    return await _programme_page(request, program_id, done=done)


class PreparationForm(msgspec.Struct):
    fasting_hours: str = ""
    bring: str = ""
    avoid: str = ""


@post(PREPARATION, status_code=303)
async def preparation_page(request: Request[Any, Any, Any], program_id: int, data: Annotated[PreparationForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    values = {
        "fasting_hours": whole_number(data.fasting_hours) if data.fasting_hours.strip() else 0,
        "bring": data.bring.strip(), "avoid": data.avoid.strip(),
    }
    form = {"prep": msgspec.structs.asdict(data)}
    errors = {f"prep.{k}": v for k, v in _read(values, PreparationIn, language).items()}
    if errors:
        return await _programme_page(request, program_id, errors=errors, forms=form, status_code=400)
    try:
        body = msgspec.convert(values, PreparationIn)
        async with write_transaction():
            before = await get_program(program_id, language=language)
            after = await update_preparation(program_id, body, request.app.state.settings.club_locale)
            await record(me, ActionKind.program_updated, detail=f"{after.name} (#{program_id}): {before.preparation.text} → {after.preparation.text}")
    except (DomainError, msgspec.ValidationError) as exc:
        return await _programme_page(request, program_id, errors=_refused(exc, language), forms=form, status_code=_status(exc))
    return Redirect(f"{_path(PROGRAMME, program_id=program_id)}?done=preparation#preparation", status_code=303)


class ClinicForm(msgspec.Struct):
    name: str = ""
    address: str = ""
    time_zone: str = ""


@post(CLINICS, status_code=303)
async def clinic_page(request: Request[Any, Any, Any], program_id: int, data: Annotated[ClinicForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    values = {"name": " ".join(data.name.split()), "address": " ".join(data.address.split()), "time_zone": data.time_zone.strip()}
    form = {"clinic": msgspec.structs.asdict(data)}
    errors = _read(values, ClinicIn, language, required=("name", "time_zone"))
    if errors:
        return await _programme_page(request, program_id, errors={f"clinic.{k}": v for k, v in errors.items()}, forms=form, status_code=400)
    try:
        body = msgspec.convert(values, ClinicIn)
        async with write_transaction():
            programme = await get_program(program_id, language=language)
            clinic = await add_clinic(program_id, body)
            await record(me, ActionKind.clinic_added, detail=f"{programme.name} (#{program_id}): {clinic.name}, {clinic.time_zone}")
    except (DomainError, msgspec.ValidationError) as exc:
        refused = {f"clinic.{k}" if k != FORM_ERROR else k: v for k, v in _refused(exc, language).items()}
        return await _programme_page(request, program_id, errors=refused, forms=form, status_code=_status(exc))
    return Redirect(f"{_path(PROGRAMME, program_id=program_id)}?done=clinic#clinic-{clinic.id}", status_code=303)


class SlotForm(msgspec.Struct):
    starts_at: str = ""
    ends_at: str = ""
    capacity: str = ""


class _ClinicOfRow(Row, frozen=True):
    id: int
    program: int
    name: str
    time_zone: str


@post(SLOTS, status_code=303)
async def slot_page(request: Request[Any, Any, Any], clinic_id: int, data: Annotated[SlotForm, FORM]) -> Response[Any]:
    """A time at the clinic, typed on the clinic's clock, published at once (add_slot publishes)."""
    me = principal_of(request)
    language = request_language(request)
    found = await Clinic.select(Clinic.id, Clinic.program, Clinic.name, Clinic.time_zone).where(Clinic.id == clinic_id).first()
    if found is None:
        raise NotFound("Clinic {clinic_id} does not exist.", text_values={"clinic_id": clinic_id})
    clinic = row_as(_ClinicOfRow, found)
    prefix = f"slot{clinic_id}"
    form = {prefix: msgspec.structs.asdict(data)}
    zone = zone_of(clinic.time_zone)
    assert zone is not None  # add_clinic checked it
    values: dict[str, Any] = {"capacity": whole_number(data.capacity)}
    errors: FieldErrors = {}
    for name in ("starts_at", "ends_at"):
        text = getattr(data, name)
        instant = local_instant(text, zone) if text.strip() else None
        if instant is None:
            errors[name] = gettext(language, "Please fill this in.") if not text.strip() else gettext(language, "Please give a date and a time.")
        else:
            values[name] = instant
    errors.update({k: v for k, v in _read(values, SlotIn, language, required=("capacity",)).items() if k not in errors})
    if errors:
        return await _programme_page(request, clinic.program, errors={f"{prefix}.{k}": v for k, v in errors.items()}, forms=form, status_code=400)
    try:
        body = msgspec.convert(values, SlotIn)
        async with write_transaction():
            slot = await add_slot(clinic_id, body, me.user_id)
            when = local_input(slot.starts_at, clinic.time_zone).replace("T", " ")
            await record(me, ActionKind.event_created, event_id=slot.event_id, detail=f"{clinic.name}: {when} ({clinic.time_zone})")
            await record(me, ActionKind.event_published, event_id=slot.event_id)
    except (DomainError, msgspec.ValidationError) as exc:
        refused = {f"{prefix}.{k}" if k != FORM_ERROR else k: v for k, v in _refused(exc, language).items()}
        return await _programme_page(request, clinic.program, errors=refused, forms=form, status_code=_status(exc))
    return Redirect(f"{_path(PROGRAMME, program_id=clinic.program)}?done=slot#clinic-{clinic_id}", status_code=303)


CONSOLE_PAGES: list[Any] = [
    programmes_page, new_programme_page, create_programme_page, programme_page, preparation_page, clinic_page, slot_page,
]
TODAY_SECTIONS: list[Any] = []
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = []
