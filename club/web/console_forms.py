"""What the console's forms share: a form read with the API's own request type, so every field the
API would refuse is named, with what is wrong, next to that field, and nothing is saved.

msgspec says what was wrong in technical English ("Expected `int` >= 0 - at `$.capacity`");
`field_problems` finds the field it names and says the same in words a coordinator reads (or a
form gives its own words per field to `read_form`). Times are typed on the venue's (or clinic's)
clock in datetime-local inputs and read here on that clock (`local_instant`, `local_input`).

msgspec stops at the first field it refuses; a form should say everything wrong at once, so
`read_form` checks each field alone against its type in the request Struct (the same Meta bounds
the API applies), then reads the whole body once they all pass (which runs the Struct's own checks,
the dates' ranges among them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from club.errors import DomainError, Said
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from club.tables import Member

__all__ = [
    "FieldErrors",
    "field_of",
    "field_problems",
    "local_input",
    "local_instant",
    "named_members",
    "problem_said",
    "problem_text",
    "read_form",
    "refusal_field",
    "whole_number",
    "zone_of",
]

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


def whole_number(text: str) -> int | str | None:
    """A number as a coordinator types it ("1,200", "＋500", "−200") as an int; None when the field is
    left empty; else the text itself, which the form's type then refuses as the API would."""
    cleaned = unicodedata.normalize("NFKC", text).replace("−", "-").replace(",", "").replace(" ", "").strip()
    if not cleaned:
        return None
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


# A field's name -> what is wrong with it, in the reader's language.
FieldErrors = dict[str, str]

_BETWEEN = re.compile(r"^`(\w+)` must be between (\S+) and (\S+)")
_AT_LEAST = re.compile(r"Expected `(?:int|float)` >= (-?\d+)")
_AT_MOST = re.compile(r"Expected `(?:int|float)` <= (-?\d+)")
_LONGER = re.compile(r"Expected `\w+` of length >= (\d+)")
_SHORTER = re.compile(r"Expected `\w+` of length <= (\d+)")



def problem_said(error: msgspec.ValidationError) -> Said:
    """msgspec's refusal of one field as a catalog text."""
    text = str(error)
    if found := _BETWEEN.search(text):
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


_SEPARATORS = re.compile(r"[\s,;，；、]+")


async def named_members(text: str, language: Language) -> tuple[list[int], str]:
    """Member numbers ("12", "#12") and e-mail addresses, as a coordinator types several at once,
    to member ids (the API's invitation bodies take ids); or what is wrong with them."""
    ids: list[int] = []
    addresses: list[str] = []
    for token in (t for t in _SEPARATORS.split(text) if t):
        token = token.removeprefix("#")
        if token.isdigit():
            ids.append(int(token))
        elif "@" in token:
            addresses.append(token.casefold())
        else:
            return [], gettext(language, "{token} is neither a member number nor an e-mail address.", token=token)
    if addresses:
        found = {r["email"].casefold(): r["id"] for r in await Member.select(Member.id, Member.email).where(
            Member.email.is_in(addresses)
        )}
        unknown = [a for a in addresses if a not in found]
        if unknown:
            return [], gettext(language, "No member has the address {address}.", address=unknown[0])
        ids += [found[a] for a in addresses]
    return ids, ""
