"""Where a message goes: SMTP email, an HTTP SMS gateway, the coordinators' call list, or the
embedded outbox when no gateway is configured.

Every hand-off carries the delivery key. The outbox and the call list are unique on it, the email
carries it as Message-ID and the SMS gateway gets it as Idempotency-Key: a send re-handed after
a worker died mid-send lands once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

import httpx

from club import clock
from club.bounds import fit
from club.db import write_transaction
from club.i18n.catalogs import gettext
from club.i18n.languages import language_of
from club.installation import installation_id
from club.mail import Action, CalendarInvite, InlineImage, Letter, MailFrom, compose
from club.settings import Settings
from club.tables import Member
from events.calendar import mail_invite, organizer_of
from events.catalog import load_event
from events.reminders.preferences import MUST_REACH, MessageKind, unsubscribe_link
from events.reminders.preferences_page import preferences_page_url
from events.reminders.sms import template_of
from events.reminders.tables import CallTask, Channel, ReminderMessage
from events.tables import EventStatus, Rsvp, RsvpStatus
from events.ticket_mail import mail_ticket

__all__ = [
    "ChannelError", "OutboxSender", "OutgoingMessage", "Sender", "SmtpSender", "letter_of", "mail_of", "outbox_sender",
    "sender_for", "smtp_send",
]

log = logging.getLogger("club.reminders")


class ChannelError(Exception):
    """A channel refused or failed; `retryable` says whether trying later may help."""

    def __init__(self, detail: str, *, retryable: bool = True) -> None:
        super().__init__(detail)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    key: str
    channel: str  # a Channel's value (email, sms or call): what the step asked for
    member_id: int
    event_id: int | None  # None: a message about no event (a referral's thanks)
    rsvp_id: int | None
    recipient: str  # email address or phone; empty for calls
    subject: str
    body: str
    due_at: datetime
    # The finer kind a gateway's filed SMS template is chosen by (events.reminders.sms): an outbox
    # notice's kind ("confirmed", "event_moved"), "reminder" for a step, "birthday"; and the
    # values such a template is filled with.
    template_kind: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    # Its events.reminders.preferences.MessageKind value: whether the member may turn it off.
    kind: str = ""


class Sender(Protocol):
    name: str

    async def send(self, message: OutgoingMessage) -> None: ...


class OutboxSender:
    """Embedded mode: the message is kept for coordinators to read (and logged without its text)."""

    name = "outbox"

    async def send(self, message: OutgoingMessage) -> None:
        async with write_transaction():
            await ReminderMessage.insert(
                ReminderMessage(
                    delivery_key=message.key,
                    member=message.member_id,
                    intended_channel=message.channel,
                    recipient=message.recipient,
                    # A coordinator's subject template filled with a long title can outgrow it.
                    subject=fit(message.subject, ReminderMessage.subject),
                    body=message.body,
                    created_at=clock.now(),
                )
            ).on_conflict(target=ReminderMessage.delivery_key, action="DO NOTHING")
        log.info("reminder %s (%s) for member %s kept in the outbox", message.key, message.channel, message.member_id)


class CallListSender:
    """A call step becomes a task on the coordinators' call list, with its script and due time."""

    name = "call"

    async def send(self, message: OutgoingMessage) -> None:
        now = clock.now()
        async with write_transaction():
            await CallTask.insert(
                CallTask(
                    delivery_key=message.key,
                    member=message.member_id,
                    event=message.event_id,
                    rsvp=message.rsvp_id,
                    script=message.body,
                    due_at=message.due_at,
                    created_at=now,
                    updated_at=now,
                )
            ).on_conflict(target=CallTask.delivery_key, action="DO NOTHING")


class SmtpSender:
    """E-mail through club.mail.compose: text and HTML, the club as sender, a Message-ID that a
    retry keeps and a reset never repeats, and what the member needs to act on an event: the
    ticket page's link, the QR inline, the invite as text/calendar (REQUEST, CANCEL when off).
    An optional kind of message carries List-Unsubscribe (one-click); a must-reach one does not."""

    name = "email"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: OutgoingMessage) -> None:
        if not message.recipient:
            raise ChannelError("the member has no email address", retryable=False)
        await smtp_send(await mail_of(message, self.settings), self.settings)


async def smtp_send(email: EmailMessage, settings: Settings) -> None:
    """Hand a composed e-mail to the configured SMTP server; its failures as ChannelError (a
    refused address is not worth retrying). SmtpSender's, and a staff account's sign-in code's."""
    import aiosmtplib

    try:
        await aiosmtplib.send(
            email,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user,
            password=settings.smtp_password,
            timeout=30,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise ChannelError("the mail server refused the address", retryable=False) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"SMTP: {type(exc).__name__}") from exc


def letter_of(subject: str, body: str) -> tuple[str, list[str]]:
    """A body's greeting and paragraphs: its lines; a one-line body ("Dear X, your seat…") is
    split after its salutation when it has one."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if not lines:
        return "", []
    if len(lines) == 1:
        for comma in ("，", ", "):
            head, found, rest = lines[0].partition(comma)
            if found and rest and len(head) <= 60:
                return head + found.strip(), [rest]
        return "", lines
    return lines[0], lines[1:]


async def mail_of(message: OutgoingMessage, settings: Settings) -> EmailMessage:
    """The e-mail of one outgoing message (see SmtpSender)."""
    member = await Member.select(Member.name, Member.language).where(Member.id == message.member_id).first()
    name = str(member["name"]) if member else ""
    language = language_of(member["language"] if member else None) or settings.club_locale
    kind = MessageKind(message.kind) if message.kind in MessageKind.__members__ else MessageKind.other
    greeting, paragraphs = letter_of(message.subject, message.body)
    action = image = invite = None
    if message.event_id is not None and message.rsvp_id is not None:
        ticket = await mail_ticket(message.rsvp_id, settings)
        if ticket is not None:
            action = Action(gettext(language, "Open your ticket"), ticket.page_url)
            image = InlineImage("ticket-qr", ticket.png, gettext(language, "Admission QR code"))
        event = await load_event(message.event_id)
        rsvp = await Rsvp.select(Rsvp.status).where(Rsvp.id == message.rsvp_id).first()
        cancelled = (
            kind == MessageKind.event_cancelled or event.status == EventStatus.cancelled
            or (rsvp is not None and rsvp["status"] == RsvpStatus.cancelled.value)
        )
        if cancelled or (rsvp is not None and rsvp["status"] == RsvpStatus.confirmed.value):
            ics = mail_invite(
                event, message.rsvp_id, settings.public_base_url, cancelled=cancelled,
                attendee=(name, message.recipient), organizer=organizer_of(settings), language=language,
            )
            invite = CalendarInvite(ics, "CANCEL" if cancelled else "REQUEST")
    optional = kind not in MUST_REACH
    unsubscribe = (
        f"{settings.public_base_url}/u/{unsubscribe_link(settings.secret_key, message.member_id, kind)}" if optional else None
    )
    letter = Letter(
        subject=message.subject, greeting=greeting, paragraphs=paragraphs, action=action, image=image,
        footer=(settings.club_name, gettext(language, "Choose which messages reach you, and how:")),
    )
    return compose(
        letter,
        sender=MailFrom(settings.club_name, settings.smtp_from, settings.smtp_reply_to),
        to=message.recipient,
        to_name=name,
        # The delivery key is unique within this database; the installation's id makes it unique
        # across resets and installations, and a retry of the same delivery keeps it.
        unique_id=f"{message.key}.{await installation_id()}",
        sent_at=clock.now(),
        lang=language.tag,
        invite=invite,
        unsubscribe_url=unsubscribe,
        preferences_url=preferences_page_url(settings, message.member_id),
    )


class SmsGatewaySender:
    """POSTs {"to", "text", "reference"} to the configured gateway with a bearer token; a kind
    with a template filed with the provider (mainland gateways send nothing else) goes as
    {"to", "template_id", "params", "signature", "reference"} instead."""

    name = "sms"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: OutgoingMessage) -> None:
        if not message.recipient:
            raise ChannelError("the member has no phone number", retryable=False)
        headers = {"Idempotency-Key": message.key}
        if self.settings.sms_gateway_token:
            headers["Authorization"] = f"Bearer {self.settings.sms_gateway_token}"
        template_id = template_of(message, self.settings)
        body: dict[str, object] = (
            {"to": message.recipient, "text": message.body, "reference": message.key}
            if template_id is None
            else {
                "to": message.recipient, "template_id": template_id, "params": dict(message.params),
                "signature": self.settings.sms_signature, "reference": message.key,
            }
        )
        try:
            async with httpx.AsyncClient(timeout=15) as http:
                response = await http.post(self.settings.sms_gateway_url or "", json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ChannelError(f"SMS gateway: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ChannelError(f"SMS gateway answered {response.status_code}")
        if response.status_code >= 400:
            raise ChannelError(f"SMS gateway refused the message ({response.status_code})", retryable=False)


def outbox_sender() -> Sender:
    """The embedded channel's sender. A module-level hook, so a test can put a sender of its own
    in its place (tests/reminders/stalling_worker.py stalls one mid-send)."""
    return OutboxSender()


def sender_for(channel: str, settings: Settings) -> Sender:
    """The sender for a step's channel (a Channel or its value); email and SMS fall back to the
    outbox when unconfigured."""
    if channel == Channel.call:
        return CallListSender()
    if channel == Channel.email and settings.smtp_host:
        return SmtpSender(settings)
    if channel == Channel.sms and settings.sms_gateway_url:
        return SmsGatewaySender(settings)
    return outbox_sender()
