"""Who comes to an event: its confirmed RSVPs, for the coordinator's list and export."""

from __future__ import annotations

from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.rows import rows_as
from events.checked_in import checked_in_at
from events.rows import AttendeeRow
from events.schemas import AttendeeOut
from events.tables import Rsvp, RsvpStatus

__all__ = ["attendees"]


async def attendees(event_id: int, viewer: Principal) -> list[AttendeeOut]:
    """Confirmed RSVPs, in the order their seats were given. The list names members and their
    addresses: anyone but a coordinator gets 404."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    rows = rows_as(AttendeeRow, await Rsvp.select(
        Rsvp.id,
        Rsvp.member,
        Rsvp.member.name.as_alias("member_name"),
        Rsvp.member.email.as_alias("email"),
        Rsvp.member.phone.as_alias("phone"),
        Rsvp.member._.tier._.name.as_alias("tier_name"),
        Rsvp.guests,
        Rsvp.seats,
        Rsvp.confirmed_at,
        Rsvp.promoted_at,
    ).where((Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)).order_by(
        Rsvp.confirmed_at
    ).order_by(Rsvp.id))
    admitted = await checked_in_at(event_id)
    return [
        AttendeeOut(
            rsvp_id=r.id,
            member_id=r.member,
            member_name=r.member_name,
            email=r.email,
            phone=r.phone,
            tier=r.tier_name,
            guests=r.guests,
            seats=r.seats,
            confirmed_at=r.confirmed_at,
            promoted=r.promoted_at is not None,
            checked_in_at=admitted.get(r.id),
        )
        for r in rows
    ]
