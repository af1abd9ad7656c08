"""The member's ticket page, opened from a message without signing in: a signed link that
expires a day after the event ends and dies with the ticket (a reissue raises its version).

The link names the RSVP, the ticket version and its expiry, signed under the club's key
(club.signed_links); nothing is stored. Opening it checks, in this order: the signature, the
expiry, the ticket's current version, a confirmed RSVP of an event that is not cancelled, and a
membership that is not suspended. Any failure is the same answer, so a link tells nothing about
a ticket it no longer opens. The page is phone-sized, in the member's language, and loads
nothing from another host: the QR is inline, black on white with its quiet margin.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from checkin.qr import render_ticket
from checkin.tables import Ticket
from checkin.ticket_tokens import TicketClaims, TicketSigner
from checkin.ticket_view import holds_a_seat, qr_data_uri, ticket_facts
from club import clock
from club.db import write_transaction
from club.i18n.catalogs import gettext
from club.i18n.formats import date_time_text
from club.i18n.languages import Language, language_of
from club.pages import page_document
from club.settings import Settings
from club.signed_links import BadLink, open_link, sign_link
from events.ticket_mail import MailTicket

__all__ = ["TICKET_PAGE_PREFIX", "TicketPage", "invalid_page_html", "mail_ticket_of", "open_ticket_page", "ticket_page_html"]

TICKET_PAGE_PREFIX = "/t/"
_PURPOSE = "ticket-page"
# The link outlives the event by a day: a member looking for it on the way home still finds it.
_GRACE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TicketPage:
    language: Language
    member_name: str
    title: str
    when: str
    venue: str
    token: str


async def _version(rsvp_id: int) -> int:
    """The ticket's current version; its row is made (version 1) the first time it is asked for."""
    row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    if row is None:
        async with write_transaction():
            await Ticket.insert(Ticket(rsvp=rsvp_id, version=1, issued_at=clock.now())).on_conflict(
                target=Ticket.rsvp, action="DO NOTHING"
            )
        row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    assert row is not None
    return int(row["version"])


def ticket_page_url(settings: Settings, rsvp_id: int, version: int, ends_at: datetime) -> str:
    expires = int((ends_at + _GRACE).timestamp())
    return settings.public_base_url + TICKET_PAGE_PREFIX + sign_link(settings.secret_key, _PURPOSE, rsvp_id, version, expires)


async def mail_ticket_of(rsvp_id: int, settings: Settings) -> MailTicket | None:
    """The ticket a message carries (events.ticket_mail's hook): None unless the RSVP holds a seat."""
    facts = await ticket_facts(rsvp_id)
    if facts is None or not holds_a_seat(facts):
        return None
    version = await _version(rsvp_id)
    token = TicketSigner(settings.secret_key).issue(TicketClaims(event_id=facts.event, rsvp_id=rsvp_id, version=version))
    return MailTicket(ticket_page_url(settings, rsvp_id, version, facts.ends_at), token, render_ticket(token, "png"))


async def open_ticket_page(signed: str, settings: Settings, signer: TicketSigner) -> TicketPage | None:
    """What the page shows, or None for a link that no longer opens a ticket (see the module)."""
    try:
        rsvp, version, expires = open_link(settings.secret_key, _PURPOSE, signed, 3)
    except BadLink:
        return None
    if not (rsvp.isdigit() and version.isdigit() and expires.isdigit()):
        return None
    if clock.now() >= datetime.fromtimestamp(int(expires), UTC):
        return None
    facts = await ticket_facts(int(rsvp))
    if facts is None or not holds_a_seat(facts):
        return None
    current = await Ticket.select(Ticket.version).where(Ticket.rsvp == int(rsvp)).first()
    if (int(current["version"]) if current else 1) != int(version):
        return None
    language = language_of(facts.language or "") or settings.club_locale
    token = signer.issue(TicketClaims(event_id=facts.event, rsvp_id=int(rsvp), version=int(version)))
    return TicketPage(
        language=language, member_name=facts.member_name, title=facts.title,
        when=date_time_text(facts.starts_at, facts.venue_time_zone, language, facts.tz),
        venue=facts.venue, token=token,
    )


# The ticket's own parts; the QR card stays black on white in dark mode.
_STYLE = """
h1{font-family:"Songti SC","Noto Serif CJK SC",Georgia,serif;font-weight:normal;font-size:24px;margin:0 0 8px}
.state{margin:0 0 24px;font-size:16px}
.card{background:#fff;padding:16px;border-radius:8px;text-align:center;margin:0 0 24px}
.card img{display:block;width:100%;max-width:320px;height:auto;margin:0 auto;image-rendering:pixelated}
.code{font-family:ui-monospace,monospace;font-size:11px;color:#000;word-break:break-all;margin:8px 0 0}
p{margin:0 0 8px}
"""


def ticket_page_html(page: TicketPage) -> str:
    esc, lang = html.escape, page.language
    heading = gettext(lang, "Your ticket")
    body = (
        f"<h1>{esc(heading)}</h1>"
        f'<p class="state">{esc(gettext(lang, "Your seat is confirmed"))} · {esc(page.member_name)}</p>'
        f'<div class="card"><img id="qr" src="{qr_data_uri(page.token)}" '
        f'alt="{esc(gettext(lang, "Admission QR code for {event_title}", event_title=page.title), quote=True)}">'
        f'<p class="code" id="code">{esc(page.token)}</p></div>'
        f'<p>{esc(gettext(lang, "Please show this code at the entrance."))}</p>'
        f'<p><strong id="title">{esc(page.title)}</strong></p>'
        f'<p id="when">{esc(page.when)}</p><p id="venue">{esc(page.venue)}</p>'
    )
    return page_document(lang, f"{heading} · {page.title}", body, _STYLE)


def invalid_page_html(language: Language) -> str:
    heading = gettext(language, "This ticket link is no longer valid")
    body = (
        f"<h1>{html.escape(heading)}</h1>"
        "<p>" + html.escape(gettext(
            language,
            "Your ticket may have been reissued, or the event is over. The club's coordinators can send you a new link.",
        )) + "</p>"
    )
    return page_document(language, heading, body, _STYLE)
