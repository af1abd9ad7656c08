"""How many members qualify for an eligibility a coordinator is choosing (the console's preview).

Counted with the very rules an RSVP is refused by (`events.rules.ineligibility_texts`), over every
active member, from a fixed number of reads however many members the club has: the members with
their tiers, and only what the chosen rules ask about (balances, invitations, the same-kind RSVPs
around the start for a once-a-year rule), each read for all members at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from club.errors import InvalidInput
from club.ledger import balances_of
from club.rows import Row, rows_as
from club.tables import Member, MemberStatus, Tier
from events.eligibility import LIVE
from events.rules import ROLLING_WINDOW, EventFacts, MemberFacts, below_tier, ineligibility_texts
from events.tables import EventKind, EventStatus, Invitation, Rsvp

__all__ = ["EligibilityChoice", "Qualifying", "TierCount", "qualifying"]


@dataclass(frozen=True, slots=True)
class EligibilityChoice:
    """The eligibility of an event being made or edited, as its form stands."""

    kind: EventKind
    min_tier: str | None = None
    invitation_only: bool = False
    min_points: int | None = None
    max_per_12_months: int | None = None
    # The once-a-year rule counts a member's other events within 12 months of this start; without
    # one (not typed yet) that rule is left out of the count, and `Qualifying.counted_yearly` says so.
    starts_at: datetime | None = None
    # An event that exists: its invitations count, and its own RSVPs are not "another" event.
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class TierCount:
    tier: str | None  # None: members without a tier
    rank: int | None
    members: int


@dataclass(frozen=True, slots=True)
class Qualifying:
    members: int  # who may RSVP under the choice
    active: int  # of the club's active members
    by_tier: list[TierCount]  # the qualifying members per tier, highest tier first
    counted_yearly: bool  # False: a once-a-year rule was chosen but no start given to count around


class _MemberRow(Row, frozen=True):
    id: int
    tier_rank: int | None
    tier_name: str | None


async def _tier(name: str | None) -> tuple[int | None, str | None]:
    if name is None:
        return None, None
    row = await Tier.select(Tier.rank, Tier.name).where(Tier.name == name).first()
    if row is None:
        # The words events.catalog refuses an unknown tier with.
        raise InvalidInput("There is no tier named {name!r}.", text_values={"name": name})
    return row["rank"], row["name"]


async def _nearby(choice: EligibilityChoice) -> dict[int, int]:
    """Each member's live RSVPs to other events of the kind within 12 months of the start, as
    events.eligibility.member_facts counts them for one member."""
    assert choice.starts_at is not None
    start = choice.starts_at
    where = (
        Rsvp.status.is_in(LIVE)
        & (Rsvp.event.kind == EventKind(choice.kind).value)
        & (Rsvp.event.status != EventStatus.cancelled.value)
        & (Rsvp.event.starts_at > start - ROLLING_WINDOW)
        & (Rsvp.event.starts_at < start + ROLLING_WINDOW)
    )
    if choice.event_id is not None:
        where = where & (Rsvp.event != choice.event_id)
    rows = await Rsvp.select(Rsvp.member, Count(Rsvp.id, alias="n")).where(where).group_by(Rsvp.member)
    return {r["member"]: int(r["n"]) for r in rows}


async def _invited(event_id: int | None) -> set[int]:
    if event_id is None:
        return set()  # a new event has no invitations yet
    rows = await Invitation.select(Invitation.member).where(Invitation.event == event_id)
    return {r["member"] for r in rows}


async def qualifying(choice: EligibilityChoice) -> Qualifying:
    """How many active members may RSVP under `choice`, and of which tiers; an unknown tier is
    refused as events.catalog refuses it."""
    tier_rank, tier_name = await _tier(choice.min_tier)
    facts = EventFacts(
        kind=choice.kind, min_tier_rank=tier_rank, min_tier_name=tier_name, invitation_only=choice.invitation_only,
        min_points=choice.min_points, max_per_12_months=choice.max_per_12_months,
    )
    # Only active members can ever qualify, and of a tier at least the lowest one: read only those
    # (the rules below still decide each of them; this spares reading members they would refuse).
    active = Member.status == MemberStatus.active.value
    # An invitation opens the event to a member below its tier too (events.rules.below_tier).
    invited = await _invited(choice.event_id)
    reach = Member.tier.rank >= tier_rank
    if invited:
        reach = reach | Member.id.is_in(list(invited))
    candidates = active if tier_rank is None else active & reach
    members = rows_as(_MemberRow, await Member.select(
        Member.id, Member.tier.rank.as_alias("tier_rank"), Member.tier.name.as_alias("tier_name"),
    ).where(candidates))
    pool = len(members) if tier_rank is None else await Member.count().where(active)
    balances = await balances_of(None) if choice.min_points is not None else {}
    counted_yearly = choice.max_per_12_months is None or choice.starts_at is not None
    nearby = await _nearby(choice) if choice.max_per_12_months is not None and choice.starts_at is not None else {}
    tiers: Counter[tuple[int | None, str | None]] = Counter()
    for m in members:
        member = MemberFacts(
            status=MemberStatus.active, tier_rank=m.tier_rank, tier_name=m.tier_name, invited=m.id in invited,
            invited_past_tier=m.id in invited and below_tier(tier_rank, m.tier_rank),
            points=balances.get(m.id, 0), same_kind_nearby=nearby.get(m.id, 0),
        )
        if not ineligibility_texts(facts, member):
            tiers[(m.tier_rank, m.tier_name)] += 1
    by_tier = [
        TierCount(tier=name, rank=rank, members=n)
        for (rank, name), n in sorted(tiers.items(), key=lambda kv: -1 if kv[0][0] is None else kv[0][0], reverse=True)
    ]
    return Qualifying(members=sum(tiers.values()), active=pool, by_tier=by_tier, counted_yearly=counted_yearly)

