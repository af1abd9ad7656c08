"""The console's event form: what a coordinator types, read into the API's own event body.

Every field is read as the API reads it (`events.schemas.EventUpdate`, one field at a time so each
problem is found), then the schedule is checked by the rule events.catalog checks it with
(`events.rules.schedule_texts`), so a refused form says every problem next to its field at once
and the service is called only with a body it would take. Times are typed on the venue's clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import msgspec

from club.errors import DomainError, InvalidInput, Said, SaidList, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
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
from events.rows import EventRow
from events.rules import schedule_texts
from events.schemas import EventUpdate
from events.tables import EventKind, WaitlistPolicy

__all__ = [
    "ELIGIBILITY_FIELDS",
    "EVENT_FIELDS",
    "FIELD_LABELS",
    "FORM_ERROR",
    "KIND_LABELS",
    "PLACEMENT_FIELDS",
    "POLICY_LABELS",
    "EventForm",
    "ReadForm",
    "error_of",
    "form_of",
    "read_event_form",
]

# Where a problem that belongs to no one field is said: above the form.
FORM_ERROR = "_form"


class EventForm(msgspec.Struct):
    """The form as a browser posts it: every field a string, an unticked box absent."""

    kind: str = EventKind.salon.value
    title: str = ""
    description: str = ""
    venue: str = ""
    venue_time_zone: str = ""
    starts_at: str = ""
    ends_at: str = ""
    capacity: str = ""
    max_guests: str = "0"
    waitlist_policy: str = WaitlistPolicy.first_come.value
    min_tier: str = ""
    invitation_only: str = ""
    min_points: str = ""
    max_per_12_months: str = ""


# The fields whose change moves an event (events.catalog: members are told, reminders follow):
# a published event changes them through the move form, which says first whom it touches.
PLACEMENT_FIELDS = ("venue", "venue_time_zone", "starts_at", "ends_at")
ELIGIBILITY_FIELDS = ("min_tier", "invitation_only", "min_points", "max_per_12_months")
EVENT_FIELDS = (
    "kind", "title", "description", *PLACEMENT_FIELDS, "capacity", "max_guests", "waitlist_policy", *ELIGIBILITY_FIELDS,
)
_REQUIRED = ("title", "venue", "venue_time_zone", "starts_at", "ends_at", "capacity")

FIELD_LABELS: dict[str, str] = {
    "kind": N_("Kind"),
    "title": N_("Title"),
    "description": N_("Description"),
    "venue": N_("Venue"),
    "venue_time_zone": N_("Venue's time zone"),
    "starts_at": N_("Starts"),
    "ends_at": N_("Ends"),
    "capacity": N_("Seats"),
    "max_guests": N_("Guests per member"),
    "waitlist_policy": N_("Waitlist order"),
    "min_tier": N_("Lowest tier"),
    "invitation_only": N_("By invitation only"),
    "min_points": N_("Minimum points"),
    "max_per_12_months": N_("At most per 12 months"),
}
# What a coordinator chooses among; a member day or a culture class is a salon to the rules.
KIND_LABELS: dict[EventKind, str] = {
    EventKind.salon: N_("Salon, member day or culture class"),
    EventKind.trip: N_("Trip"),
    EventKind.fashion_week: N_("Fashion show"),
    EventKind.health_checkup: N_("Health check-up"),
}
POLICY_LABELS: dict[WaitlistPolicy, str] = {
    WaitlistPolicy.first_come: N_("First come, first served"),
    WaitlistPolicy.tier_priority: N_("Higher tiers first, then first come"),
}


@dataclass(frozen=True, slots=True)
class ReadForm:
    """The form's fields as the API's body takes them (instants for times), and what is wrong."""

    values: dict[str, Any]
    errors: FieldErrors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def form_of(event: EventRow) -> dict[str, str]:
    """An event as its form shows it, times on the venue's clock."""
    zone = event.venue_time_zone
    return {
        "kind": event.kind.value, "title": event.title, "description": event.description, "venue": event.venue,
        "venue_time_zone": zone, "starts_at": local_input(event.starts_at, zone), "ends_at": local_input(event.ends_at, zone),
        "capacity": str(event.capacity), "max_guests": str(event.max_guests), "waitlist_policy": event.waitlist_policy.value,
        "min_tier": event.min_tier_name or "", "invitation_only": "on" if event.invitation_only else "",
        "min_points": "" if event.min_points is None else str(event.min_points),
        "max_per_12_months": "" if event.max_per_12_months is None else str(event.max_per_12_months),
    }


def _wire(form: EventForm, name: str) -> Any:
    """One field as the API's JSON body would carry it (times come later: they need the zone)."""
    text: str = getattr(form, name)
    if name in ("title", "venue", "venue_time_zone"):
        return " ".join(text.split())
    if name in ("capacity", "max_guests", "min_points", "max_per_12_months"):
        return whole_number(text)
    if name == "min_tier":
        return text.strip() or None
    if name == "invitation_only":
        return bool(text)
    return text


def _schedule_field(said: Said) -> str:
    """Which field a schedule problem (events.rules.schedule_texts) is said next to."""
    if said.message == "the event must end after it starts":
        return "ends_at"
    if "time zone" in said.message:
        return "venue_time_zone"
    return FORM_ERROR


def schedule_problem_text(language: Language, said: Said) -> str:
    """One schedule problem as the API's detail says it ("{schedule_problems}.")."""
    return gettext(language, "{schedule_problems}.", schedule_problems=said_text(language, SaidList([said], sentence=True)))


def read_event_form(
    form: EventForm, language: Language, fields: Iterable[str], tiers: Collection[str], current: EventRow | None = None,
) -> ReadForm:
    """The `fields` of `form` (the others keep `current`'s values), read as the API reads them.

    `tiers` are the ladder's names, which the lowest tier must be one of. Nothing is written."""
    names = [f for f in EVENT_FIELDS if f in set(fields)]
    values: dict[str, Any] = {n: _wire(form, n) for n in names if n not in ("starts_at", "ends_at")}
    errors: FieldErrors = {}
    for n in _REQUIRED:
        given = getattr(form, n).strip() if n in ("starts_at", "ends_at") else values.get(n)
        if n in names and given in (None, ""):
            errors[n] = gettext(language, "Please fill this in.")
    zone_name = values.get("venue_time_zone") if "venue_time_zone" in names else (current.venue_time_zone if current else "")
    zone = zone_of(zone_name or "")
    if zone is None and zone_name and "venue_time_zone" not in errors:
        errors["venue_time_zone"] = schedule_problem_text(
            language, next(s for s in schedule_texts(zone_name, _EPOCH, _EPOCH, None, None) if "time zone" in s.message)
        )
    for n in ("starts_at", "ends_at"):
        if n not in names or n in errors:
            continue
        if zone is None:
            continue  # the zone's own problem is said; a time cannot be read without its clock
        instant = local_instant(getattr(form, n), zone)
        if instant is None:
            errors[n] = gettext(language, "Please give a date and a time.")
        else:
            values[n] = instant
    checkable = {k: v for k, v in values.items() if k not in errors and v is not None}
    errors.update({k: v for k, v in field_problems(checkable, EventUpdate, language).items() if k not in errors})
    if values.get("capacity") == 0 and "capacity" not in errors:
        # The API keeps a 0 for a waitlist-only event; a coordinator making one means a seat.
        errors["capacity"] = gettext(language, "An event needs at least one seat.")
    tier = values.get("min_tier")
    if tier is not None and tier not in tiers and "min_tier" not in errors:
        # The words events.catalog refuses an unknown tier with.
        errors["min_tier"] = InvalidInput("There is no tier named {name!r}.", text_values={"name": tier}).detail_in(language)
    _check_schedule(values, errors, language, current)
    return ReadForm(values, errors)


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _check_schedule(values: dict[str, Any], errors: FieldErrors, language: Language, current: EventRow | None) -> None:
    """events.catalog's check of the times, on the times as they would be after the change."""
    def now_or_then(name: str) -> Any:
        return values[name] if name in values else (getattr(current, name) if current else None)

    starts, ends = now_or_then("starts_at"), now_or_then("ends_at")
    zone = now_or_then("venue_time_zone")
    if not isinstance(starts, datetime) or not isinstance(ends, datetime) or not zone or "venue_time_zone" in errors:
        return
    opens = current.rsvp_opens_at if current else None
    closes = current.rsvp_closes_at if current else None
    for said in schedule_texts(zone, starts, ends, opens, closes):
        where = _schedule_field(said)
        errors.setdefault(where, schedule_problem_text(language, said))


def error_of(exc: DomainError | msgspec.ValidationError, language: Language) -> FieldErrors:
    """A refusal the service (or the final conversion) gave, said next to its field."""
    if isinstance(exc, msgspec.ValidationError):
        return {field_of(exc) or FORM_ERROR: problem_text(language, problem_said(exc))}
    where = "min_tier" if exc.template == "There is no tier named {name!r}." else FORM_ERROR
    return {where: exc.detail_in(language)}


def changed_fields(values: Mapping[str, Any], current: EventRow) -> dict[str, tuple[Any, Any]]:
    """field -> (before, after) for the fields `values` changes."""
    before = {**msgspec.structs.asdict(current), "min_tier": current.min_tier_name}
    changes = {}
    for name, after in values.items():
        old = before.get(name)
        old = old.value if isinstance(old, Enum) else old
        if old != after:
            changes[name] = (old, after)
    return changes
