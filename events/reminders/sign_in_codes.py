"""A member's one-time sign-in code, sent by the channel of the address they typed (club.web.sign_in's
hook): an SMS with the code, or an e-mail with the code and a sign-in link. Must reach: no
unsubscribe, whatever the member's preferences. With no gateway configured (embedded mode) the
message lands in the outbox, and the code is printed for whoever runs `club serve`.
"""

from __future__ import annotations

import logging

from club import clock
from club.i18n.catalogs import gettext
from club.i18n.languages import language_of
from club.settings import Settings
from club.tables import Member
from club.web.sign_in import AddressKind, CodeToSend
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for
from events.reminders.preferences import MessageKind
from events.reminders.tables import Channel

__all__ = ["send_sign_in_code"]

log = logging.getLogger("club.sign_in")


async def send_sign_in_code(code: CodeToSend, settings: Settings) -> None:
    member = await Member.select(Member.name, Member.language).where(Member.id == code.member_id).first()
    language = language_of(member["language"] if member else None) or settings.club_locale
    name = str(member["name"]) if member else ""
    channel = Channel.email if code.channel is AddressKind.email else Channel.sms
    if channel is Channel.sms:
        body = gettext(
            language, "{club}: your sign-in code is {code}. It is valid for {minutes} minutes. Never share it.",
            club=settings.club_name, code=code.code, minutes=code.minutes,
        )
    else:
        body = "\n".join((
            gettext(language, "Dear {name},", name=name),
            gettext(language, "Your sign-in code is {code}. It is valid for {minutes} minutes.", code=code.code, minutes=code.minutes),
            gettext(language, "Or sign in with this link: {url}", url=code.link_url),
            gettext(language, "If you did not ask to sign in, you may ignore this message."),
        ))
    message = OutgoingMessage(
        key=code.key, channel=channel.value, member_id=code.member_id, event_id=None, rsvp_id=None,
        recipient=code.recipient, subject=gettext(language, "Your sign-in code for {club}", club=settings.club_name),
        body=body, due_at=clock.now(), template_kind="sign_in", params={"code": code.code, "minutes": str(code.minutes)},
        kind=MessageKind.sign_in.value,
    )
    sender = sender_for(channel, settings)
    try:
        await sender.send(message)
    except ChannelError:
        # The member sees the same page and may ask again; the log says which channel failed.
        log.warning("sign-in code %s could not be sent by %s", code.key, channel.value, exc_info=True)
        return
    if sender.name == "outbox":
        # Embedded mode: no gateway, so whoever runs the service reads the code here.
        print(f"Sign-in code for {code.recipient}: {code.code}", flush=True)
