"""The console's sequence builder form: what a coordinator typed, read into the API's SequenceIn,
with each problem placed beside the field it is about.

The API's own schema decides what is valid (msgspec.convert into StepTextIn, StepIn and
SequenceIn, as a POST /api/reminder-sequences body is read), and the service's refusal of an
unknown placeholder or an empty message (create_sequence) is split back onto the step and the
language it names. This module only reads the form and says where each problem goes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec
from msgspec import inspect

from club.errors import InvalidInput, Said, SaidList, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language
from events.reminders.rules import PLACEHOLDERS
from events.reminders.schemas import SequenceIn, StepIn, StepOut, StepTextIn
from events.reminders.tables import Anchor, Channel, QuietPolicy

__all__ = [
    "ANCHOR_LABELS",
    "LANGUAGE_TAGS",
    "MAX_STEPS",
    "PLACEHOLDER_HINTS",
    "QUIET_LABELS",
    "FormProblems",
    "SequenceForm",
    "StepForm",
    "field_problem",
    "form_of_sequence",
    "path_of",
    "placed_refusal",
    "read_form",
    "sequence_in",
    "with_step_added",
    "with_step_removed",
]

# The languages a step is written in, in the order the form shows them.
LANGUAGE_TAGS: tuple[str, ...] = tuple(language.tag for language in Language)
MAX_STEPS: int = next(
    int(f.type.max_length or 20) for f in inspect.type_info(SequenceIn).fields if f.name == "steps"  # type: ignore[attr-defined]
)

ANCHOR_LABELS: dict[Anchor, str] = {
    Anchor.event_start: N_("the event's start"),
    Anchor.event_end: N_("the event's end"),
    Anchor.appointment: N_("the appointment (check-ups)"),
    Anchor.departure: N_("the departure (trips)"),
    Anchor.itinerary_item: N_("each item of the itinerary (trips)"),
}
QUIET_LABELS: dict[QuietPolicy, tuple[str, str]] = {
    QuietPolicy.hold: (N_("Hold until morning"), N_("Due at night: sent when the member's night ends, or just before it begins when the morning would be too late.")),
    QuietPolicy.drop: (N_("Do not send at night"), N_("Due at night: not sent at all.")),
    QuietPolicy.send: (N_("Send at its time"), N_("Sent at its time even at night, for a message the member expects then (the fasting reminder).")),
}
PLACEHOLDER_HINTS: dict[str, str] = {
    "member_name": N_("the member's name"),
    "event_title": N_("the event's title"),
    "local_time": N_("the date and time on the place's clock"),
    "venue": N_("the venue"),
    "preparation": N_("how to prepare (the sequence's text below)"),
    "survey_link": N_("the member's satisfaction survey: the step then goes only to who checked in"),
}
assert set(PLACEHOLDER_HINTS) == PLACEHOLDERS, "every placeholder rendering knows is explained on the form"

_STEP_FIELDS = ("anchor", "offset_days", "at_local_time", "offset_minutes", "channel", "quiet_hours")
_AT = re.compile(r"- at `\$\.?(?P<path>[^`]*)`$")


@dataclass
class StepForm:
    """One step as the form holds it: what was typed, kept as text to show it back."""

    anchor: str = Anchor.event_start.value
    offset_days: str = "0"
    at_local_time: str = ""
    offset_minutes: str = "0"
    channel: str = Channel.email.value
    quiet_hours: str = QuietPolicy.hold.value
    send_to_late_joiners: bool = True
    # tag -> (subject, template)
    texts: dict[str, tuple[str, str]] = field(default_factory=lambda: {tag: ("", "") for tag in LANGUAGE_TAGS})


@dataclass
class SequenceForm:
    name: str = ""
    preparation: str = ""
    steps: list[StepForm] = field(default_factory=lambda: [StepForm()])


@dataclass
class FormProblems:
    """Problems by field id (the form's input names: "name", "s0-offset_days", "s1-en-template",
    "s1-texts"), in the reader's language; `summary` is said above the form."""

    fields: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    def __bool__(self) -> bool:
        return bool(self.fields or self.summary)

    def add(self, field_id: str, text: str) -> None:
        self.fields.setdefault(field_id, text)


def read_form(form: Mapping[str, str]) -> SequenceForm:
    """The builder's fields (s0-…, s1-… per step, `steps` their count) as typed."""
    try:
        count = int(form.get("steps", "1"))
    except ValueError:
        count = 1
    count = max(1, min(count, MAX_STEPS + 1))
    steps = []
    for i in range(count):
        p = f"s{i}-"
        steps.append(StepForm(
            anchor=form.get(p + "anchor", Anchor.event_start.value).strip(),
            offset_days=form.get(p + "offset_days", "0").strip(),
            at_local_time=form.get(p + "at_local_time", "").strip(),
            offset_minutes=form.get(p + "offset_minutes", "0").strip(),
            channel=form.get(p + "channel", Channel.email.value).strip(),
            quiet_hours=form.get(p + "quiet_hours", QuietPolicy.hold.value).strip(),
            send_to_late_joiners=form.get(p + "send_to_late_joiners") == "on",
            texts={tag: (form.get(f"{p}{tag}-subject", "").strip(), form.get(f"{p}{tag}-template", "").strip()) for tag in LANGUAGE_TAGS},
        ))
    return SequenceForm(name=form.get("name", "").strip(), preparation=form.get("preparation", "").strip(), steps=steps)


def form_of_sequence(name: str, preparation: str, steps: list[StepOut]) -> SequenceForm:
    """A saved sequence as the builder's form, to build a new one from it."""
    def step_form(s: StepOut) -> StepForm:
        texts = {tag: ("", "") for tag in LANGUAGE_TAGS}
        for tag, text in s.texts.items():
            if tag in texts:
                texts[tag] = (text.subject, text.template)
        return StepForm(
            anchor=s.anchor.value, offset_days=str(s.offset_days), at_local_time=s.at_local_time or "",
            offset_minutes=str(s.offset_minutes), channel=s.channel.value, quiet_hours=s.quiet_hours.value,
            send_to_late_joiners=s.send_to_late_joiners, texts=texts,
        )
    return SequenceForm(name=name, preparation=preparation, steps=[step_form(s) for s in steps] or [StepForm()])


def _field_type(struct: type, name: str) -> Any:
    """The msgspec type of a Struct's field, with `None` taken off an optional one."""
    for f in inspect.type_info(struct).fields:  # type: ignore[attr-defined]
        if f.name == name:
            kind = f.type
            if isinstance(kind, inspect.UnionType):
                kind = next(t for t in kind.types if not isinstance(t, inspect.NoneType))
            return kind
    return None


def field_problem(error: msgspec.ValidationError, struct: type, name: str) -> Said:
    """What the API's refusal of a field means, in words, with the bounds its schema sets."""
    text, kind = str(error), _field_type(struct, name)
    if isinstance(kind, inspect.IntType):
        return Said(N_("Please give a whole number from {low} to {high}."), {"low": kind.ge, "high": kind.le})
    if isinstance(kind, inspect.StrType) and kind.pattern:
        return Said(N_("Please give a time of day as HH:MM, such as 18:00, or leave it empty."))
    if isinstance(kind, inspect.StrType) and "length >=" in text:
        return Said(N_("This cannot be left empty."))
    if isinstance(kind, (inspect.StrType, inspect.ListType)) and "length <=" in text:
        return Said(N_("This is too long: at most {n}."), {"n": kind.max_length})
    if isinstance(kind, inspect.EnumType):
        return Said(N_("Please choose one of the options offered."))
    return Said(N_("Please check this field."))


def path_of(error: msgspec.ValidationError) -> str:
    found = _AT.search(str(error))
    return found.group("path") if found else ""


def _step_body(step: StepForm, club_language: Language) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """A step as the API's JSON body would give it; the texts of the languages with any text."""
    texts = {tag: {"subject": subject, "template": template} for tag, (subject, template) in step.texts.items() if subject or template}
    body: dict[str, Any] = {
        "anchor": step.anchor, "channel": step.channel, "quiet_hours": step.quiet_hours,
        "send_to_late_joiners": step.send_to_late_joiners,
        # An empty number is the API's default (0), as a field left out of the JSON body is.
        "offset_days": step.offset_days or "0", "offset_minutes": step.offset_minutes or "0",
        "at_local_time": step.at_local_time or None,
    }
    # The club's own language is also the step's single text, which the API reads as the text of
    # anyone whose language the step lacks, and by which a {preparation} step is known.
    own = texts.get(club_language.tag)
    if own is not None:
        body |= {"subject": own["subject"], "template": own["template"] or None}
    return body, texts


def sequence_in(form: SequenceForm, language: Language, club_language: Language) -> tuple[SequenceIn | None, FormProblems]:
    """The form as the API's SequenceIn, or the problems of each field in `language`."""
    problems = FormProblems()
    steps: list[StepIn] = []
    for i, step in enumerate(form.steps):
        body, texts = _step_body(step, club_language)
        for tag, text in texts.items():
            try:
                msgspec.convert(text, StepTextIn, strict=False)
            except msgspec.ValidationError as exc:
                name = path_of(exc) or "template"
                problems.add(f"s{i}-{tag}-{name}", said_text(language, field_problem(exc, StepTextIn, name)))
        # Field by field, so every bad field of a step is said at once (msgspec stops at the first).
        for name in _STEP_FIELDS:
            try:
                msgspec.convert({"channel": Channel.email.value, name: body[name]}, StepIn, strict=False)
            except msgspec.ValidationError as exc:
                problems.add(f"s{i}-{name}", said_text(language, field_problem(exc, StepIn, name)))
        if problems:
            continue
        try:
            steps.append(msgspec.convert({**body, "texts": texts}, StepIn, strict=False))
        except msgspec.ValidationError as exc:
            path = path_of(exc)
            problems.add(f"s{i}-{path}" if path in _STEP_FIELDS else f"s{i}-texts",
                         said_text(language, field_problem(exc, StepIn, path)))
    if len(form.steps) > MAX_STEPS:
        problems.summary = said_text(language, Said(N_("A sequence has at most {n} steps."), {"n": MAX_STEPS}))
    for name in ("name", "preparation"):
        # Stand-ins for the rest of the API's body, so that only this field is in question.
        body = {"name": "x", "preparation": "", "steps": [{"channel": "email", "template": "x"}], name: getattr(form, name)}
        try:
            msgspec.convert(body, SequenceIn, strict=False)
        except msgspec.ValidationError as exc:
            problems.add(name, said_text(language, field_problem(exc, SequenceIn, name)))
    if problems:
        return None, problems
    return SequenceIn(name=form.name, preparation=form.preparation, steps=steps), problems


# The service's texts for a step's fields (events.reminders.sequences._check_templates): "subject"
# and "template" are the step's single text (the club language's on this form), "{tag} …" a language's.
_FIELD_OF_TEXT = {"subject": "subject", "template": "template", "{tag} subject": "subject", "{tag} template": "template"}


def placed_refusal(refusal: InvalidInput, language: Language, club_language: Language) -> FormProblems:
    """The service's refusal of a sequence's texts (create_sequence), each of its problems beside
    the step and language it names; the whole refusal, in `language`, above the form."""
    problems = FormProblems(summary=refusal.detail_in(language))
    listed = refusal.values.get("step_problems")
    if not isinstance(listed, SaidList):
        return problems
    untagged = []
    for said in listed.items:
        step = said.values.get("step")
        if not isinstance(step, int):
            continue
        where = said.values.get("field")
        if isinstance(where, Said) and where.message in _FIELD_OF_TEXT:
            tag = where.values.get("tag")
            field_id = f"s{step - 1}-{tag or club_language.tag}-{_FIELD_OF_TEXT[where.message]}"
            if not tag:
                # The step's single text is the club language's: said beside it unless that
                # language's own problem (which names the language) is said there.
                untagged.append((field_id, said))
                continue
        else:
            field_id = f"s{step - 1}-texts"
        problems.add(field_id, said_text(language, said))
    for field_id, said in untagged:
        problems.add(field_id, said_text(language, said))
    return problems


def with_step_added(form: SequenceForm) -> SequenceForm:
    """The form with one more step, like the last one but without its texts."""
    last = form.steps[-1]
    fresh = replace(last, texts={tag: ("", "") for tag in LANGUAGE_TAGS})
    return replace(form, steps=[*form.steps, fresh])


def with_step_removed(form: SequenceForm, index: int) -> SequenceForm:
    if len(form.steps) <= 1 or not 0 <= index < len(form.steps):
        return form
    return replace(form, steps=[s for i, s in enumerate(form.steps) if i != index])
