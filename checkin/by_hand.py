"""Checking a member in by hand (the console): the door's own admission, without a ticket.

A coordinator admits a confirmed member whose phone is flat or whose code will not scan. It is
the scan's admission exactly (checkin.scanning): one write transaction locks the RSVP row, reads
the same facts, asks the same rule (`checkin.rules.decide_scan`, the ticket taken as current and
for this event, since the coordinator vouches for the person instead of a code) and on admission
writes the check-in and its points together, the referrer's too. Two coordinators clicking at
once are serialized on the RSVP row, and the check-in's unique admission key backs that up:
exactly one admits, the other is told the member is already in, and points are awarded once.

Nothing of the answer is remembered (a scan remembers its nonce for a retried request): the form
posts once, and a second post finds the member already in. The reason is the console's record
of the change (club.audit), written by the caller in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta

from checkin.scanning import ScanRequest, admit_rsvp
from checkin.schemas import ScanAnswer
from club.accounts import Principal
from club.errors import NotFound
from club.referrals import ReferralPolicy
from club.schemas import Strict
from events.tables import Rsvp

__all__ = ["BY_HAND_GATE", "ByHand", "ByHandIn", "check_in_by_hand"]

# An admission by hand names no gate: the door then says "in since 18:05" without a gate.
BY_HAND_GATE = ""


class ByHandIn(Strict):
    """Why the member is let in without their code: the same bounds as an undo's reason."""

    reason: Annotated[str, Meta(min_length=3, max_length=500)]


@dataclass(frozen=True, slots=True)
class ByHand:
    """What the console asks: this RSVP of this event, admitted by this coordinator."""

    event_id: int
    rsvp_id: int
    coordinator: Principal
    referrals: ReferralPolicy


async def check_in_by_hand(request: ByHand) -> ScanAnswer:
    """Admit the RSVP's member as the door would; the answer is the door's (admitted, already in,
    not confirmed, closed, …). Call inside the caller's write transaction to record the change
    with it; an RSVP of another event is 404."""
    # An RSVP's event never changes: asked before the lock, so a wrong pair costs no lock.
    owner = await Rsvp.select(Rsvp.event).where(Rsvp.id == request.rsvp_id).first()
    if owner is None or owner["event"] != request.event_id:
        raise NotFound("RSVP {rsvp_id} does not exist.", text_values={"rsvp_id": request.rsvp_id})
    scan = ScanRequest(
        event_id=request.event_id, token="", nonce="", gate=BY_HAND_GATE, staff=request.coordinator,
        item=None, referrals=request.referrals,
    )
    return await admit_rsvp(scan, request.rsvp_id)
