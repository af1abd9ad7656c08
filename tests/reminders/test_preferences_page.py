"""The message preferences page an e-mail's footer links to (issue 13): a signed link, no sign-in.
A forged, expired or revoked (suspended member) link is the 404 page; the page speaks the
member's language; its form saves through the API's own service, and what it turns off stops
the next optional e-mail of that kind through the real delivery, while must-reach ones arrive.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage

import httpx
from aiosmtpd.controller import Controller

from club import clock
from club.settings import Settings
from club.tables import Member, MemberStatus
from events import urls as event_urls
from events.reminders.preferences import preferences_of
from events.reminders.preferences_page import LINK_LIFETIME, preferences_page_url
from events.reminders.scheduling import adopt_outbox
from events.reminders.tables import Channel, ScheduledReminder
from tests.club.test_log_redaction import access_log
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import event_starting_in, rsvp
from tests.reminders.test_email import Inbox, deliver_all, mail_settings, parts, smtp_inbox

__all__ = ["preferences_link", "smtp_inbox"]

# Every box of every optional kind ticked, as the page first shows them.
_ALL_OPTIONAL = [
    (kind, channel.value)
    for kind in ("booking", "invitation", "reminder", "other")
    for channel in Channel
]


def preferences_link(mail: EmailMessage) -> str:
    text = parts(mail)["text/plain"].get_content()
    match = re.search(r"(https?://\S+/p/[^\s>]+)", text)
    assert match, text
    return match.group(1)


async def test_a_forged_expired_or_revoked_link_is_the_404_page(
    server: LiveServer, settings: Settings, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    with_smtp = mail_settings(settings, smtp_inbox[0], server)
    member = await make_member("Camille Dubois")
    link = preferences_page_url(with_smtp, member.member_id)
    async with httpx.AsyncClient() as http:
        with access_log() as lines:  # the signed part is a credential: never in a log line
            assert (await http.get(link)).status_code == 200
        assert any("GET /p/[redacted] HTTP/1.1" in line for line in lines), lines
        assert not any(link.rsplit("/p/", 1)[1] in line for line in lines)
        for forged in (link[:-2] + "xx", link.rsplit(".", 2)[0] + ".1.x", server.base_url + "/p/nothing"):
            answer = await http.get(forged)
            assert answer.status_code == 404 and "This link is no longer valid" in answer.text, forged
            assert (await http.post(forged, data={"booking": "sms"})).status_code == 404
        with clock.frozen_at(clock.now() + LINK_LIFETIME + timedelta(minutes=1)):
            assert (await http.get(link)).status_code == 404
        await Member.update({Member.status: MemberStatus.suspended.value}).where(Member.id == member.member_id)
        assert (await http.get(link)).status_code == 404
        assert (await http.post(link, data={"booking": "sms"})).status_code == 404
    assert all(channels == frozenset(Channel) for channels in (await preferences_of(member.member_id)).values())


async def test_the_page_lists_the_kinds_in_the_members_language(
    server: LiveServer, settings: Settings, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    with_smtp = mail_settings(settings, smtp_inbox[0], server)
    member = await make_member("王美", language="zh-Hans")
    async with httpx.AsyncClient() as http:
        page = await http.get(preferences_page_url(with_smtp, member.member_id))
    assert page.status_code == 200 and page.headers["content-language"] == "zh-Hans"
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<html lang="zh-Hans">' in text and "<h1>消息偏好设置</h1>" in text and "尊敬的王美" in text
    for label in ("报名通知", "专属邀请", "活动提醒", "健康准备事项", "时间变更", "活动已取消", "其他会所消息", "邮件", "短信", "电话"):
        assert label in text, label
    # Must-reach kinds: ticked, disabled, with a word why.
    cancelled = text.split('id="kind-event_cancelled"', 1)[1].split("</fieldset>", 1)[0]
    assert cancelled.count("checked disabled") == 3 and "始终发送" in cancelled
    booking = text.split('id="kind-booking"', 1)[1].split("</fieldset>", 1)[0]
    assert booking.count(" checked") == 3 and "disabled" not in booking
    assert "http" not in text.split("<main>", 1)[0]  # nothing from another host


async def test_turning_off_email_for_a_kind_stops_its_next_email_but_not_a_must_reach_one(
    server: LiveServer, settings: Settings, coordinator: Caller, smtp_inbox: tuple[Controller, Inbox]
) -> None:
    controller, inbox = smtp_inbox
    with_smtp = mail_settings(settings, controller, server)
    member = await make_member("Camille Dubois", email="camille@example.com")
    event = await event_starting_in(server, coordinator, timedelta(days=10))
    await rsvp(server, member, event["id"])
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["sent"]  # "confirmed"
    link = preferences_link(inbox.messages[0])
    assert "/api/me/message-preferences" not in parts(inbox.messages[0])["text/plain"].get_content()
    form: dict[str, list[str]] = {}
    for kind, channel in _ALL_OPTIONAL:
        if (kind, channel) != ("booking", "email"):
            form.setdefault(kind, []).append(channel)
    # A form claiming a must-reach kind off changes nothing: the service keeps it whole.
    form["event_cancelled"] = ["sms"]
    async with httpx.AsyncClient() as http:  # no token: the link is the credential
        saved = await http.post(link, data=form)
    assert saved.status_code == 200, saved.text
    assert 'id="saved"' in saved.text and "Your choices are saved." in saved.text
    booking = saved.text.split('id="kind-booking"', 1)[1].split("</fieldset>", 1)[0]
    assert 'value="email">' in booking and 'value="sms" checked>' in booking
    async with server.client(member.token) as http:  # the API reads the same choice
        mine = {p["kind"]: p for p in (await http.get("/api/me/message-preferences")).json()}
    assert mine["booking"]["channels"] == ["sms", "call"] and mine["reminder"]["channels"] == ["email", "sms", "call"]
    assert mine["event_cancelled"]["channels"] == ["email", "sms", "call"]
    # The next booking e-mail (booked elsewhere: another "confirmed") is not sent...
    other = await event_starting_in(server, coordinator, timedelta(days=12), title="Tea ceremony")
    await rsvp(server, member, other["id"])
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["declined"]
    assert len(inbox.messages) == 1
    # ...a cancellation is must-reach: it arrives.
    async with server.client(coordinator.token) as http:
        response = await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=event["id"]))
        assert response.status_code == 200, response.text
    await adopt_outbox()
    assert await deliver_all(with_smtp, ScheduledReminder.outbox.is_not_null()) == ["sent"]
    assert len(inbox.messages) == 2 and inbox.messages[-1]["List-Unsubscribe"] is None
