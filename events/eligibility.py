"""Eligibility: gather a member's facts for an event, then ask the pure rules why not."""

from __future__ import annotations

from club.accounts import Principal
from club.errors import InvalidInput, NotFound, said_text
from club.i18n.languages import Language
from club.ledger import balance_of
from club.rows import row_as
from club.tables import Member
from events.catalog import load_event
from events.rows import EventRow, MemberStandingRow
from events.rules import ROLLING_WINDOW, EventFacts, MemberFacts, below_tier, ineligibility_texts, invite_key
from events.schemas import EligibilityOut
from events.tables import EventStatus, Invitation, Rsvp, RsvpStatus

__all__ = ["check_eligibility", "event_facts", "member_facts", "member_standing"]

LIVE = [RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value]


def event_facts(event: EventRow) -> EventFacts:
    return EventFacts(
        kind=event.kind,
        min_tier_rank=event.min_tier_rank,
        min_tier_name=event.min_tier_name,
        invitation_only=event.invitation_only,
        min_points=event.min_points,
        max_per_12_months=event.max_per_12_months,
    )


async def member_standing(member_id: int) -> MemberStandingRow:
    """The member's status and tier, as every eligibility rule reads them."""
    row = await Member.select(
        Member.status, Member.tier.rank.as_alias("tier_rank"), Member.tier.name.as_alias("tier_name")
    ).where(Member.id == member_id).first()
    if row is None:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    return row_as(MemberStandingRow, row)


async def member_facts(member_id: int, event: EventRow, standing: MemberStandingRow | None = None) -> MemberFacts:
    """Only what this event's rules ask about is read (an RSVP reads them before taking the
    event lock, and passes the `standing` it read with the event)."""
    member = standing if standing is not None else await member_standing(member_id)
    # An invitation is asked about where it matters: an event by invitation, or a tier the member lacks.
    asks = event.invitation_only or below_tier(event.min_tier_rank, member.tier_rank)
    invited = asks and await Invitation.exists().where(
        Invitation.invite_key == invite_key(event.id, member_id)
    )
    points = await balance_of(member_id) if event.min_points is not None else 0
    nearby = 0
    if event.max_per_12_months is not None:
        start = event.starts_at
        nearby = await Rsvp.count().where(
            (Rsvp.member == member_id)
            & (Rsvp.event != event.id)
            & Rsvp.status.is_in(LIVE)
            & (Rsvp.event.kind == event.kind.value)
            & (Rsvp.event.status != EventStatus.cancelled.value)
            & (Rsvp.event.starts_at > start - ROLLING_WINDOW)
            & (Rsvp.event.starts_at < start + ROLLING_WINDOW)
        )
    return MemberFacts(
        status=member.status,
        tier_rank=member.tier_rank,
        tier_name=member.tier_name,
        invited=invited,
        invited_past_tier=invited and below_tier(event.min_tier_rank, member.tier_rank),
        points=points,
        same_kind_nearby=nearby,
    )


async def check_eligibility(
    event_id: int, viewer: Principal, member_id: int | None, language: Language = Language.en
) -> EligibilityOut:
    """May this member RSVP, and if not, why, in the reader's `language`. Members ask for
    themselves; coordinators name one."""
    if viewer.member_id is not None:
        member_id = viewer.member_id
    elif member_id is None:
        raise InvalidInput("Name the member: ?member_id=…")
    event = await load_event(event_id, viewer)
    texts = ineligibility_texts(event_facts(event), await member_facts(member_id, event))
    reasons = [said_text(language, said) for said in texts]
    return EligibilityOut(event_id=event_id, member_id=member_id, eligible=not reasons, reasons=reasons)
