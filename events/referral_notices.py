"""Telling referrers: each awarded referral once, by email (SMTP, or the embedded outbox that
coordinators read), under the delivery key "referral:<referral id>".

The referral row is written first, with its points (`club.referrals`); this hands each awarded,
untold one to the channel, then marks it told. A crash between the two re-hands it on the next
run with the same key, which the channels dedupe (the outbox's unique key, the e-mail's
Message-ID), as health re-invitations do. A referral withheld while its referrer is suspended
is not told until reactivation awards it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from club import clock
from club.db import write_transaction
from club.i18n.languages import language_of
from club.referrals import mark_told, referral_notice_text, untold_referrals
from club.settings import Settings
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for

__all__ = ["notice_key", "tell_referrers"]

log = logging.getLogger("club.referrals")


def notice_key(referral_id: int) -> str:
    return f"referral:{referral_id}"


async def tell_referrers(settings: Settings, now: datetime | None = None) -> int:
    """Hand every awarded, untold referral to the email channel. Safe to run again and
    concurrently. Returns how many were handed over in this run."""
    now = now or clock.now()
    told = 0
    for r in await untold_referrals():
        # The referrer's language as it is at the send, else the club's.
        language = language_of(r.referrer_language) or settings.club_locale
        subject, body = referral_notice_text(language, r.referrer_name, r.member_name, r.points, r.earned_by)
        message = OutgoingMessage(
            key=notice_key(r.id), channel="email", member_id=r.referrer, event_id=None, rsvp_id=None,
            recipient=r.referrer_email or "", subject=subject, body=body, due_at=now,
        )
        try:
            await sender_for("email", settings).send(message)
        except ChannelError as exc:
            log.warning("referral %s not told (%s); tried again next run", r.id, type(exc).__name__)
            continue
        async with write_transaction():
            await mark_told(r.id, now)
        told += 1
    return told
