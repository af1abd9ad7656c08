"""What a member's ticket shows, shared by both ticket pages: the signed link a message carries
(checkin.ticket_page, /t/…) and the signed-in member's own page (checkin.pages, /tickets/N).

`ticket_facts` reads the RSVP with its event and its member in one query; `holds_a_seat` is
when there is a ticket to show at all; `qr_data_uri` puts the QR inside the page itself, so
the page needs nothing more to show it, offline too.
"""

from __future__ import annotations

import base64
from datetime import datetime

from checkin.qr import render_ticket
from club.rows import Row, row_as
from club.tables import MemberStatus
from events.tables import EventStatus, Rsvp, RsvpStatus

__all__ = ["TicketFacts", "holds_a_seat", "qr_data_uri", "ticket_facts"]


class TicketFacts(Row, frozen=True):
    """An RSVP as its ticket shows it: the event (title, start on the venue's clock, venue) and
    the member (name, language, own clock)."""

    id: int
    event: int
    member: int
    status: RsvpStatus
    guests: int
    event_status: EventStatus
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    ends_at: datetime
    member_name: str
    language: str | None
    tz: str
    member_status: MemberStatus


async def ticket_facts(rsvp_id: int) -> TicketFacts | None:
    row = await Rsvp.select(
        Rsvp.id, Rsvp.event, Rsvp.member, Rsvp.status, Rsvp.guests, Rsvp.event.status.as_alias("event_status"),
        Rsvp.event.title.as_alias("title"), Rsvp.event.venue.as_alias("venue"),
        Rsvp.event.venue_time_zone.as_alias("venue_time_zone"), Rsvp.event.starts_at.as_alias("starts_at"),
        Rsvp.event.ends_at.as_alias("ends_at"), Rsvp.member.name.as_alias("member_name"),
        Rsvp.member.language.as_alias("language"), Rsvp.member.time_zone.as_alias("tz"),
        Rsvp.member.status.as_alias("member_status"),
    ).where(Rsvp.id == rsvp_id).first()
    return None if row is None else row_as(TicketFacts, row)


def holds_a_seat(facts: TicketFacts) -> bool:
    """A ticket is shown for a confirmed RSVP of an event that is not cancelled, held by a
    membership that is not suspended (the door would refuse anything else)."""
    return (
        facts.status is RsvpStatus.confirmed
        and facts.event_status is not EventStatus.cancelled
        and facts.member_status is not MemberStatus.suspended
    )


def qr_data_uri(token: str) -> str:
    """The ticket's QR as a PNG inside a data: URI (black on white, with its quiet margin)."""
    return "data:image/png;base64," + base64.b64encode(render_ticket(token, "png")).decode()
