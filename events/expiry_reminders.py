"""Reminders before points expire, handed to the reminders' channels once per member per
(expiry date, days before).

club.expiry.reminding plans them (one row per member, keyed); this claims each due one (an UPDATE
only one run wins), then as a segment's one-off send does (checkin.segments.delivery): in the
member's quiet hours it is put back, due the morning after their night; a member who turned off
messages not about an event ("other") by e-mail is skipped; otherwise the message goes by e-mail
in the member's language (else the club's) under the delivery key "expiry:<reminder key>", which
the outbox and the Message-ID dedupe. It names a few rewards the member can afford now.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from club import clock
from club.expiry.pages import date_text
from club.expiry.reminding import DueReminder, claim, due_reminders, settle
from club.expiry.tables import ExpiryReminderStatus
from club.i18n.catalogs import gettext
from club.i18n.formats import number_text
from club.i18n.languages import Language, language_of
from club.rewards.catalogue import rewards_for_member
from club.settings import Settings
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for
from events.reminders.delivery import quiet_hours_of
from events.reminders.preferences import MessageKind, accepts
from events.reminders.rules import in_quiet_hours, quiet_adjust, retry_delay
from events.reminders.tables import Channel, QuietPolicy

__all__ = ["SUGGESTED", "expiry_reminder_text", "send_expiry_reminders", "send_expiry_reminders_job"]

log = logging.getLogger("club.expiry")

SUGGESTED = 3  # rewards named in a reminder, the dearest the member can afford first


async def _suggestions(member_id: int, language: Language) -> list[tuple[str, int]]:
    """Rewards the member may redeem now (in stock, in their tier, within their balance)."""
    open_now = [r for r in await rewards_for_member(member_id, language) if r.can_redeem]
    return [(r.title, r.price) for r in sorted(open_now, key=lambda r: (-r.price, r.id))[:SUGGESTED]]


def expiry_reminder_text(language: Language, name: str, points: int, expires_on: str, rewards: list[tuple[str, int]],
                         link: str) -> tuple[str, str]:
    """Subject and body of a reminder that `points` expire at the end of `expires_on` (already written out)."""
    shown = number_text(points, language)
    subject = gettext(language, "{points} points will expire on {date}", points=shown, date=expires_on)
    lines = [gettext(
        language, "Dear {name}, {points} of your points will expire at the end of {date}. Your oldest points go first.",
        name=name, points=shown, date=expires_on,
    )]
    if rewards:
        lines.append(gettext(language, "Rewards you may redeem with them now:"))
        lines += [gettext(language, "- {reward}: {price} points", reward=title, price=number_text(price, language))
                  for title, price in rewards]
    lines.append(gettext(language, "See your points and the rewards: {link}", link=link))
    return subject, "\n".join(lines)


async def _hand_over(r: DueReminder, settings: Settings, now: datetime) -> bool:
    zone = ZoneInfo(r.tz)
    if in_quiet_hours(now, zone, quiet_hours_of(settings)):
        morning = quiet_adjust(now, zone, quiet_hours_of(settings), QuietPolicy.hold, None, now).due_at or now
        await settle(r.id, ExpiryReminderStatus.pending, due_at=morning, reason="held past the member's quiet hours")
        return False
    if not await accepts(r.member, MessageKind.other, Channel.email):
        await settle(r.id, ExpiryReminderStatus.skipped, reason="the member turned these messages off by e-mail")
        return False
    language = language_of(r.language) or settings.club_locale
    # What expires can only have shrunk since planning (a redemption takes the oldest points).
    points = min(r.points, r.balance)
    day = date_text(r.expires_on, language)
    subject, body = expiry_reminder_text(
        language, r.member_name, points, day, await _suggestions(r.member, language), f"{settings.public_base_url}/points",
    )
    message = OutgoingMessage(
        key=f"expiry:{r.reminder_key}", channel=Channel.email.value, member_id=r.member, event_id=None, rsvp_id=None,
        recipient=r.email, subject=subject, body=body, due_at=r.due_at, template_kind="expiry",
        params={"member_name": r.member_name, "points": str(points), "date": r.expires_on.isoformat()},
        kind=MessageKind.other.value,
    )
    try:
        try:
            await sender_for(Channel.email.value, settings).send(message)
        except ChannelError:
            raise
        except Exception as crash:  # any channel crash is a failed attempt, retried
            raise ChannelError(type(crash).__name__) from crash
    except ChannelError as exc:
        await settle(r.id, ExpiryReminderStatus.pending if exc.retryable else ExpiryReminderStatus.failed,
                     due_at=now + retry_delay(1), reason=str(exc))
        log.warning("expiry reminder %s not sent (%s)", r.id, type(exc).__name__)
        return False
    await settle(r.id, ExpiryReminderStatus.sent, sent_at=clock.now())
    return True


async def send_expiry_reminders(settings: Settings, now: datetime | None = None) -> int:
    """Hand over every expiry reminder due. Safe to run again and concurrently; returns how many
    this run handed over."""
    now = now or clock.now()
    handed = 0
    for r in await due_reminders(now):
        if await claim(r.id, now):
            handed += await _hand_over(r, settings, now)
    return handed


async def send_expiry_reminders_job(ctx: dict[str, Any]) -> int:
    """arq: every half hour (a reminder the night held is due in the morning)."""
    return await send_expiry_reminders(ctx["settings"])
