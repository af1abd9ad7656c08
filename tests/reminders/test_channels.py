"""Channels: email over a real local SMTP server, SMS through an HTTP gateway (retries with
backoff, then a visible failure), and quiet hours decided at send time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from club.settings import Settings
from events import urls as event_urls
from events.reminders import urls
from events.reminders.delivery import deliver
from events.reminders.tables import ReminderDelivery, ReminderMessage, ScheduledReminder
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import (
    attach,
    awake,
    event_starting_in,
    rsvp,
    sequence,
    step,
    with_night,
)
from tests.serving import free_port, serving


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


class _Gateway:
    """An SMS gateway on loopback: records what it is sent, answers with `status`."""

    def __init__(self) -> None:
        self.status = 200
        self.requests: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        self.requests.append(({k.decode(): v.decode() for k, v in scope["headers"]}, body))
        await send({"type": "http.response.start", "status": self.status, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[_Gateway, str]]:
    app = _Gateway()
    async with serving(app, lifespan="off") as base_url:
        yield app, f"{base_url}/messages"


async def _one_step(server: LiveServer, coordinator: Caller, member: Caller, **fields: Any) -> dict[str, Any]:
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    made = await sequence(server, coordinator, step(**fields))
    await attach(server, coordinator, event["id"], made["id"])
    await rsvp(server, member, event["id"])
    [row] = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null())
    return row


async def _row(scheduled_id: int) -> dict[str, Any]:
    return await ScheduledReminder.select().where(ScheduledReminder.id == scheduled_id).first()


async def test_email_goes_through_smtp_once_with_a_stable_message_id(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp: Any
) -> None:
    controller, inbox = smtp
    with_smtp = awake(settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test")
    member = await make_member("Camille Dubois", email="camille@example.com")
    row = await _one_step(server, coordinator, member, offset_days=-20, subject="{event_title} tomorrow")
    assert await deliver(row["id"], row["generation"], with_smtp) == "sent"
    assert await deliver(row["id"], row["generation"], with_smtp) == "stale"  # already sent
    [email] = inbox.messages
    assert email["To"] == "Camille Dubois <camille@example.com>" and email["Subject"] == "Perfume salon tomorrow"
    # The delivery key within this installation's id (tests/reminders/test_email.py: a reset changes it).
    assert email["Message-ID"].startswith(f"<{row['rsvp']}.{row['step']}.v1.") and email["Message-ID"].endswith("@maison.test>")
    [text] = [p for p in email.walk() if p.get_content_type() == "text/plain"]
    assert "Dear Camille Dubois" in text.get_payload(decode=True).decode()


async def test_sms_goes_to_the_gateway_with_an_idempotency_key(
    server: LiveServer, settings: Settings, coordinator: Caller, gateway: Any
) -> None:
    app, url = gateway
    with_gateway = awake(settings, sms_gateway_url=url, sms_gateway_token="gw-token")
    member = await make_member("Mei Huang", phone="+86 138 0000 0001")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms", template="See you, {member_name}")
    assert await deliver(row["id"], row["generation"], with_gateway) == "sent"
    [(headers, body)] = app.requests
    assert headers["authorization"] == "Bearer gw-token"
    assert headers["idempotency-key"] == f"{row['rsvp']}:{row['step']}:v1"
    assert b'"to":"+8613800000001"' in body and b"See you, Mei Huang" in body


async def test_a_failing_gateway_is_retried_with_backoff_then_marked_failed(
    server: LiveServer, settings: Settings, coordinator: Caller, gateway: Any
) -> None:
    app, url = gateway
    app.status = 503
    with_gateway = awake(settings, sms_gateway_url=url)
    member = await make_member("Sofia Rossi", phone="+39 333 000 0001")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms")
    outcomes = []
    later = datetime.now(UTC)
    for _ in range(4):
        current = await _row(row["id"])
        later += timedelta(hours=2)  # past any backoff
        outcomes.append(await deliver(row["id"], current["generation"], with_gateway, now=later))
    assert outcomes == ["retry", "retry", "retry", "failed"]
    assert len(app.requests) == 4
    delivery = await ReminderDelivery.select().where(ReminderDelivery.scheduled == row["id"]).first()
    assert delivery["status"] == "failed" and delivery["attempts"] == 4 and "503" in delivery["last_error"]
    async with server.client(coordinator.token) as http:
        schedule = (await http.get(event_urls.link(urls.EVENT_REMINDERS, event_id=row["event"]))).json()
    [shown] = [r for r in schedule if r["id"] == row["id"]]
    assert (shown["status"], shown["delivery_status"], shown["attempts"]) == ("failed", "failed", 4)


async def test_a_member_without_a_phone_fails_at_once_without_retrying(
    server: LiveServer, settings: Settings, coordinator: Caller, gateway: Any
) -> None:
    _, url = gateway
    member = await make_member("No Phone")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms")
    assert await deliver(row["id"], row["generation"], awake(settings, sms_gateway_url=url)) == "failed"
    assert (await _row(row["id"]))["status_reason"] == "the member has no phone number"


@pytest.mark.parametrize(("policy", "outcome"), [("hold", "held"), ("drop", "dropped")])
async def test_a_reminder_running_in_the_members_night_is_held_or_dropped(
    server: LiveServer, settings: Settings, coordinator: Caller, policy: str, outcome: str
) -> None:
    # Planned with no night (the member lived in Paris then); by send time they live in Shanghai.
    member = await make_member("Night Owl", time_zone="Asia/Shanghai")
    row = await _one_step(server, coordinator, member, offset_days=-5, at_local_time="16:00", quiet_hours=policy)
    shanghai = ZoneInfo("Asia/Shanghai")
    late = row["due_at"] + timedelta(minutes=30)  # 16:30 at the Paris venue: 22:30 or 23:30 in Shanghai
    assert await deliver(row["id"], row["generation"], with_night(settings), now=late) == outcome
    after = await _row(row["id"])
    if policy == "hold":
        morning = after["due_at"].astimezone(shanghai)
        assert morning.strftime("%H:%M") == "08:00" and morning.date() == late.astimezone(shanghai).date() + timedelta(days=1)
        assert after["status"] == "scheduled" and after["generation"] == row["generation"] + 1
        # Re-timed once, to a later moment: the job of the old timing finds nothing to do.
        assert await deliver(row["id"], row["generation"], with_night(settings), now=late) == "stale"
    else:
        assert after["status"] == "skipped" and "quiet" in after["status_reason"]
    assert await ReminderDelivery.count() == 0


async def test_a_subject_filled_past_its_column_is_kept_shortened_not_failed(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    event = await event_starting_in(server, coordinator, timedelta(days=10), title="T" * 200)
    made = await sequence(server, coordinator, step(offset_days=-20, subject="Reminder: {event_title}"))
    await attach(server, coordinator, event["id"], made["id"])
    member = await make_member("Long Title")
    await rsvp(server, member, event["id"])
    [row] = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null())
    assert await deliver(row["id"], row["generation"], awake(settings)) == "sent"
    [message] = await ReminderMessage.select().where(ReminderMessage.delivery_key.not_like("outbox:%"))
    assert message["subject"] == ("Reminder: " + "T" * 200)[:200]
