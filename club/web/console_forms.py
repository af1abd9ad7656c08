"""What the console's forms share: a form read with the API's own request type, so every field the
API would refuse is named, with what is wrong, next to that field, and nothing is saved.

msgspec stops at the first field it refuses; a form should say everything wrong at once, so
`read_form` checks each field alone against its type in the request Struct (the same Meta bounds
the API applies), then reads the whole body once they all pass (which runs the Struct's own checks,
the dates' ranges among them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from club.errors import DomainError
from club.i18n.catalogs import gettext
from club.i18n.languages import Language

__all__ = ["field_of", "read_form", "refusal_field", "whole_number"]

T = TypeVar("T", bound=msgspec.Struct)

_AT = re.compile(r"at `\$\.([A-Za-z_][A-Za-z0-9_]*)")
_MISSING = re.compile(r"missing required field `([A-Za-z_][A-Za-z0-9_]*)`")
_NAMED = re.compile(r"^`([A-Za-z_][A-Za-z0-9_]*)`")  # club.bounds.check_dates: "`birthday` must be …"


def field_of(error: msgspec.ValidationError) -> str | None:
    """The field msgspec refused ("… - at `$.email`"), missed, or a Struct's own check named."""
    text = str(error)
    found = _AT.search(text) or _MISSING.search(text) or _NAMED.search(text)
    return found.group(1) if found else None


def read_form(
    values: Mapping[str, Any], kind: type[T], messages: Mapping[str, str], language: Language,
) -> tuple[T | None, dict[str, str]]:
    """(the body as the API reads it, {}) or (None, {field: what is wrong with it in `language`}).
    `messages` says, per field, what the API's refusal of that field means for a person."""
    types = {f.name: f.type for f in msgspec.structs.fields(kind)}
    problems: dict[str, str] = {}
    for name, value in values.items():
        try:
            msgspec.convert(value, types[name])
        except msgspec.ValidationError:
            problems[name] = gettext(language, messages[name])
    if problems:
        return None, problems
    try:
        return msgspec.convert(dict(values), kind), {}
    except msgspec.ValidationError as exc:
        found = field_of(exc)
        field = found if found is not None and found in messages else next(iter(messages))
        return None, {field: gettext(language, messages[field])}


def whole_number(text: str) -> int | str:
    """A number as a coordinator types it ("1,200", "＋500", "−200") as an int; else the text, which
    the form's type then refuses."""
    cleaned = unicodedata.normalize("NFKC", text).replace("−", "-").replace(",", "").replace(" ", "").strip()
    try:
        return int(cleaned)
    except ValueError:
        return text


def refusal_field(refusal: DomainError, fields_by_text: Mapping[str, str], default: str | None = None) -> str | None:
    """Which field a service's refusal is about: the one it names (`field=`), else the one its
    text is about (`fields_by_text`: catalog text -> field), else `default`."""
    named = refusal.extra.get("field")
    if isinstance(named, str):
        return named
    return fields_by_text.get(refusal.template, default)
