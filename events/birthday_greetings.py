"""Greeting members on their birthday: each birthday award told once, by e-mail (SMTP, or the
embedded outbox that coordinators read), in the member's language, under the delivery key
"birthday:<ledger entry id>".

The award is written first, with its points (`club.jobs.award_birthday_points`); this claims
each untold one (`club.birthday_greetings.claim_greeting`: one run wins), hands it to the
channel, and gives it back when the channel fails, for the next run. Unlike a referral's
thanks, the claim comes before the send: two runs at once greet once, not twice; the price is
that a worker killed between the claim and the send loses that one greeting.
"""

from __future__ import annotations

import logging
from datetime import datetime

from club import clock
from club.birthday_greetings import birthday_greeting_text, claim_greeting, release_greeting, untold_birthdays
from club.i18n.languages import language_of
from club.settings import Settings
from club.year_end.birthday_gift import birthday_gift_sentence
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for

__all__ = ["greet_birthdays", "greeting_key"]

log = logging.getLogger("club.birthdays")


def greeting_key(entry_id: int) -> str:
    return f"birthday:{entry_id}"


async def greet_birthdays(settings: Settings, now: datetime | None = None) -> int:
    """Greet every member whose birthday award is untold. Safe to run again and concurrently.
    Returns how many greetings this run handed over."""
    now = now or clock.now()
    greeted = 0
    for b in await untold_birthdays():
        if not await claim_greeting(b.id, now):
            continue  # another run has it
        language = language_of(b.member_language) or settings.club_locale
        gift = await birthday_gift_sentence(b.member, b.source, language)
        subject, body = birthday_greeting_text(language, b.member_name, b.delta, gift)
        message = OutgoingMessage(
            key=greeting_key(b.id), channel="email", member_id=b.member, event_id=None, rsvp_id=None,
            recipient=b.member_email, subject=subject, body=body, due_at=now, template_kind="birthday",
            params={"member_name": b.member_name, "points": str(b.delta)},
        )
        try:
            await sender_for("email", settings).send(message)
        except ChannelError as exc:
            await release_greeting(b.id)
            log.warning("birthday greeting %s not sent (%s); tried again next run", b.id, type(exc).__name__)
            continue
        greeted += 1
    return greeted
