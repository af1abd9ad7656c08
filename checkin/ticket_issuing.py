"""Issuing a member's ticket: the signed token of a confirmed RSVP, and a reissue that voids older codes."""

from __future__ import annotations

from dataclasses import dataclass

from checkin.tables import Ticket
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import Conflict
from club.locking import lock_objects
from club.suspension import refuse_if_suspended
from events.rsvp import visible_rsvp
from events.tables import Rsvp, RsvpStatus

__all__ = ["IssuedTicket", "current_ticket", "reissue_ticket"]


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    rsvp_id: int
    event_id: int
    version: int
    token: str


async def _confirmed(rsvp_id: int, viewer: Principal) -> dict:
    owner = await visible_rsvp(rsvp_id, viewer)  # 404 for anyone but the member or a coordinator
    # Refused to coordinators too: a code handed on would not admit anyway (the door refuses it).
    await refuse_if_suspended(
        owner["member"], "This membership is suspended: its tickets are withheld until the club reactivates it."
    )
    status = (await Rsvp.select(Rsvp.status).where(Rsvp.id == rsvp_id).first())["status"]  # type: ignore[index]
    if status != RsvpStatus.confirmed.value:
        raise Conflict(
            "Only a confirmed RSVP has a ticket." if status == RsvpStatus.waitlisted.value
            else "This RSVP is cancelled; its ticket is void.",
            rsvp_status=status,
        )
    return owner


async def current_ticket(rsvp_id: int, viewer: Principal, signer: TicketSigner) -> IssuedTicket:
    owner = await _confirmed(rsvp_id, viewer)
    row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    if row is None:
        async with write_transaction():
            await Ticket.insert(Ticket(rsvp=rsvp_id, version=1, issued_at=clock.now())).on_conflict(
                target=Ticket.rsvp, action="DO NOTHING"
            )
        row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    version = row["version"]  # type: ignore[index]
    token = signer.issue(TicketClaims(event_id=owner["event"], rsvp_id=rsvp_id, version=version))
    return IssuedTicket(rsvp_id, owner["event"], version, token)


async def reissue_ticket(rsvp_id: int, viewer: Principal, signer: TicketSigner) -> IssuedTicket:
    """A new code for a lost or shared one: every earlier code of this RSVP stops admitting."""
    await _confirmed(rsvp_id, viewer)
    async with write_transaction():
        await lock_objects((Rsvp, rsvp_id))
        row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
        now = clock.now()
        if row is None:
            await Ticket.insert(Ticket(rsvp=rsvp_id, version=2, issued_at=now))
        else:
            await Ticket.update({Ticket.version: row["version"] + 1, Ticket.issued_at: now}).where(
                Ticket.rsvp == rsvp_id
            )
    return await current_ticket(rsvp_id, viewer, signer)
