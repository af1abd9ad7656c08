"""What the console's forms share: a field's problem said next to it, in the reader's language.

A console form is read the way the API reads its body: its fields are converted into the API's
own request Struct (`msgspec.convert`), so the console refuses what the API refuses. msgspec says
what was wrong in technical English ("Expected `int` >= 0 - at `$.capacity`"); `field_problems`
finds the field it names and says the same in words a coordinator reads. Times are typed on the
venue's (or clinic's) clock in datetime-local inputs and read here on that clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from club.errors import Said
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language

__all__ = [
    "FieldErrors",
    "field_of",
    "field_problems",
    "local_input",
    "local_instant",
    "problem_said",
    "problem_text",
    "whole_number",
    "zone_of",
]

# A field's name -> what is wrong with it, in the reader's language.
FieldErrors = dict[str, str]

_AT = re.compile(r"at `\$\.(\w+)")
_NAMED = re.compile(r"^`(\w+)` must be between (\S+) and (\S+)")
_AT_LEAST = re.compile(r"Expected `(?:int|float)` >= (-?\d+)")
_AT_MOST = re.compile(r"Expected `(?:int|float)` <= (-?\d+)")
_LONGER = re.compile(r"Expected `\w+` of length >= (\d+)")
_SHORTER = re.compile(r"Expected `\w+` of length <= (\d+)")


def field_of(error: msgspec.ValidationError) -> str | None:
    """The field a msgspec refusal names (its first, for a nested one)."""
    text = str(error)
    found = _AT.search(text) or _NAMED.search(text)
    return found.group(1) if found else None


def problem_said(error: msgspec.ValidationError) -> Said:
    """msgspec's refusal of one field as a catalog text."""
    text = str(error)
    if found := _NAMED.search(text):
        return Said(N_("Please choose a date between {start} and {end}."), {"start": found.group(2), "end": found.group(3)})
    if found := _LONGER.search(text):
        n = int(found.group(1))
        return Said(N_("Please fill this in.")) if n == 1 else Said(N_("At least {n} characters."), {"n": n})
    if found := _SHORTER.search(text):
        return Said(N_("At most {n} characters."), {"n": int(found.group(1))})
    if found := _AT_LEAST.search(text):
        return Said(N_("At least {n}."), {"n": int(found.group(1))})
    if found := _AT_MOST.search(text):
        return Said(N_("At most {n}."), {"n": int(found.group(1))})
    if "Invalid enum value" in text:
        return Said(N_("Please choose one of the listed values."))
    if "Expected `int`" in text:
        return Said(N_("Please enter a whole number."))
    if "Expected `datetime`" in text or "Expected `date`" in text:
        return Said(N_("Please give a date and a time."))
    return Said(N_("This value is not accepted."))


def problem_text(language: Language, said: Said) -> str:
    return gettext(language, said.message, **said.values)


def field_problems(values: Mapping[str, Any], struct: type[msgspec.Struct], language: Language) -> FieldErrors:
    """Each field of `values` read on its own as `struct` reads it, so every field's problem is found,
    not only the first: alone in the Struct where its other fields may be left out (a PATCH body's
    may, and then the Struct's own checks, the dates' ranges, run too), else against its type."""
    types = {f.name: f.type for f in msgspec.structs.fields(struct)}
    errors: FieldErrors = {}
    for name, value in values.items():
        try:
            msgspec.convert({name: value}, struct)
        except msgspec.ValidationError as exc:
            if field_of(exc) == name:
                errors[name] = problem_text(language, problem_said(exc))
                continue
            # Another field is required: read this one against its own type (its Meta bounds).
            try:
                msgspec.convert(value, types[name])
            except msgspec.ValidationError as alone:
                errors[name] = problem_text(language, problem_said(alone))
    return errors


def zone_of(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_instant(text: str, zone: ZoneInfo) -> datetime | None:
    """A datetime-local input's "2026-12-11T18:00" read on `zone`'s clock, as an instant in UTC;
    None when it is not such a value. A time a clock change skips or repeats is read as the
    clock shows it first (fold 0)."""
    try:
        local = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if local.tzinfo is not None:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def local_input(instant: datetime | None, zone: str) -> str:
    """An instant as a datetime-local input shows it, on `zone`'s clock."""
    if instant is None:
        return ""
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def whole_number(text: str) -> int | str | None:
    """A number typed in a field: the int, None when left empty, else the text itself (which the
    conversion then refuses as the API would)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text
