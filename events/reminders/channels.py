"""Where a message goes: SMTP email, an HTTP SMS gateway, the coordinators' call list, or the
embedded outbox when no gateway is configured.

Every hand-off carries the delivery key. The outbox and the call list are unique on it, the email
carries it as Message-ID and the SMS gateway gets it as Idempotency-Key: a send re-handed after
a worker died mid-send lands once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

import httpx

from club import clock
from club.bounds import fit
from club.db import write_transaction
from club.settings import Settings
from events.reminders.tables import CallTask, Channel, ReminderMessage

__all__ = ["ChannelError", "OutboxSender", "OutgoingMessage", "Sender", "outbox_sender", "sender_for"]

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
    name = "email"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: OutgoingMessage) -> None:
        import aiosmtplib

        if not message.recipient:
            raise ChannelError("the member has no email address", retryable=False)
        email = EmailMessage()
        email["From"] = self.settings.smtp_from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        # Deterministic, so a receiving system can drop a copy re-sent after a crash.
        email["Message-ID"] = f"<{message.key.replace(':', '.')}@{self.settings.smtp_from.split('@')[-1]}>"
        email.set_content(message.body)
        try:
            await aiosmtplib.send(
                email,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                username=self.settings.smtp_user,
                password=self.settings.smtp_password,
                timeout=30,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise ChannelError("the mail server refused the address", retryable=False) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP: {type(exc).__name__}") from exc


class SmsGatewaySender:
    """POSTs {"to", "text", "reference"} to the configured gateway with a bearer token."""

    name = "sms"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: OutgoingMessage) -> None:
        if not message.recipient:
            raise ChannelError("the member has no phone number", retryable=False)
        headers = {"Idempotency-Key": message.key}
        if self.settings.sms_gateway_token:
            headers["Authorization"] = f"Bearer {self.settings.sms_gateway_token}"
        body = {"to": message.recipient, "text": message.body, "reference": message.key}
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
