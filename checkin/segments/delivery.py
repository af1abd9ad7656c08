"""A send's deliveries handed to the reminders' channels, once per member.

Each pending delivery due now is claimed (an UPDATE only one worker wins) with a lease, as the
reminders claim theirs (events.reminders.delivery): in the member's quiet hours it is put back,
due the morning after their night (the reminders' "hold"); a member who turned off this kind of
message on the send's channel is skipped (a send is club news, MessageKind.segment; an
invitation to an event is MessageKind.invitation); otherwise the message, in the member's
language (else the club's), goes to the channel under the delivery key, which the outbox, the
Message-ID and the SMS gateway dedupe.

A worker killed between the claim and the outcome leaves the delivery `sending`; once its lease
(REMINDER_SEND_LEASE_S) ran out the next run claims it again and hands the message over again
with the same key, so a message that did go out the first time is not a second message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from checkin.segments.tables import SegmentDelivery, SegmentDeliveryStatus
from club import clock
from club.db import write_transaction
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language, language_of
from club.settings import Settings
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for
from events.reminders.delivery import quiet_hours_of
from events.reminders.preferences import MessageKind, accepts
from events.reminders.rules import (
    StepText,
    in_quiet_hours,
    local_time_text,
    quiet_adjust,
    render,
    retry_delay,
    step_text,
    step_texts,
)
from events.reminders.tables import Channel, QuietPolicy

__all__ = ["deliver_due"]

log = logging.getLogger("club.segments")

_D = SegmentDelivery
_E: Any = _D.send.event  # an invitation's event, two joins away (the type checker follows one)
_FIELDS = (
    _D.id, _D.send, _D.member, _D.delivery_key, _D.due_at,
    _D.member.name.as_alias("member_name"), _D.member.email.as_alias("email"), _D.member.phone.as_alias("phone"),
    _D.member.language.as_alias("language"), _D.member.time_zone.as_alias("tz"),
    _D.send.channel.as_alias("channel"), _D.send.subject.as_alias("subject"), _D.send.body.as_alias("body"),
    _D.send.texts.as_alias("texts"), _D.send.event.as_alias("event"), _E.title.as_alias("event_title"),
    _E.starts_at.as_alias("starts_at"), _E.venue.as_alias("venue"), _E.venue_time_zone.as_alias("venue_time_zone"),
)


def _due(now: datetime) -> Any:
    """Pending and due, or `sending` under a lease that ran out (its worker died mid-send)."""
    return ((_D.status == SegmentDeliveryStatus.pending.value) & (_D.due_at <= now)) | (
        (_D.status == SegmentDeliveryStatus.sending.value) & (_D.lease_until < now)
    )


async def _set(delivery_id: int, values: dict[object, object]) -> None:
    async with write_transaction():
        await _D.update(values).where(_D.id == delivery_id)  # type: ignore[arg-type]


async def _claim(delivery_id: int, now: datetime, lease_s: float) -> bool:
    async with write_transaction():
        won = await _D.update({
            _D.status: SegmentDeliveryStatus.sending.value, _D.lease_until: now + timedelta(seconds=lease_s),
            _D.attempts: _D.attempts + 1,
        }).where((_D.id == delivery_id) & _due(now)).returning(_D.id)
    return bool(won)


def _invitation_text(language: Language) -> StepText:
    """The club's own invitation, in the member's language, when the coordinator wrote none."""
    return StepText(
        subject=gettext(language, N_("An invitation: {event_title}")),
        template=gettext(language, N_(
            "Dear {member_name}, the club invites you to {event_title}, {local_time} at {venue}. Reply here: {event_link}")),
    )


async def deliver_due(settings: Settings, now: datetime | None = None, send_id: int | None = None) -> int:
    """Hand over every delivery due (of one send, or all). Safe to run again and concurrently.
    Returns how many this run handed over."""
    now = now or clock.now()
    due = _due(now)
    if send_id is not None:
        due &= _D.send == send_id
    quiet = quiet_hours_of(settings)
    handed = 0
    for row in await _D.select(*_FIELDS).where(due).order_by(_D.id):
        if not await _claim(row["id"], now, settings.reminder_send_lease_s):
            continue  # another run has it
        zone = ZoneInfo(row["tz"])
        if in_quiet_hours(now, zone, quiet):
            morning = quiet_adjust(now, zone, quiet, QuietPolicy.hold, None, now).due_at or now
            await _set(row["id"], {_D.status: SegmentDeliveryStatus.pending.value, _D.due_at: morning,
                                   _D.reason: "held past the member's quiet hours"})
            continue
        channel = Channel(row["channel"])
        kind = MessageKind.invitation if row["event"] is not None else MessageKind.segment
        if not await accepts(row["member"], kind, channel):
            await _set(row["id"], {_D.status: SegmentDeliveryStatus.skipped.value,
                                   _D.reason: "the member turned these messages off on this channel"})
            continue
        club_language = settings.club_locale
        language = language_of(row["language"]) or club_language
        written_in, text = step_text(step_texts(row["texts"]), row["subject"] or "", row["body"], language, club_language)
        values = {"member_name": row["member_name"]}
        if row["event"] is not None:
            if not text.template:
                written_in, text = language, _invitation_text(language)
            values |= {
                "event_title": row["event_title"], "venue": row["venue"],
                "event_link": f"{settings.public_base_url}/events/{row['event']}",
                "local_time": local_time_text(clock.aware(row["starts_at"]), ZoneInfo(row["venue_time_zone"]), zone, written_in),
            }
        body = render(text.template, values)
        message = OutgoingMessage(
            key=row["delivery_key"], channel=channel.value, member_id=row["member"], event_id=None, rsvp_id=None,
            recipient=(row["email"] if channel == Channel.email else row["phone"]) or "",
            subject=render(text.subject, values) or settings.club_name, body=body, due_at=row["due_at"],
            template_kind="invitation" if row["event"] is not None else "segment", params=values, kind=kind.value,
        )
        try:
            try:
                await sender_for(channel.value, settings).send(message)
            except ChannelError:
                raise
            except Exception as crash:  # any channel crash is a failed attempt, retried
                raise ChannelError(type(crash).__name__) from crash
        except ChannelError as exc:
            retry = exc.retryable
            await _set(row["id"], {
                _D.status: (SegmentDeliveryStatus.pending if retry else SegmentDeliveryStatus.failed).value,
                _D.due_at: now + retry_delay(1), _D.reason: str(exc)[:200],
            })
            log.warning("segment delivery %s not sent (%s)", row["id"], type(exc).__name__)
            continue
        await _set(row["id"], {_D.status: SegmentDeliveryStatus.sent.value, _D.sent_at: clock.now(), _D.reason: ""})
        handed += 1
    return handed
