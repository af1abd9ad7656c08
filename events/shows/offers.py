"""Offering seats: a category's free seats go to its queue in tier priority, and overdue offers
expire and hand their seats on.

`fill_category()` and `expire_show()` run inside a write transaction, after
`club.locking.lock_objects((Event, show_id))`: every transition of a show's invitations takes that one
lock, so seats are counted and given one decision at a time and each hand-over happens once.
`close_cancelled_show()` is events.catalog's cancel hook: it runs in the cancellation's own
transaction, under that same lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from club import clock
from club.db import write_transaction
from club.locking import lock_objects
from club.rows import row_as, rows_as
from events.catalog import load_event
from events.outbox import NoticeKind, event_payload, notify
from events.rows import EventRow
from events.shows.rows import CategoryRow, InvitationStateRow, OverdueOfferRow, QueuedRow
from events.shows.rules import Candidate, choose_offers, local_iso, reply_by, seats_held
from events.shows.tables import InvitationStatus, SeatCategory, ShowInvitation
from events.tables import Event, EventStatus

__all__ = [
    "category_seats",
    "close_cancelled_show",
    "expire_overdue",
    "expire_show",
    "fill_category",
    "offer_payload",
    "open_invitations_query",
    "overdue_shows_query",
]

_S = InvitationStatus
_LIVE = [_S.offered.value, _S.accepted.value, _S.queued.value]


def _now() -> datetime:
    return clock.now()


def offer_payload(show: EventRow, invitation_id: int, category: str, plus_one_allowed: bool,
                  deadline: datetime | None) -> dict[str, Any]:
    """What an offer's message needs, with the reply-by date on the show's clock."""
    return event_payload(
        show,
        invitation_id=invitation_id,
        category=category,
        plus_one_allowed=plus_one_allowed,
        reply_by=deadline.isoformat() if deadline else None,
        reply_by_local=local_iso(deadline, show.venue_time_zone),
    )


async def category_seats(category_id: int) -> tuple[int, list[QueuedRow]]:
    """(seats held by offers and acceptances, the queued invitations) of one category."""
    rows = rows_as(QueuedRow, await ShowInvitation.select(
        ShowInvitation.id, ShowInvitation.member, ShowInvitation.status, ShowInvitation.plus_one_allowed,
        ShowInvitation.plus_one, ShowInvitation.invited_at, ShowInvitation.tier_rank_at_invite,
        ShowInvitation.reply_window_hours,
    ).where((ShowInvitation.category == category_id) & ShowInvitation.status.is_in(_LIVE)))
    held = sum(seats_held(r.status, r.plus_one_allowed, r.plus_one) for r in rows)
    return held, [r for r in rows if r.status == _S.queued]


async def fill_category(show: EventRow, category_id: int, now: datetime, first_offer: Iterable[int] = ()) -> list[int]:
    """Offer the category's free seats to its queue, in tier priority; returns the offered ids.

    Each offer gets a fresh reply-by (its window from now, never past the show's start) and a
    message: "show_invited" for invitations made in this very call (`first_offer`), else
    "show_offered" (a seat came free for a waiting invitation). Nothing is offered for a show
    that is not published or has started. Call under the show's lock.
    """
    if show.status != EventStatus.published or now >= show.starts_at:
        return []
    found = await SeatCategory.select(SeatCategory.id, SeatCategory.show, SeatCategory.name, SeatCategory.seats).where(
        SeatCategory.id == category_id
    ).first()
    if found is None:
        return []
    category = row_as(CategoryRow, found)
    held, queued = await category_seats(category_id)
    by_id = {r.id: r for r in queued}
    chosen = choose_offers(
        category.seats - held,
        [Candidate(r.id, 2 if r.plus_one_allowed else 1, r.invited_at, r.tier_rank_at_invite) for r in queued],
    )
    fresh = set(first_offer)
    for invitation_id in chosen:
        row = by_id[invitation_id]
        deadline = reply_by(now, row.reply_window_hours, show.starts_at)
        await ShowInvitation.update(
            {ShowInvitation.status: _S.offered.value, ShowInvitation.offered_at: now, ShowInvitation.reply_by: deadline}
        ).where((ShowInvitation.id == invitation_id) & (ShowInvitation.status == _S.queued.value))
        kind = NoticeKind.show_invited if invitation_id in fresh else NoticeKind.show_offered
        payload = offer_payload(show, invitation_id, category.name, row.plus_one_allowed, deadline)
        await notify(kind, show.id, [(row.member, None)], payload)
    return chosen


def _overdue(now: datetime) -> Any:
    # An offer also lapses when the show starts, should the show have moved earlier than its reply-by.
    return (ShowInvitation.status == _S.offered.value) & (
        (ShowInvitation.reply_by <= now) | (ShowInvitation.show.starts_at <= now)
    )


async def expire_show(show: EventRow, now: datetime) -> list[int]:
    """Expire the show's offers whose reply-by has passed, tell each member, and hand their
    seats to the next queued invitations. Returns the expired ids. Call under the show's lock."""
    rows = rows_as(OverdueOfferRow, await ShowInvitation.select(
        ShowInvitation.id, ShowInvitation.member, ShowInvitation.category, ShowInvitation.category.name.as_alias("category_name"),
        ShowInvitation.plus_one_allowed, ShowInvitation.reply_by,
    ).where((ShowInvitation.show == show.id) & _overdue(now)).order_by(ShowInvitation.id))
    if not rows:
        return []
    ids = [r.id for r in rows]
    await ShowInvitation.update({ShowInvitation.status: _S.expired.value, ShowInvitation.ended_at: now}).where(
        ShowInvitation.id.is_in(ids) & (ShowInvitation.status == _S.offered.value)
    )
    for r in rows:
        payload = offer_payload(show, r.id, r.category_name, r.plus_one_allowed, r.reply_by)
        await notify(NoticeKind.show_offer_expired, show.id, [(r.member, None)], payload)
    for category_id in sorted({r.category for r in rows}):
        await fill_category(show, category_id, now)
    return ids


def overdue_shows_query(now: datetime) -> Any:
    """Shows with an overdue offer (read every minute: the open-invitations index serves it)."""
    return ShowInvitation.select(ShowInvitation.show).where(_overdue(now)).distinct()


async def expire_overdue(now: datetime | None = None, show_ids: Iterable[int] | None = None) -> int:
    """Expire every overdue offer (of `show_ids` only, if given), one transaction per show.

    The cron job runs it every minute; reads and answers run it for their shows first, so an
    offer is never shown as open, nor accepted, after its reply-by. Safe to run concurrently
    and repeatedly: under the show's lock, an offer expires once. Returns how many expired.
    """
    now = now or _now()
    query = overdue_shows_query(now)
    if show_ids is not None:
        wanted = sorted(set(show_ids))
        if not wanted:
            return 0
        query = query.where(ShowInvitation.show.is_in(wanted))
    expired = 0
    for show_id in sorted({r["show"] for r in await query}):
        async with write_transaction():
            await lock_objects((Event, show_id))
            expired += len(await expire_show(await load_event(show_id), now))
    return expired


def open_invitations_query(show_id: int) -> Any:
    """A show's open invitations (its offers and its queue), as its cancellation ends them."""
    return ShowInvitation.select(ShowInvitation.id, ShowInvitation.member, ShowInvitation.status).where(
        (ShowInvitation.show == show_id) & ShowInvitation.status.is_in([_S.offered.value, _S.queued.value])
    ).order_by(ShowInvitation.id)


async def close_cancelled_show(show_id: int) -> None:
    """events.catalog's cancel hook: end a cancelled show's open offers and its queue (as
    withdrawn) in the cancellation's own transaction, under the show's lock; members who held
    an offer are told the show is cancelled, once (accepted guests hear it from the event's own
    notice; the queue never heard of a seat). Any other event has no invitations: one read.
    """
    rows = rows_as(InvitationStateRow, await open_invitations_query(show_id))
    if not rows:
        return
    await ShowInvitation.update({ShowInvitation.status: _S.withdrawn.value, ShowInvitation.ended_at: _now()}).where(
        ShowInvitation.id.is_in([r.id for r in rows])
    )
    offered: list[tuple[int, int | None]] = [(r.member, None) for r in rows if r.status == _S.offered]
    if offered:
        await notify(NoticeKind.event_cancelled, show_id, offered, event_payload(await load_event(show_id)))
