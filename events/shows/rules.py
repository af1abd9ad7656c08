"""Pure decisions of show invitations: seats an invitation holds, who is offered next, reply-by
dates, and why an answer is refused. No I/O: the services load the facts and write the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from events.rules import Waiting, order_waitlist, waitlist_promotions
from events.shows.tables import InvitationStatus
from events.tables import WaitlistPolicy

__all__ = [
    "LISTING_ORDER",
    "Candidate",
    "answer_refusal",
    "choose_offers",
    "local_iso",
    "offer_order",
    "priority_reason",
    "reply_by",
    "seats_held",
]

_S = InvitationStatus
# Coordinators read a category's invitations in this order: seats given, seats held, the queue,
# then the ended ones.
LISTING_ORDER: tuple[InvitationStatus, ...] = (_S.accepted, _S.offered, _S.queued, _S.declined, _S.expired, _S.withdrawn)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A queued invitation, with what orders it: tier rank at invitation, then time, then id."""

    invitation_id: int
    seats: int
    invited_at: datetime
    tier_rank: int | None = None


def seats_held(status: InvitationStatus, plus_one_allowed: bool, plus_one: bool) -> int:
    """Seats an invitation keeps from its category: an offer holds its plus-one's seat until the
    member answers; an acceptance holds what the member took; anything else holds none."""
    if status == _S.offered:
        return 2 if plus_one_allowed else 1
    if status == _S.accepted:
        return 2 if plus_one else 1
    return 0


def _waiting(candidates: Sequence[Candidate]) -> list[Waiting]:
    # The events waitlist's tier-priority order and promotion are exactly the show queue's.
    return [Waiting(c.invitation_id, c.seats, c.invited_at, c.tier_rank) for c in candidates]


def offer_order(candidates: Sequence[Candidate]) -> list[int]:
    """Invitation ids in the order seats are offered: higher tier rank first (no tier last),
    then earlier invitation, then lower id, so the order is total and stable."""
    return [w.rsvp_id for w in order_waitlist(WaitlistPolicy.tier_priority, _waiting(candidates))]


def choose_offers(free_seats: int, candidates: Sequence[Candidate]) -> list[int]:
    """Which queued invitations are offered `free_seats`, in priority order, never more seats
    than free. A plus-one invitation that does not fit keeps its place while a later one-seat
    invitation takes the single seat (as the events waitlist does), so no seat stays empty."""
    ordered = order_waitlist(WaitlistPolicy.tier_priority, _waiting(candidates))
    return [w.rsvp_id for w in waitlist_promotions(free_seats, ordered).promoted]


def reply_by(now: datetime, window_hours: int, show_starts_at: datetime) -> datetime:
    """A fresh offer's deadline: the invitation's reply window from now, never past the show's start."""
    return min(now + timedelta(hours=window_hours), show_starts_at)


def priority_reason(tier_name: str | None, tier_rank: int | None, invited_at: datetime) -> str:
    """Why an invitation stands where it does in its category's queue, for coordinators."""
    tier = f"{tier_name} (rank {tier_rank})" if tier_name is not None else "no tier"
    return f"tier priority: {tier} when invited, then invited at {invited_at:%Y-%m-%d %H:%M:%S.%f} UTC"


def answer_refusal(status: InvitationStatus, answer: str) -> str | None:
    """Why the member cannot give `answer` ("accept" or "decline") to an invitation in `status`;
    None when the answer applies, "same" when it was already given (answering twice is a no-op).

    Declining works on a queued invitation (no thanks, before a seat is free) and on an accepted
    one (the member cannot come after all: the seat goes to the next in line).
    """
    status = InvitationStatus(status)
    if status in (_S.expired, _S.withdrawn):
        return status.value
    if answer == "accept":
        if status == _S.accepted:
            return "same"
        if status == _S.offered:
            return None
        return status.value  # queued (no seat yet) or declined
    if status == _S.declined:
        return "same"
    return None


def local_iso(instant: datetime | None, zone: str) -> str | None:
    return None if instant is None else instant.astimezone(ZoneInfo(zone)).isoformat()
