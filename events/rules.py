"""Pure event decisions: who may come and why not, when RSVPs are open, waitlist order and promotion.

No I/O here: the services load the facts, call these, and write what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cmp_to_key
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from club.errors import Said, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language
from club.tables import MemberStatus
from events.tables import EventKind, EventStatus, WaitlistPolicy

__all__ = [
    "ROLLING_WINDOW",
    "WAITLIST_ORDER",
    "EventFacts",
    "MemberFacts",
    "OrderTerm",
    "Promotion",
    "Refusal",
    "Waiting",
    "below_tier",
    "check_schedule",
    "ineligibility_reasons",
    "ineligibility_texts",
    "invite_key",
    "order_waitlist",
    "position_reason",
    "position_reason_text",
    "rsvp_refusal",
    "schedule_texts",
    "waitlist_promotions",
]

ROLLING_WINDOW = timedelta(days=365)


def invite_key(event_id: int, member_id: int) -> str:
    """The unique key of one member's invitation to one event ("<event>:<member>"): an event's
    invitations and a show's personal invitations are both keyed by it, so inviting twice is
    one row."""
    return f"{event_id}:{member_id}"
_NUMBERS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What eligibility depends on, about the event."""

    kind: EventKind
    min_tier_rank: int | None = None
    min_tier_name: str | None = None
    invitation_only: bool = False
    min_points: int | None = None
    max_per_12_months: int | None = None


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What eligibility depends on, about the member, as of now."""

    status: MemberStatus
    tier_rank: int | None
    tier_name: str | None = None
    invited: bool = False
    points: int = 0
    # The member's other live RSVPs to events of this kind within 12 months of this one.
    same_kind_nearby: int = 0
    # A personal invitation to an event the member's tier is below (a coordinator's, or a
    # segment's invitation): it opens the tier's door. A show weighs its own invitations.
    invited_past_tier: bool = False


def below_tier(min_tier_rank: int | None, tier_rank: int | None) -> bool:
    """Whether a member of `tier_rank` is under the event's lowest tier."""
    return min_tier_rank is not None and (tier_rank is None or tier_rank < min_tier_rank)


def ineligibility_reasons(event: EventFacts, member: MemberFacts) -> list[str]:
    """Why this member may not RSVP, in words a member reads; an empty list means eligible."""
    return [said_text(Language.en, said) for said in ineligibility_texts(event, member)]


def ineligibility_texts(event: EventFacts, member: MemberFacts) -> list[Said]:
    """The same reasons as catalog texts, for a refusal written in its reader's language."""
    reasons: list[Said] = []
    if member.status != MemberStatus.active:
        reasons.append(Said(N_("your membership is {status}"), {"status": Said(MemberStatus(member.status).value)}))
    if not member.invited_past_tier and below_tier(event.min_tier_rank, member.tier_rank):
        reasons.append(Said(N_("{tier} and above"), {"tier": Said(str(event.min_tier_name))}))
    if event.invitation_only and not member.invited:
        reasons.append(Said(N_("by invitation")))
    if event.min_points is not None and member.points < event.min_points:
        reasons.append(Said(N_("at least {points} points"), {"points": event.min_points}))
    limit = event.max_per_12_months
    if limit is not None and member.same_kind_nearby >= limit:
        reasons.append(Said(N_("{count} {kind} per 12 months"), {
            "count": _NUMBERS.get(limit, str(limit)), "limit": limit, "kind": Said(EventKind(event.kind).value),
        }))
    return reasons


def check_schedule(
    time_zone: str,
    starts_at: datetime,
    ends_at: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> list[str]:
    """What is wrong with an event's times, if anything (all must be timezone-aware)."""
    return [said_text(Language.en, said) for said in schedule_texts(time_zone, starts_at, ends_at, opens_at, closes_at)]


def schedule_texts(
    time_zone: str,
    starts_at: datetime,
    ends_at: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> list[Said]:
    """The same problems as catalog texts, for a refusal written in its reader's language."""
    problems: list[Said] = []
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Said(N_("{time_zone} is not a known time zone; use an IANA name like 'Europe/Paris'"),
                             {"time_zone": repr(time_zone)}))
    if ends_at <= starts_at:
        problems.append(Said(N_("the event must end after it starts")))
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        problems.append(Said(N_("RSVPs must close after they open")))
    if closes_at is not None and closes_at > starts_at:
        problems.append(Said(N_("RSVPs must close by the start of the event")))
    if opens_at is not None and opens_at >= starts_at:
        problems.append(Said(N_("RSVPs must open before the event starts")))
    return problems


# Why nobody can RSVP now (`rsvp_refusal`); each maps to its own problem answer.
Refusal = Literal["cancelled", "draft", "past", "not_open", "closed"]


def rsvp_refusal(
    status: EventStatus,
    starts_at: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
    now: datetime,
) -> Refusal | None:
    """Why nobody can RSVP now: "cancelled", "draft", "past", "not_open", "closed"; None if open.

    With no closing time, RSVPs close when the event starts.
    """
    if status == EventStatus.cancelled:
        return "cancelled"
    if status != EventStatus.published:
        return "draft"
    if now >= starts_at:
        return "past"
    if opens_at is not None and now < opens_at:
        return "not_open"
    if closes_at is not None and now >= closes_at:
        return "closed"
    return None


@dataclass(frozen=True, slots=True)
class Waiting:
    """One waitlisted party, with what orders it."""

    rsvp_id: int
    seats: int
    joined_at: datetime
    tier_rank: int | None = None


@dataclass(frozen=True, slots=True)
class OrderTerm:
    """One term of the waitlist order: a `Waiting` field, its direction, and where None goes."""

    field: str
    descending: bool = False
    # None stands after every value (a party with no tier waits behind every tier).
    nulls_last: bool = True


# The one definition of the waitlist order. `order_waitlist` sorts by it, and the SQL that counts
# the parties ahead of one (`events.waitlist.ahead_of_sql`) is built from it. The RSVP id ends every
# order, so it is total and the same on every read.
WAITLIST_ORDER: dict[WaitlistPolicy, tuple[OrderTerm, ...]] = {
    WaitlistPolicy.first_come: (OrderTerm("joined_at"), OrderTerm("rsvp_id")),
    WaitlistPolicy.tier_priority: (
        OrderTerm("tier_rank", descending=True),
        OrderTerm("joined_at"),
        OrderTerm("rsvp_id"),
    ),
}


def _compare(a: Waiting, b: Waiting, terms: Sequence[OrderTerm]) -> int:
    for term in terms:
        x, y = getattr(a, term.field), getattr(b, term.field)
        if x == y:
            continue
        if x is None or y is None:
            return (1 if x is None else -1) * (1 if term.nulls_last else -1)
        before = x > y if term.descending else x < y
        return -1 if before else 1
    return 0


def order_waitlist(policy: WaitlistPolicy, waiting: Sequence[Waiting]) -> list[Waiting]:
    """The waitlist in the order promotion follows (`WAITLIST_ORDER`).

    first_come: by time of joining. tier_priority: higher tier rank first (no tier last), then
    time of joining. The RSVP id breaks ties.
    """
    terms = WAITLIST_ORDER[WaitlistPolicy(policy)]

    def compare(a: Waiting, b: Waiting) -> int:
        return _compare(a, b, terms)

    return sorted(waiting, key=cmp_to_key(compare))


def position_reason_text(policy: WaitlistPolicy, tier_name: str | None, tier_rank: int | None, joined_at: datetime) -> Said:
    """Why an entry stands where it does, as a catalog text (the coordinator's view of the waitlist)."""
    joined = joined_at.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    if policy == WaitlistPolicy.tier_priority:
        tier = Said(N_("{tier_name} (rank {tier_rank})"), {"tier_name": Said(tier_name), "tier_rank": tier_rank}) if tier_name is not None else Said(N_("no tier"))
        return Said(N_("tier priority: {tier} when joining, then joined at {joined}"), {"tier": tier, "joined": joined})
    return Said(N_("first come: joined at {joined}"), {"joined": joined})


def position_reason(policy: WaitlistPolicy, tier_name: str | None, tier_rank: int | None, joined_at: datetime) -> str:
    """The same, in English (kept on the RSVP row)."""
    return said_text(Language.en, position_reason_text(policy, tier_name, tier_rank, joined_at))


@dataclass(frozen=True, slots=True)
class Promotion:
    promoted: list[Waiting] = field(default_factory=list)
    # Parties passed over because they did not fit, while a later party did.
    skipped: list[Waiting] = field(default_factory=list)


def waitlist_promotions(free_seats: int, ordered: Sequence[Waiting]) -> Promotion:
    """Who moves from the waitlist into `free_seats`, in order, never overbooking.

    A party that does not fit is not split and keeps its place; the next party that fits is
    promoted, and the parties it passed are reported as skipped.
    """
    promoted: list[Waiting] = []
    skipped: list[Waiting] = []
    passed: list[Waiting] = []
    for entry in ordered:
        if free_seats <= 0:
            break
        if entry.seats <= free_seats:
            promoted.append(entry)
            free_seats -= entry.seats
            skipped.extend(p for p in passed if p not in skipped)
        else:
            passed.append(entry)
    return Promotion(promoted=promoted, skipped=skipped)
