"""Telling members of their year-end reward: each award told once, by e-mail (SMTP, or the
embedded outbox that coordinators read), in the member's language, under the delivery key
"year-end:<award id>", the way birthdays are greeted (events.birthday_greetings).

The award is written first by the year's one statement (club.year_end.awarding); this claims each
untold one (`club.year_end.awards.claim_message`: one run wins), hands it to the channel, and gives
it back when the channel fails, for the next run. Two runs at once tell each member once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from club import clock
from club.i18n.languages import language_of
from club.settings import Settings
from club.year_end.awards import award_of, award_text, claim_message, release_message, untold_awards
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for

__all__ = ["message_key", "tell_year_end_awards"]

log = logging.getLogger("club.year_end")


def message_key(award_id: int) -> str:
    return f"year-end:{award_id}"


async def tell_year_end_awards(settings: Settings, now: datetime | None = None) -> int:
    """Tell every member whose year-end reward is untold. Safe to run again and concurrently.
    Returns how many messages this run handed over."""
    now = now or clock.now()
    told = 0
    for a in await untold_awards():
        if not await claim_message(a.id, now):
            continue  # another run has it
        language = language_of(a.member_language) or settings.club_locale
        award = await award_of(a.id, language)
        subject, body = award_text(language, a.member_name, award)
        message = OutgoingMessage(
            key=message_key(a.id), channel="email", member_id=a.member, event_id=None, rsvp_id=None,
            recipient=a.member_email, subject=subject, body=body, due_at=now, template_kind="year_end",
            params={"member_name": a.member_name, "year": str(award.year), "code": award.voucher_code},
        )
        try:
            await sender_for("email", settings).send(message)
        except ChannelError as exc:
            await release_message(a.id)
            log.warning("year-end message %s not sent (%s); tried again next run", a.id, type(exc).__name__)
            continue
        told += 1
    return told
