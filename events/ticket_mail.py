"""What a message about an event carries of the member's ticket, as a hook: checkin, above,
provides it (its signed ticket-page link, the code and its QR image).

The e-mail of a reminder or a notice (events.reminders.channels) needs the ticket, but tickets
live in `checkin`, which builds on events. So the question is declared here and the wiring
(club.server.wiring) sets checkin's answer when a process starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from club.settings import Settings

__all__ = ["MailTicket", "mail_ticket", "provide_mail_tickets"]


@dataclass(frozen=True, slots=True)
class MailTicket:
    page_url: str  # a signed link to the ticket page: no sign-in, expires, dies with the ticket
    token: str  # what the QR code says
    png: bytes  # the QR image


TicketSource = Callable[[int, Settings], Awaitable[MailTicket | None]]
_source: TicketSource | None = None


def provide_mail_tickets(source: TicketSource) -> None:
    global _source
    _source = source


async def mail_ticket(rsvp_id: int, settings: Settings) -> MailTicket | None:
    """The RSVP's current ticket, or None when it has none (not confirmed, a cancelled event,
    or no provider in this process)."""
    return None if _source is None else await _source(rsvp_id, settings)
