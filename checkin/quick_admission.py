"""The door's common admission on PostgreSQL in two round trips: the facts, then one statement.

Most scans at a door are a confirmed member's first scan of a plain event, with no referrer to
pay, no tier to reach (`is_quick`) and no multiplier on their attendance today: checkin.scanning reads the facts without a lock, decides
with the same rule as every scan (checkin.rules.decide_scan), and `admit_in_one_statement` writes
the check-in, its points and the remembered answer in one statement that takes the RSVP's lock and then the member's, as the full
path does (club.locking's order). The statement re-checks under those locks what could have
changed since the read:

- the RSVP is still confirmed and the member not suspended (FOR UPDATE reads the row as the
  transaction that held it left it);
- no multiplier applies to their attendance now: no factor on attendance for their tier, no bonus
  day (the club's or their own) holding now that multiplies attendance (club.multipliers). Where
  one does, the statement writes nothing and the full path's award() multiplies the points, so the
  factor is applied in one place only;
- nobody admitted the ticket meanwhile (the admission key is unique: ON CONFLICT writes nothing);
- the scan's nonce was not answered meanwhile.

When it writes nothing, or the scan is anything else (a refusal, a trip, a referred member's
first attendance, points that reach a tier, a multiplier), the caller takes the full path, which decides again
under the RSVP's lock: this one only ever adds speed, never a second answer.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from checkin.rows import TicketFactsRow
from checkin.schemas import ScanAnswer, ScanResult
from club.db import write_transaction
from club.ledger import balance_of
from club.locking import lock_objects
from club.rows import Row, row_as
from club.statements import fetch
from club.tables import Member, MemberStatus, PointsReason
from club.tier_rules import may_reach_a_tier
from club.tiers import reevaluate_member
from events.tables import EventKind, RsvpStatus

__all__ = ["Standing", "admit_in_one_statement", "is_quick", "promote_if_reached"]

# The admission in one statement. `r` locks the RSVP (still confirmed); `m`, asked for through
# `r` so the lock order is the RSVP's then the member's, locks the member (still not suspended,
# and with no referrer, whose pay is the full path's, and no multiplier on attendance now, which
# award() applies) and reads their balance as it stands now.
# The points entry's trigger keeps member.points_balance (club migration 2026-12-07T09).
_ADMIT_SQL = (
    "WITH r AS (SELECT id, member FROM rsvp WHERE id = {} AND status = '" + RsvpStatus.confirmed.value + "' FOR UPDATE), "
    "m AS (SELECT id, points_balance, queued_tier FROM member WHERE id = (SELECT member FROM r) "
    "AND status <> '" + MemberStatus.suspended.value + "' AND referred_by IS NULL "
    "AND ({} <= 0 OR NOT EXISTS (SELECT 1 FROM tier_multiplier tm WHERE tm.tier = member.tier AND tm.kind = '" + PointsReason.attendance.value + "') "
    "AND NOT EXISTS (SELECT 1 FROM bonus_day b WHERE b.ends_at > {} AND b.starts_at <= {} "
    "AND (b.member IS NULL OR b.member = member.id) AND (',' || b.kinds || ',') LIKE '%," + PointsReason.attendance.value + ",%')) "
    "FOR UPDATE), "
    "c AS (INSERT INTO check_in (event, rsvp, member, admission_key, itinerary_item, gate, scanned_by, checked_in_at, "
    "points, decided_offline, reverted_at, reverted_by, revert_reason) "
    "SELECT {}, r.id, m.id, {}, NULL, {}, {}, {}, {}, false, NULL, NULL, '' FROM r JOIN m ON m.id = r.member "
    "WHERE NOT EXISTS (SELECT 1 FROM scan_record WHERE nonce_key = {}) "
    "ON CONFLICT (admission_key) DO NOTHING RETURNING id, member), "
    "p AS (INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_by, created_at) "
    "SELECT member, {}, '" + PointsReason.attendance.value + "', 'checkin-' || id, "
    "'" + PointsReason.attendance.value + ":checkin-' || id, {}, NULL, {} FROM c WHERE {} > 0), "
    "s AS (INSERT INTO scan_record (nonce_key, event, result, answer, created_at) "
    "SELECT {}, {}, '" + ScanResult.admitted.value + "', {}, {} FROM c) "
    "SELECT c.id, m.points_balance, m.queued_tier FROM c JOIN m ON m.id = c.member"
)


class Standing(Row, frozen=True):
    """The admission the statement wrote, and the member's points as they stood under its lock."""

    id: int
    points_balance: int
    queued_tier: int | None


def is_quick(row: TicketFactsRow, points: int, kind: EventKind) -> bool:
    """Whether an admission's consequences are all the one statement writes."""
    if kind is EventKind.trip or row.referred_by is not None:
        return False  # a trip pays once per member; a first attendance may pay a referrer
    if points <= 0:
        return True
    return not may_reach_a_tier(row.points_balance + points, row.next_threshold, row.queued_tier is not None)


async def admit_in_one_statement(
    rsvp_id: int, event_id: int, key: str, gate: str, staff_id: int, now: datetime, points: int,
    nonce_key: str, answer: ScanAnswer,
) -> Standing | None:
    """Write the admission, its points and `answer` for the nonce; None when it wrote nothing
    (the RSVP, the member, the admission or the nonce changed since the facts were read)."""
    written = await fetch(
        _ADMIT_SQL, rsvp_id, points, now, now,
        event_id, key, gate, staff_id, now, points, nonce_key,
        points, f"attended event {event_id}", now, points,
        nonce_key, event_id, msgspec.json.encode(answer).decode(), now,
    )
    return row_as(Standing, written[0]) if written else None


async def promote_if_reached(member_id: int, next_threshold: int | None, standing: Standing, points: int, answer: ScanAnswer) -> None:
    """Another award landed between the read and the lock, and with this one reaches a tier (or
    the member waits for a capped one): promote as award() does, in its own transaction."""
    if points <= 0 or not may_reach_a_tier(standing.points_balance + points, next_threshold, standing.queued_tier is not None):
        return
    async with write_transaction():
        await lock_objects((Member, member_id))
        change = await reevaluate_member(member_id, await balance_of(member_id))
    if change is not None:
        answer.new_tier = change.new
        if answer.member is not None:
            answer.member.tier = change.new
