"""A one-time sign-in code, sent by the channel of the address typed (club.web.sign_in's hook).

A member's goes through the channels' senders: an SMS with the code, or an e-mail with the code
and a sign-in link. Must reach: no unsubscribe, whatever the member's preferences. With no gateway
configured (embedded mode) the message lands in the outbox, and the code is printed for whoever
runs `club serve`.

A staff or coordinator account's code (always by e-mail) has no member, so no outbox row to land
in: it goes by SMTP when a server is configured, composed by club.mail as a member's e-mail is, in
the language of the page it was asked from; in embedded mode it is printed, as a member's is.
"""

from __future__ import annotations

import logging

from club import clock
from club.i18n.catalogs import gettext
from club.i18n.languages import Language, language_of
from club.installation import installation_id
from club.mail import Letter, MailFrom, compose
from club.settings import Settings
from club.tables import Member, User
from club.web.sign_in import AddressKind, CodeToSend
from events.reminders.channels import ChannelError, OutgoingMessage, letter_of, sender_for, smtp_send
from events.reminders.preferences import MessageKind
from events.reminders.tables import Channel

__all__ = ["send_sign_in_code"]

log = logging.getLogger("club.sign_in")


def _subject(language: Language, settings: Settings) -> str:
    return gettext(language, "Your sign-in code for {club}", club=settings.club_name)


def _email_body(language: Language, name: str, code: CodeToSend) -> str:
    return "\n".join((
        gettext(language, "Dear {name},", name=name),
        gettext(language, "Your sign-in code is {code}. It is valid for {minutes} minutes.", code=code.code, minutes=code.minutes),
        gettext(language, "Or sign in with this link: {url}", url=code.link_url),
        gettext(language, "If you did not ask to sign in, you may ignore this message."),
    ))


def _print_code(code: CodeToSend) -> None:
    # Embedded mode: no gateway, so whoever runs the service reads the code here.
    print(f"Sign-in code for {code.recipient}: {code.code}", flush=True)


async def send_sign_in_code(code: CodeToSend, settings: Settings) -> None:
    if code.member_id is None:
        await _send_staff_code(code, settings)
        return
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
        body = _email_body(language, name, code)
    message = OutgoingMessage(
        key=code.key, channel=channel.value, member_id=code.member_id, event_id=None, rsvp_id=None,
        recipient=code.recipient, subject=_subject(language, settings),
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
        _print_code(code)


async def _send_staff_code(code: CodeToSend, settings: Settings) -> None:
    """A staff or coordinator account's code: by SMTP, else printed (never an outbox row)."""
    if not settings.smtp_host:
        _print_code(code)
        return
    user = await User.select(User.name).where(User.id == code.user_id).first()
    name = str(user["name"]) if user else ""
    language = code.page_language or settings.club_locale
    subject = _subject(language, settings)
    greeting, paragraphs = letter_of(subject, _email_body(language, name, code))
    email = compose(
        Letter(subject=subject, greeting=greeting, paragraphs=paragraphs, footer=(settings.club_name,)),
        sender=MailFrom(settings.club_name, settings.smtp_from, settings.smtp_reply_to),
        to=code.recipient, to_name=name,
        # As a member's e-mail: unique across resets and installations, kept by a retry.
        unique_id=f"{code.key}.{await installation_id()}", sent_at=clock.now(), lang=language.tag,
    )
    try:
        await smtp_send(email, settings)
    except ChannelError:
        log.warning("sign-in code %s could not be sent by email", code.key, exc_info=True)
