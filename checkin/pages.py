"""The signed-in member's ticket page: the QR the door scans, large, black on white, with their
name and the event, and kept on the phone for the door (the service worker, club/web/static/sw.js,
keeps the last good copy of /tickets/N and shows it when there is no network).

The page calls the API's own service (checkin.ticket_issuing.current_ticket), so its QR carries
the same signed token as GET /api/rsvps/N/ticket: the one the door admits, replaced by a reissue.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from checkin.ticket_issuing import IssuedTicket, current_ticket
from checkin.ticket_tokens import TicketSigner
from checkin.ticket_view import qr_data_uri, ticket_facts
from club.auth import member_only, principal_of
from club.errors import NotFound
from club.web.templates import page
from events import urls
from events.rsvp import visible_rsvp
from events.tables import EventStatus, RsvpStatus

__all__ = ["HOME_SECTIONS", "PAGES", "my_ticket_page"]


@get(urls.MY_TICKET_PAGE, guards=[member_only], name="my-ticket")
async def my_ticket_page(request: Request[Any, Any, Any], rsvp_id: int, signer: TicketSigner) -> Template:
    me = principal_of(request)
    await visible_rsvp(rsvp_id, me)  # another member's or a missing RSVP: 404
    facts = await ticket_facts(rsvp_id)
    if facts is None:  # gone since the line above (RSVPs are never deleted, but say so plainly)
        raise NotFound("RSVP {rsvp_id} does not exist.", text_values={"rsvp_id": rsvp_id})
    ticket: IssuedTicket | None = None
    if facts.status is RsvpStatus.confirmed and facts.event_status is not EventStatus.cancelled:
        # The API's service: the owner rule again, a suspended membership refused, the version.
        ticket = await current_ticket(rsvp_id, me, signer)
    return page(
        request, "checkin/ticket.html", facts=facts, ticket=ticket,
        qr=qr_data_uri(ticket.token) if ticket else None,
        event_cancelled=facts.event_status is EventStatus.cancelled, reader_zone=facts.tz,
    )


PAGES: list[Any] = [my_ticket_page]
# The next events with their tickets are the events pages' part of the home page.
HOME_SECTIONS: list[Any] = []
