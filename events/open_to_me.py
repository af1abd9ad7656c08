"""What a member's event pages read: the events open to them, each with what it asks, why this
member may not come (if so) and their own place, gathered once for a whole list.

`events.eligibility.member_facts` gathers one member's facts for one event (an RSVP does it under
the event's lock). A list of fifty events cannot ask fifty times, so `facts_for_events` reads the
same facts once for all of them (the member, their invitations, their balance, their live RSVPs)
and the list applies the same pure rules (`events.rules`) to each event. It must agree with
`member_facts` event by event: tests/web/test_open_to_me.py holds the two side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from club import clock
from club.accounts import Principal
from club.errors import Said, SaidList
from club.i18n.catalogs import N_
from club.ledger import balance_of
from club.rows import Row, row_as, rows_as
from club.tables import MemberStatus
from club.tier_rules import Rung
from club.tiers import load_ladder
from events.catalog import listed_events, load_event
from events.eligibility import LIVE, event_facts, member_facts, member_standing
from events.no_show_gate.rules import gate_text
from events.rows import EventRow, RsvpRow
from events.rsvp import rsvp_out, waitlist_positions
from events.rules import ROLLING_WINDOW, MemberFacts, Refusal, below_tier, ineligibility_texts, rsvp_refusal
from events.seats import seats_by_event, seats_taken
from events.tables import EventStatus, Invitation, Rsvp, RsvpStatus, WaitlistPolicy

__all__ = [
    "LIST_LENGTH",
    "MyPlace",
    "NextPlace",
    "OpenEvent",
    "conditions_of",
    "events_open_to",
    "facts_for_events",
    "my_event",
    "my_next_places",
    "my_place",
    "my_rsvp_id",
    "waiting_reason",
]

# How many upcoming events the list shows: a club runs a few a month, never hundreds at once.
LIST_LENGTH = 100

# A member who meets no condition: the rules' reasons for them are what an event asks of anyone.
_NOBODY = MemberFacts(status=MemberStatus.active, tier_rank=None, same_kind_nearby=1_000_000)


@dataclass(frozen=True, slots=True)
class MyPlace:
    """The member's own RSVP to an event, as their pages show it."""

    rsvp_id: int
    status: RsvpStatus
    guests: int
    # 1 is next in line; None unless waitlisted.
    position: int | None
    promoted: bool
    # Why they stand where they do, in words for the member (waitlisted only).
    why: Said | None = None
    # Why the club's no-show rule put them on the waitlist instead of a seat (waitlisted only).
    gated: Said | None = None


@dataclass(frozen=True, slots=True)
class OpenEvent:
    """One event as the member's pages show it."""

    event: EventRow
    seats_left: int
    # What the event asks of anyone ("Gold and above", "by invitation"), met or not.
    conditions: list[Said]
    # Why this member may not RSVP; empty when they may.
    refusals: list[Said]
    # What would lift a tier refusal ("You are Silver now; 320 points to Gold"), when points can.
    way_in: Said | None
    # Why nobody can RSVP now ("closed", "not_open", "past"…), None while RSVPs are open.
    closed: Refusal | None
    place: MyPlace | None
    invited: bool = False

    @property
    def refusal(self) -> Said | None:
        return Said(N_("{reasons}."), {"reasons": SaidList(self.refusals, sentence=True)}) if self.refusals else None

    @property
    def requirements(self) -> Said | None:
        return Said(N_("{reasons}."), {"reasons": SaidList(self.conditions, sentence=True)}) if self.conditions else None


class _LiveRsvpRow(Row, frozen=True):
    """One of the member's live RSVPs with what the once-a-year rule and their place need."""

    id: int
    event: int
    status: RsvpStatus
    guests: int
    promoted_at: datetime | None
    kind: str
    starts_at: datetime
    event_status: EventStatus


def conditions_of(event: EventRow) -> list[Said]:
    """What the event asks of anyone, in the rules' own words (the reasons a member who meets none
    of its conditions would be given)."""
    return ineligibility_texts(event_facts(event), _NOBODY)


async def facts_for_events(member_id: int, events: list[EventRow]) -> dict[int, MemberFacts]:
    """The member's facts for each of `events`, as `member_facts` gives them for one, in at most
    four reads however many events there are."""
    return (await _gather(member_id, events)).facts


@dataclass(frozen=True, slots=True)
class _Gathered:
    facts: dict[int, MemberFacts]
    # The member's live RSVPs to events starting after the earliest's rolling window opens.
    live: list[_LiveRsvpRow]
    # Their balance, read when an event asks for points or a tier (the way to it is in points).
    balance: int


async def _gather(member_id: int, events: list[EventRow]) -> _Gathered:
    member = await member_standing(member_id)
    if not events:
        return _Gathered({}, [], 0)
    asked = [e.id for e in events if e.invitation_only or below_tier(e.min_tier_rank, member.tier_rank)]
    invited = {
        i["event"] for i in await Invitation.select(Invitation.event).where(
            (Invitation.member == member_id) & Invitation.event.is_in(asked)
        )
    } if asked else set()
    balance = await balance_of(member_id) if any(e.min_points is not None or e.min_tier_rank is not None for e in events) else 0
    earliest = min(e.starts_at for e in events) - ROLLING_WINDOW
    live = rows_as(_LiveRsvpRow, await Rsvp.select(
        Rsvp.id, Rsvp.event, Rsvp.status, Rsvp.guests, Rsvp.promoted_at,
        Rsvp.event.kind.as_alias("kind"), Rsvp.event.starts_at.as_alias("starts_at"),
        Rsvp.event.status.as_alias("event_status"),
    ).where((Rsvp.member == member_id) & Rsvp.status.is_in(LIVE) & (Rsvp.event.starts_at > earliest)))
    facts = {
        e.id: MemberFacts(
            # As member_facts reads them: points only for an event that asks for some.
            status=member.status, tier_rank=member.tier_rank, tier_name=member.tier_name,
            invited=e.id in invited, invited_past_tier=e.id in invited and below_tier(e.min_tier_rank, member.tier_rank),
            points=balance if e.min_points is not None else 0,
            same_kind_nearby=_same_kind_nearby(e, live) if e.max_per_12_months is not None else 0,
        )
        for e in events
    }
    return _Gathered(facts, live, balance)


def _same_kind_nearby(event: EventRow, live: list[_LiveRsvpRow]) -> int:
    """member_facts' count, over rows already read: live RSVPs to other, uncancelled events of
    the same kind starting within the rolling window of this one."""
    return sum(
        1 for r in live
        if r.event != event.id and r.kind == event.kind.value and r.event_status != EventStatus.cancelled
        and event.starts_at - ROLLING_WINDOW < r.starts_at < event.starts_at + ROLLING_WINDOW
    )


def _way_in(event: EventRow, facts: MemberFacts, balance: int, ladder: list[Rung]) -> Said | None:
    """Where the member stands against the event's tier, and the points still missing to it
    (none when points alone cannot lift the refusal: a capped tier is granted in turn)."""
    if event.min_tier_rank is None or (facts.tier_rank is not None and facts.tier_rank >= event.min_tier_rank):
        return None
    rung = next((r for r in ladder if r.rank == event.min_tier_rank), None)
    if rung is None or rung.points_threshold <= balance:
        return None
    missing = rung.points_threshold - balance
    if facts.tier_name is None:
        return Said(N_("You have no tier yet; {points} points to {tier}."), {"points": f"{missing:,}", "tier": Said(rung.name)})
    return Said(N_("You are {current} now; {points} points to {tier}."), {
        "current": Said(facts.tier_name), "points": f"{missing:,}", "tier": Said(rung.name),
    })


def waiting_reason(policy: WaitlistPolicy, tier_name: str | None, tier_rank: int | None, ladder: list[Rung]) -> Said:
    """Why a waiting member stands where they do, said to them: the order the waitlist follows
    (events.rules.WAITLIST_ORDER) and, under tier priority, the tiers served before theirs."""
    if WaitlistPolicy(policy) == WaitlistPolicy.first_come:
        return Said(N_("Seats that free up go to the waitlist in the order of joining."))
    above = [Said(r.name) for r in ladder if tier_rank is None or r.rank > tier_rank]
    if not above:
        return Said(N_("Higher tiers are served first, then each tier in the order of joining. You joined as {tier}, the club's highest tier."),
                    {"tier": Said(str(tier_name))})
    tiers = SaidList(above, joint=", ")
    if tier_name is None:
        return Said(N_("{tiers} members are served first, then each tier in the order of joining. You joined without a tier."),
                    {"tiers": tiers})
    return Said(N_("{tiers} members are served first, then each tier in the order of joining. You joined as {tier}."),
                {"tiers": tiers, "tier": Said(tier_name)})


async def events_open_to(viewer: Principal) -> list[OpenEvent]:
    """The upcoming events the member may see (the API's list: invitation-only ones when invited,
    none booked through another domain), not cancelled, soonest first, each with its
    eligibility for this member and their place. A fixed number of reads for any length."""
    assert viewer.member_id is not None
    rows = [r for r in await listed_events(viewer, False, LIST_LENGTH, 0) if r.status == EventStatus.published]
    gathered = await _gather(viewer.member_id, rows)
    facts, live = gathered.facts, gathered.live
    taken = await seats_by_event([r.id for r in rows])
    mine = {r.event: r for r in live}
    positions = await waitlist_positions([r.id for r in live if r.event in facts and r.status == RsvpStatus.waitlisted])
    refusals = {r.id: ineligibility_texts(event_facts(r), facts[r.id]) for r in rows}
    # The ladder only when a tier refusal is to be explained.
    short = [r for r in rows if r.min_tier_rank is not None and refusals[r.id]]
    ladder = await load_ladder() if short else []
    now = clock.now()
    return [
        OpenEvent(
            event=r, seats_left=max(0, r.capacity - taken.get(r.id, 0)), conditions=conditions_of(r),
            refusals=refusals[r.id], way_in=_way_in(r, facts[r.id], gathered.balance, ladder) if refusals[r.id] else None,
            closed=rsvp_refusal(r.status, r.starts_at, r.rsvp_opens_at, r.rsvp_closes_at, now),
            place=_place(mine[r.id], positions) if r.id in mine else None, invited=facts[r.id].invited,
        )
        for r in rows
    ]


def _place(row: _LiveRsvpRow, positions: dict[int, int]) -> MyPlace:
    return MyPlace(
        rsvp_id=row.id, status=row.status, guests=row.guests, position=positions.get(row.id),
        promoted=row.promoted_at is not None,
    )


async def my_rsvp_id(event_id: int, member_id: int) -> int | None:
    """The member's RSVP to the event (live or cancelled), by its unique key."""
    row = await Rsvp.select(Rsvp.id).where(Rsvp.rsvp_key == f"{event_id}:{member_id}").first()
    return row["id"] if row else None


async def _my_rsvp_row(event_id: int, member_id: int) -> RsvpRow | None:
    row = await Rsvp.select(*Rsvp.all_columns(), Rsvp.event.waitlist_policy.as_alias("policy")).where(
        Rsvp.rsvp_key == f"{event_id}:{member_id}"
    ).first()
    return row_as(RsvpRow, row) if row is not None else None


async def my_place(event_id: int, viewer: Principal) -> tuple[RsvpStatus, int | None] | None:
    """Only the member's status and waitlist position at the event (what a waiting member's page
    polls for, every few seconds: three small reads); 404 as for `my_event`."""
    assert viewer.member_id is not None
    await load_event(event_id, viewer)
    rsvp = await _my_rsvp_row(event_id, viewer.member_id)
    if rsvp is None:
        return None
    return rsvp.status, (await rsvp_out(rsvp)).position


async def my_event(event_id: int, viewer: Principal) -> OpenEvent:
    """One event as its page shows it to the member: 404 where the API's GET answers 404 (a draft,
    an event that does not exist); their eligibility as the RSVP would decide it now; their place
    (a cancelled RSVP too: the page offers to come after all)."""
    assert viewer.member_id is not None
    event = await load_event(event_id, viewer)
    facts = await member_facts(viewer.member_id, event)
    refusals = ineligibility_texts(event_facts(event), facts)
    ladder = await load_ladder()
    tier_short = bool(refusals) and event.min_tier_rank is not None
    way_in = _way_in(event, facts, await balance_of(viewer.member_id), ladder) if tier_short else None
    place = None
    rsvp = await _my_rsvp_row(event_id, viewer.member_id)
    if rsvp is not None:
        out = await rsvp_out(rsvp)
        waitlisted = rsvp.status == RsvpStatus.waitlisted
        place = MyPlace(
            rsvp_id=rsvp.id, status=rsvp.status, guests=rsvp.guests, position=out.position, promoted=out.promoted,
            why=waiting_reason(event.waitlist_policy, rsvp.tier_name_at_join, rsvp.tier_rank_at_join, ladder) if waitlisted else None,
            gated=gate_text(rsvp.gated_no_shows, rsvp.gated_months)
            if waitlisted and rsvp.gated_no_shows is not None and rsvp.gated_months is not None else None,
        )
    return OpenEvent(
        event=event, seats_left=max(0, event.capacity - await seats_taken(event_id)), conditions=conditions_of(event),
        refusals=refusals, way_in=way_in,
        closed=rsvp_refusal(event.status, event.starts_at, event.rsvp_opens_at, event.rsvp_closes_at, clock.now()),
        place=place, invited=facts.invited,
    )


@dataclass(frozen=True, slots=True)
class NextPlace:
    """A seat or a waitlist place the member holds for an event still to come (the home page)."""

    event_id: int
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime
    place: MyPlace


class _NextRow(Row, frozen=True):
    id: int
    event: int
    status: RsvpStatus
    guests: int
    promoted_at: datetime | None
    title: str
    venue: str
    venue_time_zone: str
    starts_at: datetime


async def my_next_places(member_id: int, limit: int = 5) -> list[NextPlace]:
    """The member's live RSVPs to published events not yet over, soonest first: the events these
    pages list (not a show's seat or a check-up, which their own pages show)."""
    rows = rows_as(_NextRow, await Rsvp.select(
        Rsvp.id, Rsvp.event, Rsvp.status, Rsvp.guests, Rsvp.promoted_at,
        Rsvp.event.title.as_alias("title"), Rsvp.event.venue.as_alias("venue"),
        Rsvp.event.venue_time_zone.as_alias("venue_time_zone"), Rsvp.event.starts_at.as_alias("starts_at"),
    ).where(
        (Rsvp.member == member_id) & Rsvp.status.is_in(LIVE)
        & (Rsvp.event.status == EventStatus.published.value) & (Rsvp.event.ends_at >= clock.now())
        & Rsvp.event.booked_through.is_null()
    ).order_by(Rsvp.event.starts_at).order_by(Rsvp.id).limit(limit))
    positions = await waitlist_positions([r.id for r in rows if r.status == RsvpStatus.waitlisted])
    return [
        NextPlace(
            event_id=r.event, title=r.title, venue=r.venue, venue_time_zone=r.venue_time_zone, starts_at=r.starts_at,
            place=MyPlace(rsvp_id=r.id, status=r.status, guests=r.guests, position=positions.get(r.id),
                          promoted=r.promoted_at is not None),
        )
        for r in rows
    ]
