"""Scanning a ticket at the door: one answer per scan, one admission per ticket, points once.

The shape of every scan: check the signature (no database needed for a forgery), then in one
write transaction lock the RSVP row, replay a remembered answer for a retried nonce, decide
with `checkin.rules.decide_scan`, and on admission write the check-in and the points together.
Two gates scanning the same ticket at once are serialized on the RSVP row, and the unique
admission key backs that up: exactly one of them admits.

At a trip's meeting point (`ScanRequest.item`, an itinerary item that is a checkpoint) a ticket
is admitted once per item, only until the group leaves, and the trip's attendance points are
awarded once per member whatever the number of legs.

A member's first admission also earns the member who referred them their referral points
(`club.referrals`, when the club pays referrals on first attendance), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from checkin.quick_admission import admit_in_one_statement, is_quick, promote_if_reached
from checkin.rows import CheckInToRevert, DoorCountsRow, EventFactsRow, TicketFactsRow
from checkin.rules import ScanFacts, ScanResult, decide_scan
from checkin.schemas import CheckInReverted, ScanAnswer, ScannedMember
from checkin.tables import CheckIn, ScanRecord
from checkin.ticket_tokens import InvalidTicket, TicketClaims, TicketSigner
from club import clock
from club.accounts import Principal
from club.db import is_sqlite, write_transaction
from club.errors import Conflict, NotFound
from club.locking import lock_objects
from club.points import award
from club.referrals import AT_FIRST_ATTENDANCE, ReferralPolicy, earn_referral
from club.rows import row_as
from club.statements import fetch
from club.tables import Member, MemberStatus, PointsReason
from events import legs
from events.tables import EventKind, EventStatus, Rsvp

__all__ = [
    "ScanRequest",
    "admission_key",
    "admit_rsvp",
    "admit_ticket",
    "admitted_counts",
    "event_facts",
    "remembered_json",
    "revert_check_in",
    "scan",
    "scan_facts",
    "ticket_and_event_facts",
    "trip_attendance_source",
]


@dataclass(frozen=True, slots=True)
class ScanRequest:
    event_id: int
    token: str
    nonce: str
    gate: str
    staff: Principal
    item: int | None = None  # a trip's meeting point (travel's itinerary item)
    # The club's setting: a first admission may pay a referrer.
    referrals: ReferralPolicy = field(default_factory=ReferralPolicy)


def _now() -> datetime:
    return clock.now()


async def admitted_counts(event_id: int) -> tuple[int, int]:
    """(members checked in, confirmed) for the door's running count; (0, 0) for no such event."""
    rows = await fetch(_COUNTS_SQL, event_id)
    if not rows:
        return (0, 0)
    counts = row_as(DoorCountsRow, rows[0])
    return (counts.checked_in, counts.confirmed)


# The door's hot path is a handful of plain queries: each Piccolo query costs more to build
# than to run here, and every round trip is latency the person at the door waits through.
# The door's running count, as columns of a query over `event e`: members in (distinct RSVPs with
# a standing check-in; a trip's legs each admit a ticket again) and confirmed RSVPs, as the
# database keeps them (door_count and event_tally, by triggers), so a scan at a gala of thousands
# reads a few numbers instead of counting them; at one of a trip's meeting points, those in at
# that leg, counted (a coach, not a gala).
_CONFIRMED = "CAST(COALESCE((SELECT SUM(t.confirmed) FROM event_tally t WHERE t.event = e.id), 0) AS INTEGER) AS confirmed"
_DOOR_COUNTS = (
    "CAST(COALESCE((SELECT SUM(d.checked_in) FROM door_count d WHERE d.event = e.id), 0) AS INTEGER) AS checked_in, " + _CONFIRMED
)
_LEG_COUNTS = (
    "(SELECT COUNT(*) FROM check_in c WHERE c.event = e.id AND c.itinerary_item = {} AND c.reverted_at IS NULL) "
    "AS checked_in, " + _CONFIRMED
)
_COUNTS_SQL = "SELECT " + _DOOR_COUNTS + " FROM event e WHERE e.id = {}"
# A scan's facts in one round trip, read under the RSVP's lock: the ticket's (its RSVP, member,
# tier, current version, standing admission and remembered answer, and what the member's points
# stand at beside the next tier's threshold; NULL when the RSVP is gone)
# beside its event's (as _EVENT_FACTS_SQL); no row for no event.
_SCAN_FACTS_COLUMNS = (
    "SELECT r.id, r.status, r.member, r.guests, m.name AS member_name, m.joined_on, m.status AS member_status, m.referred_by, "
    "ti.name AS tier_name, tk.version AS ticket_version, c.checked_in_at, c.gate, s.answer AS remembered, "
    "e.kind AS event_kind, e.status AS event_status, e.starts_at AS event_starts_at, e.ends_at AS event_ends_at, "
    "e.attendance_points, m.points_balance, m.queued_tier, "
    "(SELECT MIN(nt.points_threshold) FROM tier nt WHERE nt.rank > COALESCE(ti.rank, -1)) AS next_threshold, "
)
_SCAN_FACTS_FROM = (
    " FROM event e LEFT JOIN rsvp r ON r.id = {} "
    "LEFT JOIN member m ON m.id = r.member "
    "LEFT JOIN tier ti ON ti.id = m.tier "
    "LEFT JOIN ticket tk ON tk.rsvp = r.id "
    "LEFT JOIN check_in c ON c.admission_key = {} "
    "LEFT JOIN scan_record s ON s.nonce_key = {} "
    "WHERE e.id = {}"
)
_DOOR_SCAN_FACTS_SQL = _SCAN_FACTS_COLUMNS + _DOOR_COUNTS + _SCAN_FACTS_FROM
_LEG_SCAN_FACTS_SQL = _SCAN_FACTS_COLUMNS + _LEG_COUNTS + _SCAN_FACTS_FROM
_EVENT_FACTS_SQL = (
    "SELECT e.kind, e.status, e.starts_at, e.ends_at, e.attendance_points, " + _DOOR_COUNTS + " FROM event e WHERE e.id = {}"
)
_LEG_FACTS_SQL = (
    "SELECT e.kind, e.status, e.starts_at, e.ends_at, e.attendance_points, " + _LEG_COUNTS + " FROM event e WHERE e.id = {}"
)


async def _leg(request: ScanRequest) -> legs.Checkpoint | None:
    """The meeting point scanned at, or None at an ordinary door; 404 for anything else."""
    if request.item is None:
        return None
    # A trip's itinerary is travel's, above this layer: asked through the events.legs hook.
    leg = await legs.checkpoint(request.event_id, request.item)
    if leg is None:
        raise NotFound("Event {event_id} has no meeting point {item}.", text_values={"event_id": request.event_id, "item": request.item})
    return leg


def admission_key(rsvp_id: int, item: int | None) -> str:
    """One admission per ticket, or per ticket and leg at a trip's meeting points."""
    return str(rsvp_id) if item is None else f"{rsvp_id}:i{item}"


async def scan(request: ScanRequest, signer: TicketSigner) -> ScanAnswer:
    try:
        claims = signer.verify(request.token)
    except InvalidTicket:
        # A forged or garbled code costs no database work and writes nothing: the same input
        # always gets this answer, so there is nothing to remember for a retry either.
        return ScanAnswer(result=ScanResult.invalid, detail="This is not a valid ticket.")
    nonce_key = f"{request.staff.user_id}:{request.nonce}"
    leg = await _leg(request)
    if leg is None and not is_sqlite():
        quick = await _scan_quickly(request, claims, nonce_key)
        if quick is not None:
            return quick
    async with write_transaction():
        # The RSVP first; an admission then locks the member it pays (with their referrer, both
        # at once, in id order) and, on a promotion, the ladder: later types in club.locking's
        # order. The lock is its own statement, before the reads.
        await lock_objects((Rsvp, claims.rsvp_id))
        row, event = await ticket_and_event_facts(request.event_id, claims.rsvp_id, admission_key(claims.rsvp_id, request.item), nonce_key, leg)
        if row is not None and row.remembered is not None:
            return msgspec.json.decode(remembered_json(row.remembered), type=ScanAnswer)
        answer = await _decide_and_admit(request, claims.event_id, claims.version, row, leg, event)
        await ScanRecord.insert(
            ScanRecord(
                nonce_key=nonce_key,
                event=request.event_id,
                result=answer.result.value,
                answer=msgspec.json.encode(answer).decode(),
                created_at=_now(),
            )
        )
        return answer


async def _scan_quickly(request: ScanRequest, claims: TicketClaims, nonce_key: str) -> ScanAnswer | None:
    """The answer when checkin.quick_admission can give it without the RSVP's lock held across
    round trips (a remembered answer, or a plain admission); None for the full path to decide."""
    key = admission_key(claims.rsvp_id, None)
    row, event = await ticket_and_event_facts(request.event_id, claims.rsvp_id, key, nonce_key, None)
    if row is None:
        return None
    if row.remembered is not None:  # a remembered answer never changes: no lock needed to give it
        return msgspec.json.decode(remembered_json(row.remembered), type=ScanAnswer)
    now = _now()
    result, detail = decide_scan(scan_facts(request, claims.event_id, claims.version, row, event, None, now, already_in=row.checked_in_at is not None))
    points = event.attendance_points
    if result is not ScanResult.admitted or not is_quick(row, points, event.kind):
        return None
    answer = ScanAnswer(
        result=result, detail=detail, member=_described(row), checked_in_at=now, gate=request.gate or None,
        points_awarded=max(points, 0), checked_in=event.checked_in + 1, confirmed=event.confirmed,
    )
    standing = await admit_in_one_statement(
        claims.rsvp_id, request.event_id, key, request.gate, request.staff.user_id, now, points, nonce_key, answer,
    )
    if standing is None:
        return None
    await promote_if_reached(row.member, row.next_threshold, standing, points, answer)
    return answer


async def admit_rsvp(request: ScanRequest, rsvp_id: int) -> ScanAnswer:
    """The door's admission of an RSVP without its code (a coordinator's check-in by hand): the
    scan's own lock, facts and rule, its ticket taken as the current one. Nothing is remembered
    for a retry (there is no nonce): a second call finds the member in."""
    async with write_transaction():
        await lock_objects((Rsvp, rsvp_id))
        row, event = await ticket_and_event_facts(request.event_id, rsvp_id, admission_key(rsvp_id, None), "", None)
        current = (row.ticket_version or 1) if row is not None else 1
        return await _decide_and_admit(request, request.event_id, current, row, None, event)


def remembered_json(stored: str | dict[str, Any]) -> bytes:
    """A remembered answer as JSON: stored as text, or as the driver decoded it."""
    return stored.encode() if isinstance(stored, str) else msgspec.json.encode(stored)


async def event_facts(event_id: int, leg: legs.Checkpoint | None) -> EventFactsRow:
    """The scanned event's kind, state, hours and points with the door's running count (at a
    meeting point, that leg's); 404 for an unknown or draft event."""
    if leg is None:
        events = await fetch(_EVENT_FACTS_SQL, event_id)
    else:
        events = await fetch(_LEG_FACTS_SQL, leg.id, event_id)
    event = row_as(EventFactsRow, events[0]) if events else None
    if event is None or event.status is EventStatus.draft:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    return event


def scan_facts(
    request: ScanRequest, ticket_event: int, version: int, row: TicketFactsRow, event: EventFactsRow,
    leg: legs.Checkpoint | None, now: datetime, *, already_in: bool,
) -> ScanFacts:
    """What checkin.rules.decide_scan reads of a genuine ticket scanned at `now`."""
    return ScanFacts(
        scanned_at_event_id=request.event_id,
        ticket_event_id=ticket_event,
        ticket_version=version,
        current_ticket_version=row.ticket_version or 1,
        rsvp_status=row.status,
        event_cancelled=event.status is EventStatus.cancelled,
        already_checked_in=already_in,
        now=now,
        starts_at=clock.aware(event.starts_at),
        ends_at=clock.aware(event.ends_at),
        departs_at=clock.aware(leg.starts_at) if leg is not None else None,
        member_suspended=row.member_status is MemberStatus.suspended,
    )


async def ticket_and_event_facts(
    event_id: int, rsvp_id: int, key: str, nonce_key: str, leg: legs.Checkpoint | None,
) -> tuple[TicketFactsRow | None, EventFactsRow]:
    """A scanned ticket's facts under `key` and `nonce_key` (None when the RSVP is gone) and its
    event's, in one statement, read under the RSVP's lock; 404 for an unknown or draft event."""
    if leg is None:
        rows = await fetch(_DOOR_SCAN_FACTS_SQL, rsvp_id, key, nonce_key, event_id)
    else:
        rows = await fetch(_LEG_SCAN_FACTS_SQL, leg.id, rsvp_id, key, nonce_key, event_id)
    found = dict(rows[0]) if rows else None
    if found is None or found["event_status"] == EventStatus.draft.value:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    event = row_as(EventFactsRow, {
        "kind": found["event_kind"], "status": found["event_status"], "starts_at": found["event_starts_at"],
        "ends_at": found["event_ends_at"], "attendance_points": found["attendance_points"],
        "checked_in": found["checked_in"], "confirmed": found["confirmed"],
    })
    return (row_as(TicketFactsRow, found) if found["id"] is not None else None), event


async def _decide_and_admit(
    request: ScanRequest, ticket_event: int, version: int, row: TicketFactsRow | None, leg: legs.Checkpoint | None,
    event: EventFactsRow,
) -> ScanAnswer:
    if row is None:  # signed by us, but the RSVP is gone: treat as not a ticket
        return ScanAnswer(result=ScanResult.invalid, detail="This ticket is unknown.",
                          checked_in=event.checked_in, confirmed=event.confirmed)
    now = _now()
    result, detail = decide_scan(
        scan_facts(request, ticket_event, version, row, event, leg, now, already_in=row.checked_in_at is not None)
    )
    answer = ScanAnswer(result=result, detail=detail, member=_described(row),
                        checked_in=event.checked_in, confirmed=event.confirmed)
    if result is ScanResult.already_checked_in and row.checked_in_at is not None:
        answer.checked_in_at, answer.gate = clock.aware(row.checked_in_at), row.gate or None
    if result is ScanResult.admitted:
        await admit_ticket(request, row, event, answer, now)
    return answer


async def admit_ticket(
    request: ScanRequest, row: TicketFactsRow, event: EventFactsRow, answer: ScanAnswer, now: datetime,
    *, decided_offline: bool = False,
) -> int:
    """Admit the ticket at `now` (a gate that decided offline sends its own time): the check-in,
    its points and a first attendance's referral, in the caller's transaction under the RSVP's
    lock; `answer` gets the points, any new tier and the count. Returns the check-in's id."""
    if row.referred_by is not None and request.referrals.earned_at == AT_FIRST_ATTENDANCE:
        # A first attendance may pay the referrer, whose row award() will lock: take it now
        # with the member's, before the ladder, so two admissions never wait on each other.
        await lock_objects((Member, [row.member, row.referred_by]))
    check_in_id = await _admit(
        request, row, event.attendance_points, answer, now, per_trip=event.kind is EventKind.trip,
        decided_offline=decided_offline,
    )
    answer.checked_in = (answer.checked_in or 0) + 1
    if row.referred_by is not None:
        # The referred member's first admission pays their referrer; a later one finds the
        # referral earned. Both members' rows are already locked, above. (A member's referrer
        # is set when they join and never changes, so one without is asked nothing more.)
        await earn_referral(row.member, AT_FIRST_ATTENDANCE, request.referrals)
    return check_in_id


def attendance_source(check_in_id: int) -> str:
    """The ledger source of an admission's points; a reverted and re-admitted ticket earns
    (and loses) its own."""
    return f"checkin-{check_in_id}"


def trip_attendance_source(event_id: int, member_id: int) -> str:
    """The ledger source of a trip's attendance points: one per member, however many legs."""
    return f"trip-{event_id}-member-{member_id}"


async def _admit(
    request: ScanRequest, row: TicketFactsRow, points: int, answer: ScanAnswer, now: datetime, per_trip: bool,
    decided_offline: bool,
) -> int:
    inserted = await CheckIn.insert(
        CheckIn(
            event=request.event_id, rsvp=row.id, member=row.member,
            admission_key=admission_key(row.id, request.item), itinerary_item=request.item,
            gate=request.gate, scanned_by=request.staff.user_id, checked_in_at=now, points=points,
            decided_offline=decided_offline,
        )
    ).returning(CheckIn.id)
    check_in_id = inserted[0]["id"]
    answer.checked_in_at, answer.gate = now, request.gate or None
    if points > 0:
        # A trip pays once per member, whether scanned at its door or at any of its meeting points.
        source = trip_attendance_source(request.event_id, row.member) if per_trip else attendance_source(check_in_id)
        awarded = await award(
            row.member, points, PointsReason.attendance, source, note=f"attended event {request.event_id}",
        )
        if not awarded.created:
            # An earlier leg of this trip earned them: only the check-in that earned the points
            # carries them, so reverting it (and only it) takes them back.
            await CheckIn.update({CheckIn.points: 0}).where(CheckIn.id == check_in_id)
            return check_in_id
        answer.points_awarded = awarded.points
        if awarded.tier_change is not None:
            answer.new_tier = awarded.tier_change.new
            if answer.member is not None:
                answer.member.tier = awarded.tier_change.new
    return check_in_id


def _described(row: TicketFactsRow) -> ScannedMember:
    """What the door needs to greet the right person, without a photo or any private detail."""
    guests = row.guests
    since = row.joined_on.year if row.joined_on else None
    parts = [f"{row.tier_name or 'Member'}"]
    if since:
        parts.append(f"member since {since}")
    parts.append("no guests" if guests == 0 else f"+{guests} guest{'s' if guests > 1 else ''}")
    return ScannedMember(name=row.member_name, tier=row.tier_name, description=", ".join(parts))


async def revert_check_in(check_in_id: int, reason: str, coordinator: Principal) -> CheckInReverted:
    """Undo an admission (a wrong person let in, a test scan): recorded, and its points taken back."""
    async with write_transaction():
        found = await CheckIn.select(
            CheckIn.id, CheckIn.rsvp, CheckIn.member, CheckIn.points, CheckIn.reverted_at
        ).where(CheckIn.id == check_in_id).first()
        if found is None:
            raise NotFound("Check-in {check_in_id} does not exist.", text_values={"check_in_id": check_in_id})
        row = row_as(CheckInToRevert, found)
        await lock_objects((Rsvp, row.rsvp))  # then award() locks the member: the global order
        if row.reverted_at is not None:
            raise Conflict("This check-in was already reverted.")
        await CheckIn.update(
            {
                CheckIn.reverted_at: _now(),
                CheckIn.reverted_by: coordinator.user_id,
                CheckIn.revert_reason: reason,
                CheckIn.admission_key: f"{row.rsvp}:reverted:{check_in_id}",
            }
        ).where(CheckIn.id == check_in_id)
        if row.points:
            await award(
                row.member, -row.points, PointsReason.adjustment, f"revert-checkin-{check_in_id}",
                note=f"check-in reverted: {reason}", created_by=coordinator.user_id,
            )
        return CheckInReverted(id=check_in_id, reverted=True, points_reversed=row.points)

