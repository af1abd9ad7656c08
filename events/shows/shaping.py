"""Turning invitation rows into response bodies: the show, the category, the queue position,
and the reply-by on the show's clock."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from club.rows import rows_as
from events import urls as event_urls
from events.shows.rows import InvitationViewRow, QueuePlaceRow
from events.shows.rules import (
    LISTING_ORDER,
    Candidate,
    local_iso,
    offer_order,
    seats_held,
)
from events.shows.schemas import ShowInvitationOut
from events.shows.tables import InvitationStatus, ShowInvitation

__all__ = ["invitations_out"]

_I = ShowInvitation
_FIELDS = (
    *_I.all_columns(),
    _I.show.title.as_alias("show_title"),
    _I.show.venue.as_alias("venue"),
    _I.show.venue_time_zone.as_alias("venue_time_zone"),
    _I.show.starts_at.as_alias("starts_at"),
    _I.show.status.as_alias("show_status"),
    _I.category.name.as_alias("category_name"),
    _I.member.name.as_alias("member_name"),
)


def _candidate(row: QueuePlaceRow | InvitationViewRow) -> Candidate:
    return Candidate(row.id, 2 if row.plus_one_allowed else 1, row.invited_at, row.tier_rank_at_invite)


async def _positions(category_ids: set[int]) -> dict[int, int]:
    """Each queued invitation's place in its category's queue (1 is offered next)."""
    if not category_ids:
        return {}
    rows = rows_as(QueuePlaceRow, await _I.select(_I.id, _I.category, _I.plus_one_allowed, _I.invited_at, _I.tier_rank_at_invite).where(
        _I.category.is_in(sorted(category_ids)) & (_I.status == InvitationStatus.queued.value)
    ))
    by_category: dict[int, list[Candidate]] = defaultdict(list)
    for r in rows:
        by_category[r.category].append(_candidate(r))
    positions: dict[int, int] = {}
    for queue in by_category.values():
        positions.update({invitation_id: i for i, invitation_id in enumerate(offer_order(queue), start=1)})
    return positions


async def invitations_out(where: Any, listing: bool = False) -> list[ShowInvitationOut]:
    """The matching invitations: soonest show first, or (`listing`, for coordinators) by
    category, then status (accepted, offered, queued, ended), each group in tier priority."""
    rows = rows_as(InvitationViewRow, await _I.select(*_FIELDS).where(where))
    positions = await _positions({r.category for r in rows if r.status == InvitationStatus.queued})
    if listing:
        priority = {i: n for n, i in enumerate(offer_order([_candidate(r) for r in rows]))}
        rows.sort(key=lambda r: (r.category, LISTING_ORDER.index(r.status), priority[r.id]))
    else:
        rows.sort(key=lambda r: (r.starts_at, r.id))
    return [_out(r, positions.get(r.id)) for r in rows]


def _out(r: InvitationViewRow, position: int | None) -> ShowInvitationOut:
    zone = r.venue_time_zone
    seated = r.status == InvitationStatus.accepted and r.rsvp is not None
    return ShowInvitationOut(
        id=r.id,
        show_id=r.show,
        show_title=r.show_title,
        venue=r.venue,
        venue_time_zone=zone,
        starts_at=r.starts_at,
        starts_local=local_iso(r.starts_at, zone) or "",
        show_status=r.show_status,
        member_id=r.member,
        member_name=r.member_name,
        category_id=r.category,
        category=r.category_name,
        status=r.status,
        position=position,
        plus_one_allowed=r.plus_one_allowed,
        plus_one=r.plus_one,
        seats_held=seats_held(r.status, r.plus_one_allowed, r.plus_one),
        reply_window_hours=r.reply_window_hours,
        reply_by=r.reply_by,
        reply_by_local=local_iso(r.reply_by, zone),
        tier_at_invite=r.tier_name_at_invite,
        tier_rank_at_invite=r.tier_rank_at_invite,
        reason=r.reason,
        invited_at=r.invited_at,
        offered_at=r.offered_at,
        answered_at=r.answered_at,
        ended_at=r.ended_at,
        rsvp_id=r.rsvp if seated else None,
        ticket_url=event_urls.link(event_urls.RSVP_TICKET, rsvp_id=r.rsvp) if seated else None,
        invite_url=event_urls.link(event_urls.RSVP_INVITE, rsvp_id=r.rsvp) if seated else None,
    )
