"""Personal invitations to a show: a coordinator invites, the invited member alone accepts or
declines, a coordinator may withdraw.

Every transition is one write transaction that first takes the show's lock
(`club.locking.lock_objects`), expires the show's overdue offers, then decides: so an offer is
accepted, declined, expired or withdrawn exactly once, and its seats are handed on in order.
Refusals that follow from an expiry (409 invitation-expired) are raised after that
transaction commits, so the expiry and the hand-over it caused stand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns import Column

from club import clock
from club.access import owned_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.errors import Conflict, DomainError, InvalidInput, NotFound
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.tables import Member
from events.catalog import invite_members, load_event
from events.errors import EventCancelled, EventPast
from events.outbox import NoticeKind, notify
from events.rows import EventRow
from events.rsvp import cancel_rsvp, rsvp
from events.rules import EventFacts, MemberFacts, ineligibility_reasons, invite_key
from events.shows.catalog import SHOWS_APP, load_show
from events.shows.errors import (
    InviteeNotEligible,
    PlusOneNotAllowed,
    ShowNotPublished,
    refusal_error,
)
from events.shows.offers import (
    expire_overdue,
    expire_show,
    fill_category,
    offer_payload,
)
from events.shows.rows import InvitationRow, InvitationStateRow, InviteeRow, OwnedInvitationRow
from events.shows.rules import answer_refusal, priority_reason
from events.shows.schemas import ShowInvitationOut
from events.shows.shaping import invitations_out
from events.shows.tables import InvitationStatus, SeatCategory, ShowInvitation
from events.tables import Event, EventStatus, Invitation, RsvpStatus

__all__ = [
    "accept",
    "decline",
    "get_invitation",
    "invite",
    "my_invitations",
    "show_invitations",
    "withdraw",
]

_S = InvitationStatus
_LIVE = (_S.offered, _S.queued, _S.accepted)


def _now() -> datetime:
    return clock.now()


async def _eligibility_problems(show: EventRow, member_ids: list[int]) -> tuple[dict[int, InviteeRow], list[dict[str, Any]]]:
    """The members' rows, and who may not be invited and why (the events eligibility rules:
    membership status and the show's minimum tier; the invitation itself is what we give)."""
    rows = rows_as(InviteeRow, await Member.select(
        Member.id, Member.status, Member.tier.rank.as_alias("tier_rank"), Member.tier.name.as_alias("tier_name")
    ).where(Member.id.is_in(member_ids)))
    found = {r.id: r for r in rows}
    missing = [m for m in member_ids if m not in found]
    if missing:
        raise InvalidInput("No such members: {missing}.", missing=missing)
    facts = EventFacts(kind=show.kind, min_tier_rank=show.min_tier_rank, min_tier_name=show.min_tier_name)
    problems = []
    for member_id in member_ids:
        r = found[member_id]
        reasons = ineligibility_reasons(facts, MemberFacts(r.status, r.tier_rank, r.tier_name, invited=True))
        if reasons:
            problems.append({"member_id": member_id, "reasons": reasons})
    return found, problems


async def invite(
    show_id: int,
    member_ids: list[int],
    category_id: int,
    plus_one_allowed: bool,
    reply_within_hours: int,
    invited_by: int | None,
) -> list[ShowInvitationOut]:
    """Invite chosen members to a category. All or nothing: if any named member may not come
    (suspended, below the show's tier), nobody is invited and the answer says who and why.

    Within the category's free seats invitations are offered at once, in tier priority; the
    rest wait queued in that order. A member whose invitation is live keeps it unchanged (to
    move them, withdraw and invite again); one whose invitation ended (declined, expired,
    withdrawn) is invited afresh, at the back of the queue by time.
    """
    wanted = sorted(set(member_ids))
    now = _now()
    async with write_transaction():
        await lock_objects((Event, show_id))
        show = await load_show(show_id)
        if show.status == EventStatus.cancelled:
            raise EventCancelled("Nobody can be invited to a cancelled show.")
        if show.status != EventStatus.published:
            raise ShowNotPublished("Publish the show before inviting: invitations are offered at once.")
        if now >= show.starts_at:
            raise EventPast("This show has already started.")
        if not await SeatCategory.exists().where((SeatCategory.id == category_id) & (SeatCategory.show == show_id)):
            raise NotFound("Show {show_id} has no seat category {category_id}.", text_values={"show_id": show_id, "category_id": category_id})
        await expire_show(show, now)
        members, problems = await _eligibility_problems(show, wanted)
        if problems:
            raise InviteeNotEligible(
                "{count} of the named members may not be invited to this show; nobody was invited.", text_values={"count": len(problems)},
                members=problems,
            )
        keys = [invite_key(show_id, m) for m in wanted]
        existing = {
            r.member: r
            for r in rows_as(InvitationStateRow, await ShowInvitation.select(
                ShowInvitation.id, ShowInvitation.member, ShowInvitation.status
            ).where(ShowInvitation.invitation_key.is_in(keys)))
        }
        fresh: list[int] = []
        for member_id in wanted:
            before = existing.get(member_id)
            if before is not None and before.status in _LIVE:
                continue
            fresh.append(await _write_invitation(
                show_id, members[member_id], category_id, plus_one_allowed, reply_within_hours, invited_by, now,
                before.id if before else None,
            ))
        # The events invitation too: events' eligibility (and its coordinators' list) reads it.
        await invite_members(show_id, wanted, invited_by)  # type: ignore[arg-type]
        await fill_category(show, category_id, now, first_offer=fresh)
    return await invitations_out(ShowInvitation.invitation_key.is_in(keys))


async def _write_invitation(
    show_id: int, member: InviteeRow, category_id: int, plus_one_allowed: bool, window: int,
    invited_by: int | None, now: datetime, reopen_id: int | None,
) -> int:
    values: dict[Column, Any] = {
        ShowInvitation.category: category_id,
        ShowInvitation.status: _S.queued.value,
        ShowInvitation.plus_one_allowed: plus_one_allowed,
        ShowInvitation.plus_one: False,
        ShowInvitation.reply_window_hours: window,
        ShowInvitation.reply_by: None,
        ShowInvitation.tier_rank_at_invite: member.tier_rank,
        ShowInvitation.tier_name_at_invite: member.tier_name,
        ShowInvitation.reason: priority_reason(member.tier_name, member.tier_rank, now),
        ShowInvitation.invited_at: now,
        ShowInvitation.invited_by: invited_by,
        ShowInvitation.offered_at: None,
        ShowInvitation.answered_at: None,
        ShowInvitation.ended_at: None,
        ShowInvitation.rsvp: None,
    }
    if reopen_id is not None:
        await ShowInvitation.update(dict(values)).where(ShowInvitation.id == reopen_id)  # type: ignore[arg-type]  # Piccolo's dict is invariant in its key type
        return reopen_id
    rows = await ShowInvitation.insert(
        ShowInvitation(
            show=show_id, member=member.id, invitation_key=invite_key(show_id, member.id),
            **{c._meta.name: v for c, v in values.items()},
        )
    ).returning(ShowInvitation.id)
    return rows[0]["id"]


async def _owned(invitation_id: int, viewer: Principal) -> OwnedInvitationRow:
    """The invitation if the viewer may see it: the invited member, or a coordinator. Anyone
    else gets 404, so invitation ids reveal nothing about who is invited where."""
    missing = "Invitation {invitation_id} does not exist."
    row = await ShowInvitation.select(ShowInvitation.id, ShowInvitation.show, ShowInvitation.member).where(
        ShowInvitation.id == invitation_id
    ).first()
    if row is None:
        raise NotFound(missing, text_values={"invitation_id": invitation_id})
    owned = row_as(OwnedInvitationRow, row)
    owned_or_404(owned.member, viewer, missing, invitation_id=invitation_id)
    return owned


async def _locked_row(invitation_id: int) -> InvitationRow:
    row = await ShowInvitation.select(
        ShowInvitation.id, ShowInvitation.show, ShowInvitation.member, ShowInvitation.category,
        ShowInvitation.category.name.as_alias("category_name"), ShowInvitation.status, ShowInvitation.plus_one_allowed,
        ShowInvitation.reply_by, ShowInvitation.rsvp,
    ).where(ShowInvitation.id == invitation_id).first()
    assert row is not None  # invitations are never deleted
    return row_as(InvitationRow, row)


async def accept(invitation_id: int, viewer: Principal, plus_one: bool) -> ShowInvitationOut:
    """The invited member takes the offered seat (with their plus-one, if the invitation allows
    one): a confirmed RSVP of the show, with its ticket, invite and reminders.

    Only the invited member can accept; a coordinator cannot accept on a member's behalf (the
    route is for members only), so a seat is always the member's own yes. Accepting twice
    returns the acceptance unchanged.
    """
    owned = await _owned(invitation_id, viewer)
    if owned.member != viewer.member_id:
        raise NotFound("Invitation {invitation_id} does not exist.", text_values={"invitation_id": invitation_id})
    now = _now()
    refusal: DomainError | None = None
    async with write_transaction():
        await lock_objects((Event, owned.show))
        show = await load_event(owned.show)
        await expire_show(show, now)
        row = await _locked_row(invitation_id)
        verdict = answer_refusal(row.status, "accept")
        if verdict is not None and verdict != "same":
            refusal = refusal_error(verdict, reply_by=row.reply_by.isoformat() if row.reply_by else None)
        elif verdict is None:
            if plus_one and not row.plus_one_allowed:
                raise PlusOneNotAllowed("This invitation is for you alone; it does not include a plus-one.")
            result = await rsvp(show.id, row.member, 1 if plus_one else 0, viewer, through=SHOWS_APP)
            if result.rsvp.status != RsvpStatus.confirmed.value:
                # Only if the show's capacity was edited below its categories' seats.
                raise Conflict("The show has no seat left for this invitation; the club has been told.")
            await ShowInvitation.update(
                {
                    ShowInvitation.status: _S.accepted.value,
                    ShowInvitation.plus_one: plus_one,
                    ShowInvitation.answered_at: now,
                    ShowInvitation.rsvp: result.rsvp.id,
                }
            ).where(ShowInvitation.id == invitation_id)
            if row.plus_one_allowed and not plus_one:
                await fill_category(show, row.category, now)  # the guest's seat goes on
    if refusal is not None:
        raise refusal
    return await _one(invitation_id)


async def decline(invitation_id: int, viewer: Principal) -> ShowInvitationOut:
    """The invited member says no: to an offer, to a queued invitation (no seat needed), or to
    an accepted seat before the show (its RSVP is cancelled). Freed seats go to the next in line."""
    owned = await _owned(invitation_id, viewer)
    if owned.member != viewer.member_id:
        raise NotFound("Invitation {invitation_id} does not exist.", text_values={"invitation_id": invitation_id})
    return await _end(invitation_id, owned.show, viewer, _S.declined)


async def withdraw(invitation_id: int, viewer: Principal) -> ShowInvitationOut:
    """The club takes an invitation back (a coordinator): an offer's or an acceptance's seats go
    to the next in line; an accepted seat's RSVP is cancelled and the member is told.
    Withdrawing twice returns the invitation unchanged; an ended invitation cannot be withdrawn."""
    owned = await _owned(invitation_id, viewer)
    return await _end(invitation_id, owned.show, viewer, _S.withdrawn)


async def _end(invitation_id: int, show_id: int, viewer: Principal, outcome: InvitationStatus) -> ShowInvitationOut:
    now = _now()
    refusal: DomainError | None = None
    async with write_transaction():
        await lock_objects((Event, show_id))
        show = await load_event(show_id)
        await expire_show(show, now)
        row = await _locked_row(invitation_id)
        if outcome is _S.declined:
            verdict = answer_refusal(row.status, "decline")
        else:
            verdict = "same" if row.status == _S.withdrawn else (None if row.status in _LIVE else row.status.value)
        if verdict is not None and verdict != "same":
            refusal = refusal_error(verdict)
        elif verdict is None:
            if row.status == _S.accepted and row.rsvp is not None:
                await cancel_rsvp(row.rsvp, viewer, through=SHOWS_APP)
            stamp = ShowInvitation.answered_at if outcome is _S.declined else ShowInvitation.ended_at
            await ShowInvitation.update({ShowInvitation.status: outcome.value, stamp: now}).where(
                ShowInvitation.id == invitation_id
            )
            if outcome is _S.withdrawn:
                await Invitation.delete().where(Invitation.invite_key == invite_key(show_id, row.member))
                if row.status != _S.queued:  # they heard of it: they hear it is withdrawn
                    payload = offer_payload(show, invitation_id, row.category_name, row.plus_one_allowed, None)
                    await notify(NoticeKind.show_invitation_withdrawn, show_id, [(row.member, row.rsvp)], payload)
            if row.status != _S.queued:
                await fill_category(show, row.category, now)
    if refusal is not None:
        raise refusal
    return await _one(invitation_id)


async def _one(invitation_id: int) -> ShowInvitationOut:
    found = await invitations_out(ShowInvitation.id == invitation_id)
    if not found:
        raise NotFound("Invitation {invitation_id} does not exist.", text_values={"invitation_id": invitation_id})
    return found[0]


async def get_invitation(invitation_id: int, viewer: Principal) -> ShowInvitationOut:
    owned = await _owned(invitation_id, viewer)
    await expire_overdue(show_ids=[owned.show])
    return await _one(invitation_id)


async def my_invitations(member_id: int) -> list[ShowInvitationOut]:
    """The member's invitations, soonest show first, with overdue offers already expired."""
    open_offers = await ShowInvitation.select(ShowInvitation.show).where(
        (ShowInvitation.member == member_id) & (ShowInvitation.status == _S.offered.value)
    )
    await expire_overdue(show_ids=[r["show"] for r in open_offers])
    return await invitations_out(ShowInvitation.member == member_id)


async def show_invitations(show_id: int) -> list[ShowInvitationOut]:
    """All of a show's invitations for coordinators, by category, then accepted, offered, the
    queue in the order seats will be offered, and the ended ones."""
    await load_show(show_id)
    await expire_overdue(show_ids=[show_id])
    return await invitations_out(ShowInvitation.show == show_id, listing=True)
