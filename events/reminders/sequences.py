"""Reminder sequences: coordinators build them, attach them to events, and set kind defaults.

Attaching or detaching re-plans the event's reminders in the same transaction; the jobs are
queued right after the commit (and by the dispatcher if that fails).
"""

from __future__ import annotations

from datetime import datetime

from arq.connections import ArqRedis

from club import clock
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound, Said, SaidList, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language, language_of
from club.locking import lock_objects
from club.rows import Row, row_as, rows_as
from events.reminders.rows import SequenceRow, StepRow
from events.reminders.rules import step_texts, unknown_placeholders
from events.reminders.scheduling import dispatch, follow_event
from events.reminders.schemas import KindDefaultsOut, SequenceIn, SequenceOut, StepIn, StepOut, StepTextIn, StepTextOut
from events.reminders.surveys import SURVEY_PLACEHOLDER
from events.reminders.tables import (
    Anchor,
    Channel,
    EventReminderSequence,
    KindDefaultSequence,
    ReminderSequence,
    ReminderStep,
    ScheduledReminder,
)
from events.tables import Event, EventKind, EventStatus

__all__ = [
    "attach_sequence",
    "catalog_texts",
    "create_sequence",
    "delete_sequence",
    "detach_sequence",
    "event_sequences",
    "get_sequence",
    "kind_defaults",
    "list_sequences",
    "set_kind_defaults",
    "stored_texts",
]


def _now() -> datetime:
    return clock.now()


_KNOWN_PLACEHOLDERS = "{member_name}, {event_title}, {local_time}, {venue}, {preparation}, {survey_link}"


def _check_templates(steps: list[StepIn]) -> None:
    texts: list[Said] = []
    for i, step in enumerate(steps, start=1):
        if step.template is None and not step.texts:
            texts.append(Said(N_("step {step} has no template: give one, or texts per language"), {"step": i}))
        fields: list[tuple[Said, str]] = [(Said(N_("subject")), step.subject), (Said(N_("template")), step.template or "")]
        for tag, given in step.texts.items():
            if language_of(tag) is None:
                texts.append(Said(N_("step {step} has texts in {tag}, a language the club does not write"),
                                  {"step": i, "tag": repr(tag)}))
            fields += [(Said(N_("{tag} subject"), {"tag": tag}), given.subject),
                       (Said(N_("{tag} template"), {"tag": tag}), given.template)]
        for field, text in fields:
            unknown = unknown_placeholders(text)
            if unknown:
                texts.append(Said(N_("step {step} {field} uses unknown placeholders {unknown}"),
                                  {"step": i, "field": field, "unknown": ", ".join(unknown)}))
        if any(SURVEY_PLACEHOLDER in text for _, text in fields):
            # A survey asks about an event that took place, in a message the member reads.
            if step.anchor != Anchor.event_end:
                texts.append(Said(N_("step {step} carries the survey link: anchor it on the event's end"), {"step": i}))
            if step.channel == Channel.call:
                texts.append(Said(N_("step {step} carries the survey link: send it by e-mail or SMS, not as a call"), {"step": i}))
    if texts:
        # `problems` stays the English texts clients read; the detail is in the reader's language.
        raise InvalidInput(
            "{step_problems}. Known: {known}.", problems=[said_text(Language.en, t) for t in texts],
            text_values={"step_problems": SaidList(texts, sentence=True), "known": _KNOWN_PLACEHOLDERS},
        )


def catalog_texts(subject: str, template: str) -> dict[str, StepTextIn]:
    """A default step's texts (catalog texts, marked N_ where declared) in every club language,
    stored with the step as a coordinator's per-language texts are."""
    return {
        language.tag: StepTextIn(subject=gettext(language, subject) if subject else "", template=gettext(language, template))
        for language in Language
    }


def stored_texts(step: StepIn) -> dict[str, dict[str, str]]:
    """A step's texts by language (the Language's value), as `reminder_step.texts` keeps them."""
    texts = {}
    for tag, text in step.texts.items():
        language = language_of(tag)
        if language is not None:
            texts[language.value] = {"subject": text.subject, "template": text.template}
    return texts


def _step_row(sequence_id: int, position: int, s: StepIn) -> ReminderStep:
    """A step's column values (the Enums stored by their values)."""
    return ReminderStep(
        sequence=sequence_id, position=position, anchor=s.anchor.value, offset_days=s.offset_days,
        offset_minutes=s.offset_minutes, at_local_time=s.at_local_time, channel=s.channel.value, subject=s.subject,
        template=s.template or "", texts=stored_texts(s), send_to_late_joiners=s.send_to_late_joiners, quiet_hours=s.quiet_hours.value,
    )


async def create_sequence(body: SequenceIn) -> SequenceOut:
    """A sequence with its steps, numbered in the order given; templates naming an unknown
    placeholder are refused before anything is written."""
    _check_templates(body.steps)
    async with write_transaction():
        rows = await ReminderSequence.insert(
            ReminderSequence(name=body.name, preparation=body.preparation, created_at=_now())
        ).returning(ReminderSequence.id)
        sequence_id = rows[0]["id"]
        await ReminderStep.insert(*[_step_row(sequence_id, i, s) for i, s in enumerate(body.steps, start=1)])
    return await get_sequence(sequence_id)


class _EventState(Row, frozen=True):
    id: int
    status: EventStatus
    kind: EventKind


def _step_out(s: StepRow) -> StepOut:
    return StepOut(
        id=s.id, position=s.position, anchor=s.anchor, offset_days=s.offset_days, offset_minutes=s.offset_minutes,
        at_local_time=s.at_local_time, channel=s.channel, subject=s.subject, template=s.template,
        texts={lang.tag: StepTextOut(subject=t.subject, template=t.template) for lang, t in step_texts(s.texts).items()},
        send_to_late_joiners=s.send_to_late_joiners, quiet_hours=s.quiet_hours,
    )


async def _outs(sequence_rows: list[SequenceRow]) -> list[SequenceOut]:
    ids = [r.id for r in sequence_rows]
    if not ids:
        return []
    steps = rows_as(StepRow, await ReminderStep.select().where(ReminderStep.sequence.is_in(ids)).order_by(ReminderStep.position))
    events = await EventReminderSequence.select(EventReminderSequence.sequence, EventReminderSequence.event).where(
        EventReminderSequence.sequence.is_in(ids)
    ).order_by(EventReminderSequence.event)
    kinds = await KindDefaultSequence.select(KindDefaultSequence.sequence, KindDefaultSequence.event_kind).where(
        KindDefaultSequence.sequence.is_in(ids)
    )
    return [
        SequenceOut(
            id=r.id,
            name=r.name,
            preparation=r.preparation,
            steps=[_step_out(s) for s in steps if s.sequence == r.id],
            event_ids=[e["event"] for e in events if e["sequence"] == r.id],
            default_for_kinds=[EventKind(k) for k in sorted(k["event_kind"] for k in kinds if k["sequence"] == r.id)],
            created_at=r.created_at,
        )
        for r in sequence_rows
    ]


async def get_sequence(sequence_id: int) -> SequenceOut:
    rows = rows_as(SequenceRow, await ReminderSequence.select().where(ReminderSequence.id == sequence_id))
    if not rows:
        raise NotFound("Reminder sequence {sequence_id} does not exist.", text_values={"sequence_id": sequence_id})
    return (await _outs(rows))[0]


async def list_sequences(limit: int, offset: int) -> list[SequenceOut]:
    rows = await ReminderSequence.select().order_by(ReminderSequence.id).limit(limit).offset(offset)
    return await _outs(rows_as(SequenceRow, rows))


async def delete_sequence(sequence_id: int) -> None:
    """Only a sequence that never scheduled anything can go: the schedule's history points at it."""
    async with write_transaction():
        await get_sequence(sequence_id)
        steps = ReminderStep.select(ReminderStep.id).where(ReminderStep.sequence == sequence_id)
        in_use = (
            await EventReminderSequence.exists().where(EventReminderSequence.sequence == sequence_id)
            or await KindDefaultSequence.exists().where(KindDefaultSequence.sequence == sequence_id)
            or await ScheduledReminder.exists().where(ScheduledReminder.step.is_in(steps))
        )
        if in_use:
            raise Conflict("This sequence is attached to events or has scheduled reminders; detach it instead.")
        await ReminderStep.delete().where(ReminderStep.sequence == sequence_id)
        await ReminderSequence.delete().where(ReminderSequence.id == sequence_id)


async def _event(event_id: int) -> _EventState:
    row = await Event.select(Event.id, Event.status, Event.kind).where(Event.id == event_id).first()
    if row is None:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    return row_as(_EventState, row)


async def event_sequences(event_id: int) -> list[SequenceOut]:
    await _event(event_id)
    links = EventReminderSequence.select(EventReminderSequence.sequence).where(EventReminderSequence.event == event_id)
    rows = await ReminderSequence.select().where(ReminderSequence.id.is_in(links)).order_by(ReminderSequence.id)
    return await _outs(rows_as(SequenceRow, rows))


async def attach_sequence(event_id: int, sequence_id: int, queue: ArqRedis, horizon_s: float) -> list[SequenceOut]:
    """Attach a sequence (idempotent); the event's confirmed members get its steps at once."""
    async with write_transaction():
        await lock_objects((Event, event_id))
        event = await _event(event_id)
        if event.status == EventStatus.cancelled:
            raise Conflict("A cancelled event gets no reminders.")
        await get_sequence(sequence_id)
        await EventReminderSequence.insert(
            EventReminderSequence(event=event_id, sequence=sequence_id, link_key=f"{event_id}:{sequence_id}", created_at=_now())
        ).on_conflict(target=EventReminderSequence.link_key, action="DO NOTHING")
        await follow_event(event_id)
    await dispatch(queue, horizon_s)
    return await event_sequences(event_id)


async def detach_sequence(event_id: int, sequence_id: int, queue: ArqRedis, horizon_s: float) -> list[SequenceOut]:
    """Detach a sequence: its unsent steps for this event are cancelled (idempotent)."""
    async with write_transaction():
        await lock_objects((Event, event_id))
        await _event(event_id)
        await EventReminderSequence.delete().where(EventReminderSequence.link_key == f"{event_id}:{sequence_id}")
        await follow_event(event_id)
    await dispatch(queue, horizon_s)
    return await event_sequences(event_id)


async def kind_defaults() -> list[KindDefaultsOut]:
    rows = await KindDefaultSequence.select(KindDefaultSequence.event_kind, KindDefaultSequence.sequence).order_by(
        KindDefaultSequence.sequence
    )
    return [
        KindDefaultsOut(kind=k, sequence_ids=[r["sequence"] for r in rows if r["event_kind"] == k.value])
        for k in EventKind
    ]


async def set_kind_defaults(kind: str, sequence_ids: list[int], queue: ArqRedis, horizon_s: float) -> KindDefaultsOut:
    """Replace a kind's default sequences (`kind` an EventKind or its value); upcoming events of
    that kind without sequences of their own are re-planned."""
    kind = EventKind(kind).value
    wanted = list(dict.fromkeys(sequence_ids))
    async with write_transaction():
        found = {r["id"] for r in await ReminderSequence.select(ReminderSequence.id).where(ReminderSequence.id.is_in(wanted or [0]))}
        missing = [s for s in wanted if s not in found]
        if missing:
            raise InvalidInput("No such reminder sequences: {missing}.", missing=missing)
        await KindDefaultSequence.delete().where(KindDefaultSequence.event_kind == kind)
        if wanted:
            now = _now()
            await KindDefaultSequence.insert(
                *[KindDefaultSequence(event_kind=kind, sequence=s, link_key=f"{kind}:{s}", created_at=now) for s in wanted]
            )
        own = EventReminderSequence.select(EventReminderSequence.event)
        events = await Event.select(Event.id).where(
            (Event.kind == kind) & (Event.status == EventStatus.published.value) & (Event.starts_at > _now()) & Event.id.not_in(own)
        )
        for e in events:
            await follow_event(e["id"])
    await dispatch(queue, horizon_s)
    return KindDefaultsOut(kind=EventKind(kind), sequence_ids=wanted)
