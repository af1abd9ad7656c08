"""A sequence's steps as one member would receive them for one event, before anything is sent.

Nothing here writes the message or times it: the text is what a send composes
(delivery.preview_message, from the same joined row a send reads) and the time is where planning
would put the step (scheduling.planned_for), so the preview cannot say something the send will not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from club import clock
from club.i18n.languages import Language, language_of
from club.members import get_member
from club.rows import rows_as
from club.schemas import MemberOut
from events.catalog import load_event
from events.reminders.delivery import preview_message
from events.reminders.preferences import accepts, kind_of
from events.reminders.rows import EventTiming, SendRow, StepRow
from events.reminders.rules import step_text, step_texts
from events.reminders.scheduling import item_anchors, planned_for
from events.reminders.sequences import get_sequence
from events.reminders.tables import Anchor, Channel, ReminderStep, ScheduleStatus
from events.rows import EventRow

__all__ = ["StepPreview", "preview_sequence"]


@dataclass(frozen=True, slots=True)
class StepPreview:
    """One step for one member: what they would read, in which language, when, and whether."""

    position: int
    channel: Channel
    subject: str
    body: str
    recipient: str
    # The language the text is written in; the member's own, when the step has a text in it.
    written_in: Language
    # None: the step would not go to them (`reason` says why, as planning says it).
    due_at: datetime | None
    reason: str
    place_zone: str
    # False: the member turned this kind of message off on this channel.
    accepted: bool


async def _steps(sequence_id: int) -> list[StepRow]:
    rows = await ReminderStep.select().where(ReminderStep.sequence == sequence_id).order_by(ReminderStep.position)
    return rows_as(StepRow, rows)


def _send_row(step: StepRow, preparation: str, member: MemberOut, event: EventRow, due_at: datetime, item: int | None) -> SendRow:
    """The row a send of this step to this member would read (delivery's SendRow), unsaved."""
    return SendRow(
        id=0, rsvp=None, event=event.id, member=member.id, step=step.id, outbox=None, item=item,
        channel=step.channel, due_at=due_at, event_version=event.version, generation=0,
        status=ScheduleStatus.scheduled, rsvp_status=None, event_status=event.status,
        current_version=event.version, starts_at=event.starts_at, ends_at=event.ends_at, title=event.title,
        venue=event.venue, venue_time_zone=event.venue_time_zone, member_name=member.name, email=member.email,
        phone=member.phone, tz=member.time_zone, language=member.language, anchor=step.anchor,
        subject=step.subject, template=step.template, step_texts=step.texts, quiet_policy=step.quiet_hours,
        preparation=preparation, notice_kind=None, notice_payload=None,
    )


async def preview_sequence(sequence_id: int, member_id: int, event_id: int, club_language: Language) -> list[StepPreview]:
    """Each step of the sequence as the member would receive it for the event if they were
    confirmed now (a per-leg step: for the itinerary's first item)."""
    sequence = await get_sequence(sequence_id)
    member = await get_member(member_id)
    event = await load_event(event_id)
    steps = await _steps(sequence_id)
    timing = EventTiming(
        id=event.id, kind=event.kind, status=event.status, starts_at=event.starts_at, ends_at=event.ends_at,
        version=event.version, venue_time_zone=event.venue_time_zone,
    )
    items = []
    if any(s.anchor == Anchor.itinerary_item for s in steps):
        items = (await item_anchors([event_id])).get(event_id, [])[:1]
    now = clock.now()
    previews = []
    for step in steps:
        planned = planned_for(timing, step, member.id, member.time_zone, now, items)
        if not planned:  # a per-leg step of an event without an itinerary
            continue
        item, due_at, reason = planned[0]
        message = await preview_message(
            _send_row(step, sequence.preparation, member, event, due_at or now, item), club_language
        )
        if message is None:
            continue
        # A call's script is read by the coordinator, in the club's language (as the send writes it).
        reader = club_language if step.channel == Channel.call else language_of(member.language) or club_language
        written_in, _ = step_text(step_texts(step.texts), step.subject, step.template, reader, club_language)
        leg_zone = next((i.time_zone for i in items if i.id == item), None)
        previews.append(StepPreview(
            position=step.position, channel=step.channel, subject=message.subject, body=message.body,
            recipient=message.recipient, written_in=written_in, due_at=due_at, reason=reason,
            place_zone=leg_zone or event.venue_time_zone,
            accepted=await accepts(member.id, kind_of(None, step.template, sequence.preparation, step.quiet_hours), step.channel),
        ))
    return previews
