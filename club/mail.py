"""E-mail as mail clients want it: text and HTML, inline images, a calendar invite, list headers.

One builder for every message the club sends by e-mail; the domains say what to write, this
says how it is packed (RFC 5322, 2046, 2387, 5545/6047 iMIP, 8058):

    multipart/mixed
      multipart/alternative
        text/plain                      what a plain reader or a watch shows
        multipart/related
          text/html                     simple, inline-styled, readable on a phone and in dark mode
          image/png (cid)               the ticket's QR code
        text/calendar; method=REQUEST   clients turn it into their own accept/decline buttons
      application/ics (invite.ics)      the same invite as a file, for clients that want one
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

__all__ = ["Action", "CalendarInvite", "InlineImage", "Letter", "MailFrom", "compose", "message_id"]


@dataclass(frozen=True, slots=True)
class MailFrom:
    """Who the club writes as: its name, its mailbox and where replies go."""

    club_name: str
    address: str
    reply_to: str | None = None

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "localhost"


@dataclass(frozen=True, slots=True)
class InlineImage:
    cid: str  # referred to as <img src="cid:…"> in the HTML
    png: bytes
    alt: str


@dataclass(frozen=True, slots=True)
class CalendarInvite:
    ics: bytes  # a VCALENDAR whose METHOD matches `method`
    method: str = "REQUEST"  # REQUEST for an invite or a change, CANCEL when the event is off


@dataclass(frozen=True, slots=True)
class Action:
    """The one thing the message asks of the member, as a button and a plain link."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Letter:
    """What a message says: a greeting, paragraphs, one action, and the image that goes with it."""

    subject: str
    greeting: str
    paragraphs: Sequence[str]
    action: Action | None = None
    image: InlineImage | None = None
    footer: Sequence[str] = field(default_factory=tuple)


def message_id(unique: str, domain: str) -> str:
    """A Message-ID from an id the caller keeps unique across resets (e.g. a UUID of the delivery)."""
    safe = "".join(c if c.isalnum() or c in ".-_" else "." for c in unique)
    return f"<{safe}@{domain}>"


def _text(letter: Letter) -> str:
    lines = [letter.greeting, "", *[p for para in letter.paragraphs for p in (para, "")]]
    if letter.action is not None:
        lines += [f"{letter.action.label}: {letter.action.url}", ""]
    lines += list(letter.footer)
    return "\n".join(lines).rstrip() + "\n"


# Inline styles only (clients drop <style> blocks); the colours are left to the client, so a
# dark-mode client can invert them, except the QR's white card, which must stay black on white.
_FONT = "font-family:'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',-apple-system,'Segoe UI',sans-serif"


def _html(letter: Letter, lang: str) -> str:
    esc = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">',
        f"<title>{esc(letter.subject)}</title></head>",
        f'<body style="margin:0;padding:24px 16px;{_FONT};font-size:16px;line-height:1.6">',
        '<div style="max-width:560px;margin:0 auto">',
        f'<p style="margin:0 0 16px">{esc(letter.greeting)}</p>',
    ]
    parts += [f'<p style="margin:0 0 16px">{esc(p)}</p>' for p in letter.paragraphs]
    if letter.image is not None:
        parts.append(
            '<div style="margin:24px 0;text-align:center"><span style="display:inline-block;background:#ffffff;padding:16px;border-radius:8px">'
            f'<img src="cid:{esc(letter.image.cid)}" alt="{esc(letter.image.alt)}" width="240" height="240" style="display:block;width:240px;height:240px"></span></div>'
        )
    if letter.action is not None:
        parts.append(
            f'<p style="margin:24px 0"><a href="{esc(letter.action.url, quote=True)}" '
            'style="display:inline-block;padding:12px 24px;border:1px solid currentColor;border-radius:4px;text-decoration:none;min-height:20px">'
            f"{esc(letter.action.label)}</a></p>"
        )
    if letter.footer:
        parts.append('<hr style="border:none;border-top:1px solid #8884;margin:32px 0 16px">')
        parts += [f'<p style="margin:0 0 8px;font-size:13px;opacity:.75">{esc(line)}</p>' for line in letter.footer]
    parts.append("</div></body></html>")
    return "".join(parts)


def compose(
    letter: Letter,
    *,
    sender: MailFrom,
    to: str,
    to_name: str | None,
    unique_id: str,
    sent_at: datetime,
    lang: str,
    invite: CalendarInvite | None = None,
    unsubscribe_url: str | None = None,
    preferences_url: str | None = None,
) -> EmailMessage:
    """The whole message, ready for SMTP.

    `unsubscribe_url` (RFC 8058) takes a POST with `List-Unsubscribe=One-Click`; a message the
    member must get whatever their choices (a cancellation, a fasting instruction) passes None.
    """
    mail = EmailMessage()
    mail["From"] = Address(sender.club_name, addr_spec=sender.address)
    mail["To"] = Address(to_name or "", addr_spec=to)
    if sender.reply_to:
        mail["Reply-To"] = sender.reply_to
    mail["Subject"] = letter.subject
    mail["Date"] = format_datetime(sent_at)
    mail["Message-ID"] = message_id(unique_id, sender.domain)
    mail["Content-Language"] = lang
    if unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = list(letter.footer)
    if preferences_url:
        footer.append(preferences_url)
    body = Letter(letter.subject, letter.greeting, letter.paragraphs, letter.action, letter.image, footer)

    mail.set_content(_text(body))
    mail.add_alternative(_html(body, lang), subtype="html")
    if letter.image is not None:
        html_part = next(p for p in mail.iter_parts() if p.get_content_type() == "text/html")
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(letter.image.png, maintype="image", subtype="png", cid=f"<{letter.image.cid}>")
    if invite is not None:
        text = invite.ics.decode("utf-8")
        mail.add_alternative(text, subtype="calendar", params={"method": invite.method})
        mail.make_mixed()
        mail.add_attachment(
            invite.ics, maintype="application", subtype="ics", filename="invite.ics", params={"method": invite.method}
        )
    return mail

