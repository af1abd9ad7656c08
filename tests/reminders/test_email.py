"""E-mail as a real server receives it (issue 13): sent through aiosmtpd on loopback and read
back with the standard library's parser and icalendar. Both parts, Date, a Message-ID unique per
delivery that a retry keeps and a reset changes, the ticket link and QR, an invite with METHOD,
ATTENDEE, ORGANIZER and SEQUENCE; List-Unsubscribe on an optional message, none on a must-reach
one, and a one-click POST that stops the next optional message of its kind but not a must-reach one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from checkin import urls as door
from club import clock
from club.installation import Installation
from club.settings import Settings
from events import urls as event_urls
from events.reminders.channels import OutgoingMessage, mail_of
from events.reminders.delivery import deliver
from events.reminders.scheduling import adopt_outbox
from events.reminders.tables import ScheduledReminder
from tests.club.test_log_redaction import access_log
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import attach, awake, event_starting_in, rsvp, sequence, step
from tests.serving import free_port

__all__ = ["Inbox", "smtp_inbox"]


class Inbox:
    """What the SMTP server received, parsed; `refuse` answers the next DATA with a 451."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: list[EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        if self.refuse:
            self.refuse -= 1
            self.refused.append(mail)
            return "451 4.3.0 try again later"
        self.messages.append(mail)
        return "250 OK"


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def mail_settings(settings: Settings, controller: Controller, server: LiveServer) -> Settings:
    return awake(
        settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test",
        smtp_reply_to="concierge@maison.test", club_name="Maison Club",
        calendar_organizer_name="Maison Club Events", calendar_organizer_email="events@maison.test",
        public_base_url=server.base_url,
    )


async def deliver_all(settings: Settings, where: Any) -> list[str]:
    outcomes = []
    for row in await ScheduledReminder.select().where(where & (ScheduledReminder.status == "scheduled")).order_by(ScheduledReminder.id):
        with clock.frozen_at(max(row["due_at"], clock.now())):
            outcomes.append(await deliver(row["id"], row["generation"], settings))
    return outcomes


def parts(mail: EmailMessage) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in mail.walk():
        found.setdefault(part.get_content_type(), part)
    return found


def calendar_of(mail: EmailMessage) -> Calendar:
    part = parts(mail)["text/calendar"]
    return Calendar.from_ical(part.get_content())


def ticket_link(mail: EmailMessage) -> str:
    text = parts(mail)["text/plain"].get_content()
    match = re.search(r"(https?://\S+/t/\S+)", text)
    assert match, text
    return match.group(1)


async def _salon_with_a_reminder(server: LiveServer, coordinator: Caller, member: Caller, **fields: Any) -> dict[str, Any]:
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    made = await sequence(server, coordinator, step(offset_days=-20, subject="{event_title} soon", **fields))
    await attach(server, coordinator, event["id"], made["id"])
    await rsvp(server, member, event["id"])
    return event


async def _camille_at_the_salon(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> tuple[Inbox, Settings, Caller, dict[str, Any]]:
    """Camille, with an e-mail address, booked on a salon with a reminder; the club mails through the inbox."""
    controller, inbox = smtp_inbox
    member = await make_member("Camille Dubois", email="camille@example.com")
    event = await _salon_with_a_reminder(server, coordinator, member)
    return inbox, mail_settings(settings, controller, server), member, event


async def test_an_event_email_arrives_whole_with_its_ticket_and_invite(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    inbox, with_smtp, _, event = await _camille_at_the_salon(server, settings, coordinator, smtp_inbox)
    assert await deliver_all(with_smtp, ScheduledReminder.step.is_not_null()) == ["sent"]
    [mail] = inbox.messages

    assert mail["From"].addresses[0].display_name == "Maison Club"
    assert mail["From"].addresses[0].addr_spec == "club@maison.test"
    assert str(mail["Reply-To"]) == "concierge@maison.test"
    assert mail["To"].addresses[0].addr_spec == "camille@example.com"
    assert mail["Subject"] == "Perfume salon soon"
    assert abs(parsedate_to_datetime(str(mail["Date"])) - clock.now()) < timedelta(minutes=5)
    assert re.fullmatch(r"<[^@<>\s]+@maison\.test>", str(mail["Message-ID"]))
    found = parts(mail)
    assert "Dear Camille Dubois" in found["text/plain"].get_content()
    html = found["text/html"].get_content()
    assert "Dear Camille Dubois" in html and 'src="cid:ticket-qr"' in html
    # The QR inline, and the ticket page's link: it opens without a token.
    assert found["image/png"].get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    link = ticket_link(mail)
    assert link in html
    async with httpx.AsyncClient() as http:
        page = await http.get(link)
    assert page.status_code == 200 and "Perfume salon" in page.text
    # Optional: one-click unsubscribe (RFC 8058) and a preferences link.
    assert re.fullmatch(r"<https?://\S+/u/\S+>", str(mail["List-Unsubscribe"]))
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert "/p/" in found["text/plain"].get_content() and "/api/me/message-preferences" not in found["text/plain"].get_content()
    # The invite, as icalendar reads it.
    assert found["text/calendar"].get_param("method") == "REQUEST"
    cal = calendar_of(mail)
    assert str(cal["method"]) == "REQUEST"
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["attendee"]) == "mailto:camille@example.com"
    assert vevent["attendee"].params["CN"] == "Camille Dubois"
    assert str(vevent["organizer"]) == "mailto:events@maison.test"
    assert vevent["organizer"].params["CN"] == "Maison Club Events"
    assert int(vevent["sequence"]) == event["version"] == 1
    assert str(vevent["summary"]) == "Perfume salon"


async def test_message_ids_are_unique_kept_by_a_retry_and_new_after_a_reset(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    inbox, with_smtp, member, _ = await _camille_at_the_salon(server, settings, coordinator, smtp_inbox)
    await adopt_outbox()  # the "confirmed" notice: a second delivery to the same member
    inbox.refuse = 1  # the first try is refused for now: it is retried later
    outcomes = await deliver_all(with_smtp, ScheduledReminder.id.is_not_null())
    assert sorted(outcomes) == ["retry", "sent"]
    [retried_row] = await ScheduledReminder.select().where(ScheduledReminder.status == "scheduled")
    with clock.frozen_at(retried_row["due_at"] + timedelta(seconds=1)):
        assert await deliver(retried_row["id"], retried_row["generation"], with_smtp) == "sent"
    [refused] = inbox.refused
    first, retried = inbox.messages
    assert first["Message-ID"] != retried["Message-ID"]  # two deliveries
    assert retried["Message-ID"] == refused["Message-ID"]  # one delivery, tried twice
    # A reset database (no installation id) makes new ids for the same delivery keys.
    message = OutgoingMessage(
        key="outbox:1", channel="email", member_id=member.member_id, event_id=None, rsvp_id=None,
        recipient="camille@example.com", subject="Hello", body="Dear Camille, hello.", due_at=clock.now(), kind="other",
    )
    before = (await mail_of(message, with_smtp))["Message-ID"]
    assert (await mail_of(message, with_smtp))["Message-ID"] == before
    await Installation.delete(force=True)
    assert (await mail_of(message, with_smtp))["Message-ID"] != before


async def test_one_click_stops_the_next_optional_message_of_its_kind_not_a_must_reach_one(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    inbox, with_smtp, member, event = await _camille_at_the_salon(server, settings, coordinator, smtp_inbox)
    await adopt_outbox()
    await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null())
    [confirmed] = inbox.messages
    unsubscribe = str(confirmed["List-Unsubscribe"]).strip("<>")
    async with httpx.AsyncClient() as http:  # no token: the link is the credential
        answer = await http.post(unsubscribe, content="List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 200, answer.text
        assert (await http.post(unsubscribe[:-3] + "xyz")).status_code == 404
    async with server.client(member.token) as http:
        mine = {p["kind"]: p for p in (await http.get("/api/me/message-preferences")).json()}
    assert mine["booking"]["channels"] == ["sms", "call"] and not mine["booking"]["must_reach"]
    assert mine["event_cancelled"]["must_reach"]
    # The reminder is another kind: it still arrives.
    assert await deliver_all(with_smtp, ScheduledReminder.step.is_not_null()) == ["sent"]
    assert len(inbox.messages) == 2
    # A second member's seat frees up: the next booking message to our member is not sent...
    async with server.client(coordinator.token) as http:
        response = await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=event["id"]))
        assert response.status_code == 200, response.text
    await adopt_outbox()
    # ...the cancellation is must-reach: it arrives, with no List-Unsubscribe and a CANCEL.
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["sent"]
    cancelled = inbox.messages[-1]
    assert cancelled["List-Unsubscribe"] is None and cancelled["List-Unsubscribe-Post"] is None
    cal = calendar_of(cancelled)
    assert str(cal["method"]) == "CANCEL"
    [vevent] = cal.walk("VEVENT")
    assert int(vevent["sequence"]) == 2  # above the REQUEST of version 1
    assert "/t/" not in parts(cancelled)["text/plain"].get_content()  # no ticket for a cancelled event


async def test_a_booking_message_after_one_click_is_declined(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    controller, inbox = smtp_inbox
    with_smtp = mail_settings(settings, controller, server)
    member = await make_member("Camille Dubois", email="camille@example.com")
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    await rsvp(server, member, event["id"])
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["sent"]
    unsubscribe = str(inbox.messages[0]["List-Unsubscribe"]).strip("<>")
    async with httpx.AsyncClient() as http:
        # A browser opening the link is asked first: a GET changes nothing (RFC 8058).
        asked = await http.get(unsubscribe)
        assert asked.status_code == 200 and '<form method="post">' in asked.text and "Stop these e-mails" in asked.text
        async with server.client(member.token) as mine:
            booking = {p["kind"]: p for p in (await mine.get("/api/me/message-preferences")).json()}["booking"]
        assert booking["channels"] == ["email", "sms", "call"]
        done = await http.post(unsubscribe, content="List-Unsubscribe=One-Click")
        assert done.status_code == 200 and "These e-mails are turned off" in done.text
    other = await event_starting_in(server, coordinator, timedelta(days=12), title="Tea ceremony")
    await rsvp(server, member, other["id"])  # booked elsewhere: another "confirmed" message
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["declined"]
    assert len(inbox.messages) == 1


async def test_message_preferences_are_the_members_own(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    member = await make_member("Camille Dubois")
    async with server.client(member.token) as http:
        put = await http.put("/api/me/message-preferences", json=[{"kind": "reminder", "channels": ["sms"]}])
        assert put.status_code == 200, put.text
        assert {p["kind"]: p["channels"] for p in put.json()}["reminder"] == ["sms"]
        refused = await http.put("/api/me/message-preferences", json=[{"kind": "event_cancelled", "channels": []}])
        assert refused.status_code == 400, refused.text
    for other in (coordinator, staff):
        async with server.client(other.token) as http:
            assert (await http.get("/api/me/message-preferences")).status_code == 403
    async with server.client() as http:
        assert (await http.get("/api/me/message-preferences")).status_code == 401


async def test_the_ticket_link_expires_and_dies_with_a_reissue(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    inbox, with_smtp, member, event = await _camille_at_the_salon(server, settings, coordinator, smtp_inbox)
    await deliver_all(with_smtp, ScheduledReminder.step.is_not_null())
    link = ticket_link(inbox.messages[0])
    unsubscribe = str(inbox.messages[0]["List-Unsubscribe"]).strip("<>")
    with access_log() as lines:  # the signed links are credentials: never in a log line
        async with httpx.AsyncClient() as http:
            assert (await http.get(link)).status_code == 200
            assert (await http.get(unsubscribe)).status_code == 200
    signed = link.rsplit("/t/", 1)[1]
    assert any("GET /t/[redacted] HTTP/1.1" in line for line in lines), lines
    assert any("GET /u/[redacted] HTTP/1.1" in line for line in lines), lines
    assert not any(signed in line or unsubscribe.rsplit("/u/", 1)[1] in line for line in lines)
    async with httpx.AsyncClient() as http:
        assert (await http.get(link[:-2] + "xx")).status_code == 404
        with clock.frozen_at(datetime.fromisoformat(event["ends_at"]) + timedelta(days=1, minutes=1)):
            assert (await http.get(link)).status_code == 404  # a day after the event's end
    async with server.client(member.token) as http:
        rsvp_id = (await ScheduledReminder.select(ScheduledReminder.rsvp).first())["rsvp"]  # type: ignore[index]
        assert (await http.post(event_urls.link(door.TICKET_REISSUE, rsvp_id=rsvp_id))).status_code == 200
    async with httpx.AsyncClient() as http:
        gone = await http.get(link)
    assert gone.status_code == 404 and "no longer valid" in gone.text


async def test_a_new_title_raises_the_invites_sequence_without_a_moved_notice(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    controller, inbox = smtp_inbox
    with_smtp = mail_settings(settings, controller, server)
    member = await make_member("Camille Dubois", email="camille@example.com")
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    made = await sequence(server, coordinator, step(offset_days=-20), step(offset_days=-19))
    await attach(server, coordinator, event["id"], made["id"])
    await rsvp(server, member, event["id"])
    first, _ = await ScheduledReminder.select().where(ScheduledReminder.step.is_not_null()).order_by(ScheduledReminder.id)
    with clock.frozen_at(max(first["due_at"], clock.now())):
        assert await deliver(first["id"], first["generation"], with_smtp) == "sent"
    async with server.client(coordinator.token) as http:
        renamed = await http.patch(event_urls.link(event_urls.EVENT, event_id=event["id"]), json={"title": "Perfume salon, by candlelight"})
    assert renamed.status_code == 200 and renamed.json()["version"] == 2, renamed.text
    await adopt_outbox()
    assert await ScheduledReminder.count().where(ScheduledReminder.outbox.is_not_null()) == 1  # "confirmed" only: nothing moved
    assert await deliver_all(with_smtp, ScheduledReminder.step.is_not_null()) == ["sent"]  # the sent one is not sent again
    sequences = [int(calendar_of(m).walk("VEVENT")[0]["sequence"]) for m in inbox.messages]
    summaries = [str(calendar_of(m).walk("VEVENT")[0]["summary"]) for m in inbox.messages]
    assert sequences == [1, 2] and summaries == ["Perfume salon", "Perfume salon, by candlelight"]


async def test_the_downloaded_invite_and_the_feed_name_the_same_organizer_as_the_email(
    server: LiveServer, coordinator: Caller
) -> None:
    member = await make_member("Camille Dubois", email="camille@example.com")
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    booked = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        invite = await http.get(event_urls.link(event_urls.RSVP_INVITE, rsvp_id=booked["id"]))
        feed_url = (await http.post(event_urls.MY_CALENDAR_FEED)).json()["url"]
        feed = await http.get(feed_url.replace(server.settings.public_base_url, server.base_url))
    for body in (invite.content, feed.content):
        [vevent] = Calendar.from_ical(body).walk("VEVENT")
        # The test club's defaults: its name and its sender (CALENDAR_ORGANIZER_* unset).
        assert str(vevent["organizer"]) == "mailto:club@localhost" and vevent["organizer"].params["CN"] == "Maison Club"
