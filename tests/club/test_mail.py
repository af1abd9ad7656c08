"""An e-mail as mail clients read it: parsed back with the standard library and icalendar."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

import icalendar
import qrcode

from club.mail import Action, CalendarInvite, InlineImage, Letter, MailFrom, compose

SENDER = MailFrom("Maison Club", "club@maison.example", reply_to="concierge@maison.example")
SENT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _invite(method: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//test//")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", "event-7@maison.example")
    event.add("summary", "秋冬系列沙龙")
    event.add("dtstart", datetime(2026, 12, 11, 10, tzinfo=UTC))
    event.add("sequence", 2)
    event.add("organizer", "mailto:club@maison.example")
    event.add("attendee", "mailto:li@example.com")
    cal.add_component(event)
    return cal.to_ical()


def _png() -> bytes:
    import io

    out = io.BytesIO()
    qrcode.make("ticket").save(out, format="PNG")
    return out.getvalue()


def _parsed(mail: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(bytes(mail), policy=email.policy.default)  # type: ignore[return-value]


def _letter() -> Letter:
    return Letter(
        subject="您的席位已确认",
        greeting="尊敬的李女士：",
        paragraphs=["您的席位已确认。", "时间：2026年12月11日（周五）18:00"],
        action=Action("查看入场二维码", "https://club.example/t/abc"),
        image=InlineImage("qr-ticket", _png(), "入场二维码"),
    )


def test_a_ticket_mail_carries_text_html_its_qr_and_an_invite_that_calendars_read() -> None:
    mail = _parsed(
        compose(
            _letter(), sender=SENDER, to="li@example.com", to_name="李女士", unique_id="delivery-41.7f3a",
            sent_at=SENT, lang="zh-Hans", invite=CalendarInvite(_invite("REQUEST")),
            unsubscribe_url="https://club.example/u/xyz", preferences_url="https://club.example/prefs",
        )
    )
    assert mail["Subject"] == "您的席位已确认"
    assert str(mail["From"]) == "Maison Club <club@maison.example>"
    assert mail["Reply-To"] == "concierge@maison.example"
    assert email.utils.parsedate_to_datetime(mail["Date"]) == SENT
    assert mail["Message-ID"] == "<delivery-41.7f3a@maison.example>"
    assert mail["List-Unsubscribe"] == "<https://club.example/u/xyz>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "查看入场二维码: https://club.example/t/abc" in text.get_content()
    assert 'href="https://club.example/t/abc"' in html.get_content()
    assert 'src="cid:qr-ticket"' in html.get_content()
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert [p["Content-ID"] for p in images] == ["<qr-ticket>"]
    assert images[0].get_content() == _png()

    calendars = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1 and calendars[0].get_param("method") == "REQUEST"
    parsed = icalendar.Calendar.from_ical(calendars[0].get_content())
    assert parsed["METHOD"] == "REQUEST"
    (event,) = parsed.walk("VEVENT")
    assert event["SEQUENCE"] == 2 and str(event["ATTENDEE"]) == "mailto:li@example.com"
    attachments = [p.get_filename() for p in mail.iter_attachments()]
    assert attachments == ["invite.ics"]


def test_a_message_the_member_must_get_offers_no_unsubscribe() -> None:
    mail = _parsed(
        compose(_letter(), sender=SENDER, to="li@example.com", to_name=None, unique_id="d-1", sent_at=SENT,
                lang="zh-Hans", invite=CalendarInvite(_invite("CANCEL"), method="CANCEL"))
    )
    assert mail["List-Unsubscribe"] is None
    (calendar,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "CANCEL"


def test_the_html_escapes_what_members_and_coordinators_write() -> None:
    letter = Letter("<b>", "Dear <script>x</script>", ["A & B"], Action("Go", 'https://x.example/?a=1&b="2"'))
    html = _parsed(compose(letter, sender=SENDER, to="a@example.com", to_name=None, unique_id="d-2", sent_at=SENT, lang="en"))
    body = html.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "A &amp; B" in body
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in body
