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
from events.rows import RsvpOwnerRow
from events.rsvp import visible_rsvp
from events.tables import Rsvp, RsvpStatus

__all__ = ["IssuedTicket", "current_ticket", "reissue_ticket"]


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    rsvp_id: int
    event_id: int
    version: int
    token: str


async def _confirmed(rsvp_id: int, viewer: Principal) -> RsvpOwnerRow:
    # 404 for anyone but the member or a coordinator.
    owner = await visible_rsvp(rsvp_id, viewer)
    # Refused to coordinators too: a code handed on would not admit anyway (the door refuses it).
    await refuse_if_suspended(
        owner.member, "This membership is suspended: its tickets are withheld until the club reactivates it."
    )
    status = RsvpStatus((await Rsvp.select(Rsvp.status).where(Rsvp.id == rsvp_id).first())["status"])  # type: ignore[index]
    if status is not RsvpStatus.confirmed:
        raise Conflict(
            "Only a confirmed RSVP has a ticket." if status is RsvpStatus.waitlisted
            else "This RSVP is cancelled; its ticket is void.",
            rsvp_status=status.value,
        )
    return owner


async def _ticket_version(rsvp_id: int) -> int | None:
    row = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    return None if row is None else int(row["version"])


async def current_ticket(rsvp_id: int, viewer: Principal, signer: TicketSigner) -> IssuedTicket:
    owner = await _confirmed(rsvp_id, viewer)
    version = await _ticket_version(rsvp_id)
    if version is None:
        async with write_transaction():
            await Ticket.insert(Ticket(rsvp=rsvp_id, version=1, issued_at=clock.now())).on_conflict(
                target=Ticket.rsvp, action="DO NOTHING"
            )
        version = await _ticket_version(rsvp_id)
        assert version is not None  # inserted above, or by the request that won the race
    token = signer.issue(TicketClaims(event_id=owner.event, rsvp_id=rsvp_id, version=version))
    return IssuedTicket(rsvp_id, owner.event, version, token)


async def reissue_ticket(rsvp_id: int, viewer: Principal, signer: TicketSigner) -> IssuedTicket:
    """A new code for a lost or shared one: every earlier code of this RSVP stops admitting."""
    await _confirmed(rsvp_id, viewer)
    async with write_transaction():
        await lock_objects((Rsvp, rsvp_id))
        version = await _ticket_version(rsvp_id)
        now = clock.now()
        if version is None:
            await Ticket.insert(Ticket(rsvp=rsvp_id, version=2, issued_at=now))
        else:
            await Ticket.update({Ticket.version: version + 1, Ticket.issued_at: now}).where(
                Ticket.rsvp == rsvp_id
            )
    return await current_ticket(rsvp_id, viewer, signer)
