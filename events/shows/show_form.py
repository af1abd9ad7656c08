"""The console's new-show form: a show and its seat categories as typed, read into the API's own
body (events.shows.schemas.ShowCreate), each problem placed beside its field.

The show's own fields are the event form's (events.event_form.read_event_form: each read as the
API reads it, times on the venue's clock, the schedule checked by the rule events.catalog uses);
each category row is read as CategoryIn reads it. The form holds rows "c0-name", "c0-seats",
"c1-…" and their count ("rows"); a row left empty is no category. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec
from msgspec import inspect

from club.errors import DomainError
from club.i18n.catalogs import gettext
from club.i18n.languages import Language
from club.web.console_forms import FieldErrors, field_problems, whole_number
from events.event_form import FORM_ERROR, EventForm, error_of, read_event_form
from events.shows.schemas import CategoryIn, ShowCreate

__all__ = [
    "CATEGORIES_ERROR",
    "FIRST_ROWS",
    "FORM_ERROR",
    "MAX_CATEGORIES",
    "SHOW_FIELDS",
    "CategoryRowForm",
    "ShowForm",
    "form_of_fields",
    "read_show_form",
    "refusal_errors",
    "with_row_added",
]

# The show's fields the event form reads; attendance points are the show body's own.
_EVENT_FIELDS = ("title", "description", "venue", "venue_time_zone", "starts_at", "ends_at", "min_tier")
SHOW_FIELDS = (*_EVENT_FIELDS, "attendance_points")
# A problem of the categories as a whole (none named, two of one name) is said above their rows.
CATEGORIES_ERROR = "categories"
MAX_CATEGORIES: int = next(
    int(f.type.max_length or 20) for f in inspect.type_info(ShowCreate).fields if f.name == "categories"  # type: ignore[attr-defined]
)
# A new form starts with this many rows (most shows have a front row and the rest).
FIRST_ROWS = 2
_DEFAULT_POINTS = next(f.default for f in msgspec.structs.fields(ShowCreate) if f.name == "attendance_points")


@dataclass
class CategoryRowForm:
    name: str = ""
    seats: str = ""

    @property
    def empty(self) -> bool:
        return not self.name.strip() and not self.seats.strip()


@dataclass
class ShowForm:
    """What was typed, kept as text to show it back."""

    fields: dict[str, str] = field(default_factory=lambda: {name: "" for name in SHOW_FIELDS})
    categories: list[CategoryRowForm] = field(default_factory=lambda: [CategoryRowForm() for _ in range(FIRST_ROWS)])


def form_of_fields(posted: Mapping[str, str]) -> ShowForm:
    """The form's fields as posted (a row count out of range is brought within it)."""
    try:
        count = int(posted.get("rows", str(FIRST_ROWS)))
    except ValueError:
        count = FIRST_ROWS
    count = max(1, min(count, MAX_CATEGORIES))
    return ShowForm(
        fields={name: str(posted.get(name, "")) for name in SHOW_FIELDS},
        categories=[
            CategoryRowForm(name=str(posted.get(f"c{i}-name", "")), seats=str(posted.get(f"c{i}-seats", "")))
            for i in range(count)
        ],
    )


def with_row_added(form: ShowForm) -> ShowForm:
    return replace(form, categories=[*form.categories, CategoryRowForm()])


def _read_rows(form: ShowForm, language: Language) -> tuple[list[dict[str, Any]], FieldErrors]:
    """The rows with anything typed, as CategoryIn reads each, and each row's problems."""
    categories: list[dict[str, Any]] = []
    errors: FieldErrors = {}
    for index, row in enumerate(form.categories):
        if row.empty:
            continue
        values: dict[str, Any] = {"name": " ".join(row.name.split()), "seats": whole_number(row.seats)}
        problems = {n: gettext(language, "Please fill this in.") for n, v in values.items() if v in (None, "")}
        checkable = {k: v for k, v in values.items() if k not in problems}
        problems.update({k: v for k, v in field_problems(checkable, CategoryIn, language).items() if k not in problems})
        errors.update({f"c{index}-{name}": text for name, text in problems.items()})
        categories.append(values)
    if not categories:
        errors[CATEGORIES_ERROR] = gettext(language, "A show needs at least one seat category: give it a name and its seats.")
    elif not errors:
        errors.update(field_problems({CATEGORIES_ERROR: categories}, ShowCreate, language))
    return categories, errors


def read_show_form(form: ShowForm, language: Language, tiers: Collection[str]) -> tuple[ShowCreate | None, FieldErrors]:
    """(the body as the API reads it, {}) or (None, {field: what is wrong with it}); the service's
    own refusals (two categories of one name) come later, from create_show itself."""
    event_form = EventForm(**{name: form.fields.get(name, "") for name in _EVENT_FIELDS})
    read = read_event_form(event_form, language, _EVENT_FIELDS, tiers)
    errors: FieldErrors = dict(read.errors)
    values = dict(read.values)
    points = form.fields.get("attendance_points", "").strip()
    values["attendance_points"] = whole_number(points) if points else _DEFAULT_POINTS
    errors.update({k: v for k, v in field_problems({"attendance_points": values["attendance_points"]}, ShowCreate, language).items()
                   if k not in errors})
    values[CATEGORIES_ERROR], row_errors = _read_rows(form, language)
    errors.update(row_errors)
    if errors:
        return None, errors
    try:
        return msgspec.convert(values, ShowCreate), {}
    except msgspec.ValidationError as exc:
        return None, error_of(exc, language)


def refusal_errors(exc: DomainError | msgspec.ValidationError, language: Language) -> FieldErrors:
    """create_show's refusal beside its field: two categories of one name above the rows, an
    unknown tier beside the tier (events.event_form.error_of), anything else above the form."""
    if isinstance(exc, DomainError) and exc.template == "Two seat categories of a show cannot share a name.":
        return {CATEGORIES_ERROR: exc.detail_in(language)}
    return error_of(exc, language)
