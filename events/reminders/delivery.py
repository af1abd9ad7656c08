"""The exactly-once send of one scheduled reminder (or RSVP-change message).

arq runs a job at least once: twice after a retry, a duplicate enqueue, or a worker killed
mid-job. So the send is guarded by rows, not by the job:
1. the scheduled row must still be `scheduled` at the job's generation (else the job is stale);
2. a delivery row, unique on "<rsvp>:<step>:v<event version>", is written before the send;
3. one worker claims it (an UPDATE that only one can win) with a lease, then hands the
   message to the channel with the delivery key as idempotency key;
4. success marks it sent; a failure is retried with backoff, then marked failed.
A worker killed inside 3 loses the lease when it expires; the next try re-hands the message
with the same key, which the outbox, the call list, the Message-ID and the SMS gateway dedupe.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from club import clock
from club.db import write_transaction
from club.i18n.languages import Language, language_of
from club.locking import lock_objects
from club.rows import row_as
from club.settings import Settings
from events.outbox import NoticeKind
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for
from events.reminders.preferences import accepts, kind_of
from events.reminders.rows import SendRow
from events.reminders.rules import (
    MAX_ATTEMPTS,
    QuietHours,
    anchor_instant,
    in_quiet_hours,
    local_time_text,
    notice_text,
    parse_clock,
    quiet_adjust,
    render,
    retry_delay,
    step_text,
    step_texts,
)
from events.reminders.scheduling import follow_event, item_anchors, outbox_payload
from events.reminders.sms import segments_of
from events.reminders.surveys import attended, carries_survey, survey_link
from events.reminders.tables import (
    Anchor,
    Channel,
    DeliveryStatus,
    QuietPolicy,
    ReminderDelivery,
    ScheduledReminder,
    ScheduleStatus,
)
from events.tables import EventStatus, OutboxMessage, RsvpStatus

__all__ = ["Outcome", "deliver", "delivery_key", "preview_message", "quiet_hours_of"]

log = logging.getLogger("club.reminders")


class Outcome(StrEnum):
    """What one send came to (deliver's answer; "ready" is only _prepare's, before the send)."""

    sent = "sent"
    retry = "retry"
    failed = "failed"
    duplicate = "duplicate"  # already sent under another timing of the row
    busy = "busy"  # another worker is sending it
    stale = "stale"
    cancelled = "cancelled"
    early = "early"
    held = "held"  # re-timed past the member's quiet hours
    dropped = "dropped"  # will not go: its moment is lost to the quiet hours
    declined = "declined"  # the member turned this kind off on this channel
    absent = "absent"  # a survey for a member who did not check in: not sent
    ready = "ready"

# A job that starts this early (clock drift between machines) still counts as on time.
_EARLY_TOLERANCE = timedelta(seconds=1)

_S = ScheduledReminder
_FIELDS = (
    *_S.all_columns(),
    _S.rsvp.status.as_alias("rsvp_status"),
    _S.event.status.as_alias("event_status"),
    _S.event.version.as_alias("current_version"),
    _S.event.starts_at.as_alias("starts_at"),
    _S.event.ends_at.as_alias("ends_at"),
    _S.event.title.as_alias("title"),
    _S.event.venue.as_alias("venue"),
    _S.event.venue_time_zone.as_alias("venue_time_zone"),
    _S.member.name.as_alias("member_name"),
    _S.member.email.as_alias("email"),
    _S.member.phone.as_alias("phone"),
    _S.member.time_zone.as_alias("tz"),
    _S.member.language.as_alias("language"),
    _S.step.anchor.as_alias("anchor"),
    _S.step.subject.as_alias("subject"),
    _S.step.template.as_alias("template"),
    _S.step.texts.as_alias("step_texts"),
    _S.step.quiet_hours.as_alias("quiet_policy"),
    _S.step.sequence.preparation.as_alias("preparation"),  # type: ignore[union-attr]  # Piccolo types a two-step join loosely
    _S.outbox.kind.as_alias("notice_kind"),
    _S.outbox.payload.as_alias("notice_payload"),
)


def _now() -> datetime:
    return clock.now()


def quiet_hours_of(settings: Settings) -> QuietHours:
    return QuietHours(parse_clock(settings.quiet_hours_start), parse_clock(settings.quiet_hours_end))


def delivery_key(row: SendRow) -> str:
    """Unique per (RSVP, step, event version), per (RSVP, step, item, event version) for a
    per-leg step; an RSVP-change message is its own key."""
    if row.outbox is not None:
        return f"outbox:{row.outbox}"
    if row.item is not None:
        return f"{row.rsvp}:{row.step}:i{row.item}:v{row.event_version}"
    return f"{row.rsvp}:{row.step}:v{row.event_version}"


async def _with_item(row: SendRow) -> SendRow | None:
    """A per-leg step speaks of its item: its time on the item's clock, its meeting point.
    None when the item is gone from the itinerary."""
    if row.item is None:
        return row
    items = (await item_anchors([row.event])).get(row.event, [])
    item = next((i for i in items if i.id == row.item), None)
    if item is None:
        return None
    return msgspec.structs.replace(row, anchor_at=item.starts_at, item_zone=item.time_zone, venue=item.venue)


async def _set_row(scheduled_id: int, values: dict[Any, Any]) -> None:
    await _S.update({**values, _S.updated_at: _now()}).where(_S.id == scheduled_id)


async def _retime(scheduled_id: int, due_at: datetime) -> None:
    await _set_row(scheduled_id, {_S.due_at: due_at, _S.generation: _S.generation + 1, _S.needs_dispatch: True})


async def _prepare(scheduled_id: int, generation: int, settings: Settings, now: datetime) -> tuple[Outcome, SendRow | None, int]:
    """Phases 1 and 2, one transaction: is this job still the one to send, and now? Writes the
    delivery row and claims it; the attempt number comes with a row ready to send."""
    async with write_transaction():
        await lock_objects((_S, scheduled_id))
        found = await _S.select(*_FIELDS).where(_S.id == scheduled_id).first()
        if found is None:
            return Outcome.stale, None, 0
        row = row_as(SendRow, found)
        if row.status != ScheduleStatus.scheduled or row.generation != generation:
            return Outcome.stale, None, 0
        is_step = row.step is not None
        if is_step and (row.rsvp_status != RsvpStatus.confirmed or row.event_status == EventStatus.cancelled):
            await _set_row(scheduled_id, {_S.status: ScheduleStatus.cancelled.value, _S.status_reason: "the RSVP or the event was cancelled", _S.needs_dispatch: True})
            return Outcome.cancelled, None, 0
        if is_step and row.current_version != row.event_version:
            await follow_event(row.event, now)  # the move was not followed yet: follow it now
            return Outcome.stale, None, 0
        with_item = await _with_item(row)
        if with_item is None:
            await _set_row(scheduled_id, {_S.status: ScheduleStatus.cancelled.value, _S.status_reason: "its itinerary item was removed", _S.needs_dispatch: True})
            return Outcome.cancelled, None, 0
        row = with_item
        if row.due_at > now + _EARLY_TOLERANCE:
            return Outcome.early, None, 0
        if is_step and carries_survey(row.template, row.step_texts, row.subject) and not await attended(row.event, row.rsvp):
            # Decided now, not when planned: a member may be admitted (or the admission undone)
            # up to the moment the survey goes.
            await _set_row(scheduled_id, {_S.status: ScheduleStatus.skipped.value, _S.status_reason: "the member did not check in: a survey goes only to who came", _S.needs_dispatch: True})
            return Outcome.absent, None, 0
        if is_step:
            verdict = await _mind_the_night(row, settings, now)
            if verdict is not None:
                return verdict, None, 0
        if not await accepts(row.member, kind_of(row.notice_kind, row.template, row.preparation, row.quiet_policy), row.channel):
            # The member turned this kind off on this channel (a must-reach kind is always accepted).
            await _set_row(scheduled_id, {_S.status: ScheduleStatus.skipped.value, _S.status_reason: "the member turned these messages off on this channel", _S.needs_dispatch: True})
            return Outcome.declined, None, 0
        await ReminderDelivery.insert(
            ReminderDelivery(
                delivery_key=delivery_key(row), scheduled=scheduled_id, rsvp=row.rsvp, step=row.step,
                event_version=row.event_version, channel=row.channel.value, status=DeliveryStatus.pending.value,
                created_at=now,
            )
        ).on_conflict(target=ReminderDelivery.delivery_key, action="DO NOTHING")
        # Claimed in the same transaction: one commit fewer per send.
        attempts = await _claim(delivery_key(row), settings.reminder_send_lease_s, now)
        if attempts is None:
            done = await ReminderDelivery.select(ReminderDelivery.status).where(
                ReminderDelivery.delivery_key == delivery_key(row)
            ).first()
            if done is not None and done["status"] == DeliveryStatus.sent.value:
                # Sent before under another timing of this row: record it, send nothing.
                await _set_row(scheduled_id, {_S.status: ScheduleStatus.sent.value, _S.needs_dispatch: True})
                return Outcome.duplicate, None, 0
            return Outcome.busy, None, 0
    return Outcome.ready, row, attempts


async def _mind_the_night(row: SendRow, settings: Settings, now: datetime) -> Outcome | None:
    """The last look at the member's night before a step goes out (planning already timed it
    outside the night; the member may have changed zone since, or a retry landed at night).

    Returns None to send now, "held" after re-timing the row once to a strictly later moment
    outside the night, or "dropped" after recording why it will not go. Never re-times to now:
    a job that re-timed itself to its own moment would run again and again, as the fasting SMS
    once did.
    """
    # A per-leg step's night is the night where the traveler is: the item's zone.
    zone = ZoneInfo(row.item_zone if row.item is not None and row.item_zone else row.tz)
    quiet = quiet_hours_of(settings)
    policy = row.quiet_policy or QuietPolicy.hold
    if policy == QuietPolicy.send or not in_quiet_hours(now, zone, quiet):
        return None
    anchor_at = row.anchor_at or anchor_instant(row.anchor or Anchor.event_start, row.starts_at, row.ends_at)
    planned = quiet_adjust(now, zone, quiet, policy, anchor_at, now)
    if planned.due_at is None:
        await _set_row(row.id, {_S.status: ScheduleStatus.skipped.value, _S.status_reason: planned.reason, _S.needs_dispatch: True})
        return Outcome.dropped
    if planned.due_at <= now + _EARLY_TOLERANCE:
        return None
    await _set_row(row.id, {
        _S.due_at: planned.due_at, _S.generation: _S.generation + 1, _S.needs_dispatch: True,
        _S.status_reason: "held past the member's quiet hours",
    })
    return Outcome.held


async def _claim(key: str, lease_s: float, now: datetime) -> int | None:
    """Take the send for this worker; only one claimant can win. Returns the attempt number."""
    D = ReminderDelivery
    async with write_transaction():
        claimed = await D.update(
            {D.status: DeliveryStatus.sending.value, D.lease_until: now + timedelta(seconds=lease_s), D.attempts: D.attempts + 1}
        ).where(
            (D.delivery_key == key)
            & (
                (D.status == DeliveryStatus.pending.value)
                | ((D.status == DeliveryStatus.retry.value) & (D.next_attempt_at <= now))
                | ((D.status == DeliveryStatus.sending.value) & (D.lease_until < now))
            )
        ).returning(D.attempts)
    return claimed[0]["attempts"] if claimed else None


def _message(
    row: SendRow, key: str, club_language: Language, position: int | None = None, survey: str | None = None
) -> OutgoingMessage:
    """The message as its member reads it: in their language as it is now (read with the row, at
    the send), else the club's; times on the place's clock, its city named when not theirs; a
    survey step with the member's own `survey` link (a preview, which has none, shows the
    placeholder)."""
    zone = ZoneInfo(row.tz)
    # A call's script is read by a coordinator: in the club's language, whatever the member's.
    language = club_language if row.channel == Channel.call else language_of(row.language) or club_language
    if row.outbox is not None:
        subject, body = notice_text(
            row.notice_kind or "", outbox_payload(row.notice_payload), row.member_name, zone, language, position
        )
    else:
        # The time on the clock of where it happens (the venue, or a trip leg's place), its
        # city named when the member's own clock differs.
        when, place = (
            (row.anchor_at, ZoneInfo(row.item_zone))
            if row.item is not None and row.anchor_at and row.item_zone
            else (row.starts_at, ZoneInfo(row.venue_time_zone))
        )
        # A text in the club's language for a member whose own the step lacks: its time in that language too.
        written_in, text = step_text(step_texts(row.step_texts), row.subject or "", row.template or "", language, club_language)
        values = {
            "member_name": row.member_name,
            "event_title": row.title,
            "local_time": local_time_text(when, place, zone, written_in),
            "venue": row.venue,
            "preparation": row.preparation or "",
        }
        if survey is not None:
            values["survey_link"] = survey
        subject, body = render(text.subject or row.title, values), render(text.template, values)
    recipient = {Channel.email: row.email, Channel.sms: row.phone}.get(row.channel) or ""
    return OutgoingMessage(
        key=key, channel=row.channel.value, member_id=row.member, event_id=row.event, rsvp_id=row.rsvp,
        recipient=recipient, subject=subject, body=body, due_at=row.due_at,
        kind=kind_of(row.notice_kind, row.template, row.preparation, row.quiet_policy).value,
    )


async def preview_message(row: SendRow, club_language: Language) -> OutgoingMessage | None:
    """The message `row` would send, composed as a send composes it (the console's preview of a
    step for a member); None when its itinerary item is gone."""
    with_item = await _with_item(row)
    return None if with_item is None else _message(with_item, "preview", club_language)


def _for_templates(row: SendRow, message: OutgoingMessage, survey: str | None = None) -> OutgoingMessage:
    """The message with what a gateway's filed template needs (settings.sms_templates): its kind
    (the notice's, or "reminder" for a step) and the values the template is filled with."""
    when, place = (
        (row.anchor_at, row.item_zone) if row.item is not None and row.anchor_at and row.item_zone
        else (row.starts_at, row.venue_time_zone)
    )
    params = {
        "member_name": row.member_name, "event_title": row.title, "venue": row.venue,
        # Figures only: the template's own words say them in its language ("2026-12-11 08:00").
        "time": when.astimezone(ZoneInfo(place)).strftime("%Y-%m-%d %H:%M"),
    }
    if row.outbox is not None:
        params |= {k: str(v) for k, v in outbox_payload(row.notice_payload).items() if isinstance(v, str | int)}
    if survey is not None:
        params["survey_link"] = survey
    return replace(message, template_kind=row.notice_kind or "reminder", params=params)


async def _waitlist_position(row: SendRow) -> int | None:
    """A waitlisted notice's place on the waitlist as it is at the send (候补第 N 位); None for
    any other message, or once the RSVP has left the waitlist."""
    if row.notice_kind != NoticeKind.waitlisted or row.rsvp is None:
        return None
    from events.rsvp import waitlist_positions  # events.rsvp plans reminders: imported when used

    return (await waitlist_positions([row.rsvp])).get(row.rsvp)


async def _finish(
    row: SendRow, key: str, error: ChannelError | None, attempts: int, now: datetime, segments: int | None = None
) -> Outcome:
    """Phase 4: record the outcome, with the SMS segments its text took; a failure is retried
    with backoff until it is marked failed."""
    D = ReminderDelivery
    async with write_transaction():
        if error is None:
            await D.update({D.status: DeliveryStatus.sent.value, D.sent_at: now, D.lease_until: None, D.last_error: "", D.sms_segments: segments}).where(D.delivery_key == key)
            await _set_row(row.id, {_S.status: ScheduleStatus.sent.value, _S.status_reason: "", _S.needs_dispatch: True})
            if row.outbox is not None:
                await OutboxMessage.update({OutboxMessage.delivered_at: now}).where(OutboxMessage.id == row.outbox)
            return Outcome.sent
        detail = str(error)[:300]
        if error.retryable and attempts < MAX_ATTEMPTS:
            next_at = now + retry_delay(attempts)
            await D.update({D.status: DeliveryStatus.retry.value, D.next_attempt_at: next_at, D.lease_until: None, D.last_error: detail, D.sms_segments: segments}).where(D.delivery_key == key)
            await _retime(row.id, next_at)
            return Outcome.retry
        await D.update({D.status: DeliveryStatus.failed.value, D.lease_until: None, D.last_error: detail, D.sms_segments: segments}).where(D.delivery_key == key)
        await _set_row(row.id, {_S.status: ScheduleStatus.failed.value, _S.status_reason: detail, _S.needs_dispatch: True})
        return Outcome.failed


async def deliver(scheduled_id: int, generation: int, settings: Settings, now: datetime | None = None) -> Outcome:
    """Send one scheduled reminder at most once; safe to call any number of times, concurrently.

    Returns what happened: sent, retry, failed, duplicate (already sent), busy (another worker
    is sending), stale, cancelled, early, held or dropped (quiet hours), declined (the member
    turned this kind of message off on this channel), absent (a survey for a member who did not
    check in).
    """
    now = now or _now()
    verdict, row, attempts = await _prepare(scheduled_id, generation, settings, now)
    if row is None:
        return verdict
    key = delivery_key(row)
    sender = sender_for(row.channel.value, settings)
    error: ChannelError | None = None
    message: OutgoingMessage | None = None
    survey = (
        survey_link(settings, row.event, row.member, row.ends_at)
        if row.step is not None and carries_survey(row.template, row.step_texts, row.subject) else None
    )
    try:
        message = _for_templates(row, _message(row, key, settings.club_locale, await _waitlist_position(row), survey), survey)
        await sender.send(message)
    except ChannelError as exc:
        error = exc
    except Exception as exc:  # noqa: BLE001 - any channel crash is a failed attempt, retried
        log.warning("reminder %s via %s crashed: %s", scheduled_id, sender.name, type(exc).__name__)
        error = ChannelError(type(exc).__name__)
    segments = segments_of(message, settings) if message is not None else None
    outcome = await _finish(row, key, error, attempts, _now(), segments)
    log.info("reminder %s via %s: %s", scheduled_id, sender.name, outcome)
    return outcome
