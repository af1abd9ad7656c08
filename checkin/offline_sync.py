"""Scans a gate decided offline, sent from its queue when the network returns.

Each scan is its own transaction, in the order the scans were made, under the RSVP's lock (as
an online scan): its nonce first (a batch sent again, or a scan whose online answer was lost,
gets the outcome it got the first time and changes nothing), then the server's reading of the
ticket at the scan's time (checkin.rules.decide_scan), then checkin.sync_rules' verdict:

- the ticket's first admission is admitted, with its points, at the gate's own time and gate;
- an admission earlier than the one standing takes its place (the earliest scan is the
  admission; the points it earned stay with it) and the standing one is recorded as the
  duplicate, with its gate and time;
- a later one is recorded as a duplicate; one let in after the ticket was revoked, or outside
  the door's hours, is recorded as such; the coordinators' list shows them all;
- a scan the gate refused is remembered and nothing else.

Nothing about the batch is checked scan by scan that could fail halfway: the event and every
meeting point named are checked before the first scan is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import msgspec

from checkin.rows import EventFactsRow, TicketFactsRow
from checkin.rules import ScanResult, decide_scan
from checkin.scanning import (
    ScanRequest,
    admission_key,
    admit_ticket,
    admitted_counts,
    event_facts,
    remembered_json,
    scan_facts,
    ticket_and_event_facts,
)
from checkin.schemas import OfflineBatchOut, OfflineScanIn, OfflineScanOut, ScanAnswer
from checkin.sync_rules import ConflictKind, SyncOutcome, offline_admission, scan_time, takes_the_admission
from checkin.tables import CheckIn, DoorConflict, ScanRecord
from checkin.ticket_tokens import InvalidTicket, TicketClaims, TicketSigner
from club import clock
from club.accounts import Principal
from club.db import write_transaction
from club.errors import InvalidInput, NotFound
from club.locking import lock_objects
from club.referrals import ReferralPolicy
from club.rows import Row, row_as
from events import legs
from events.tables import Rsvp

__all__ = ["sync_offline_scans"]


@dataclass(frozen=True, slots=True)
class _Batch:
    event_id: int
    staff: Principal
    signer: TicketSigner
    referrals: ReferralPolicy
    legs: dict[int, legs.Checkpoint]


class _StandingRow(Row, frozen=True):
    """The admission a ticket has on the server, which an earlier offline scan may replace."""

    id: int
    checked_in_at: datetime
    gate: str
    scanned_by: int | None
    decided_offline: bool


async def sync_offline_scans(
    event_id: int, scans: list[OfflineScanIn], staff: Principal, signer: TicketSigner, referrals: ReferralPolicy
) -> OfflineBatchOut:
    """Each scan's outcome, in the order sent, and the door's running count after them."""
    nonces = [s.nonce for s in scans]
    if len(set(nonces)) != len(nonces):
        raise InvalidInput("Each scan in a batch has its own nonce; one is sent twice.")
    await event_facts(event_id, None)  # 404 for an unknown or draft event, before anything is written
    checkpoints: dict[int, legs.Checkpoint] = {}
    for item in sorted({s.item for s in scans if s.item is not None}):
        leg = await legs.checkpoint(event_id, item)
        if leg is None:
            raise NotFound("Event {event_id} has no meeting point {item}.", text_values={"event_id": event_id, "item": item})
        checkpoints[item] = leg
    batch = _Batch(event_id, staff, signer, referrals, checkpoints)
    outcomes: dict[str, OfflineScanOut] = {}
    # In the order they happened, so within a batch the earliest admission is made first.
    for scan in sorted(scans, key=lambda s: (s.scanned_at, s.nonce)):
        outcomes[scan.nonce] = await _sync_one(batch, scan)
    checked_in, confirmed = await admitted_counts(event_id)
    return OfflineBatchOut(results=[outcomes[n] for n in nonces], checked_in=checked_in, confirmed=confirmed)


async def _sync_one(batch: _Batch, scan: OfflineScanIn) -> OfflineScanOut:
    try:
        claims = batch.signer.verify(scan.token)
    except InvalidTicket:
        # Costs nothing and writes nothing, as online: the same code always gets this answer.
        return OfflineScanOut(nonce=scan.nonce, outcome=SyncOutcome.invalid, result=ScanResult.invalid,
                              detail="This is not a valid ticket.")
    request = ScanRequest(batch.event_id, scan.token, scan.nonce, (scan.gate or "").strip(), batch.staff, scan.item, batch.referrals)
    nonce_key = f"{batch.staff.user_id}:{scan.nonce}"
    async with write_transaction():
        await lock_objects((Rsvp, claims.rsvp_id))
        key = admission_key(claims.rsvp_id, scan.item)
        leg = batch.legs.get(scan.item) if scan.item is not None else None
        row, event = await ticket_and_event_facts(batch.event_id, claims.rsvp_id, key, nonce_key, leg)
        if row is None:
            return OfflineScanOut(nonce=scan.nonce, outcome=SyncOutcome.invalid, result=ScanResult.invalid,
                                  detail="This ticket is unknown.")
        remembered = _remembered(row, scan.nonce)
        if remembered is not None and not (remembered.from_online and scan.result is ScanResult.admitted):
            return remembered.outcome
        outcome = await _decide(request, claims, row, event, leg, scan, key, remembered)
        answer = msgspec.json.encode(outcome).decode()
        if remembered is None:
            await ScanRecord.insert(ScanRecord(nonce_key=nonce_key, event=batch.event_id, result=outcome.outcome.value,
                                               answer=answer, created_at=clock.now()))
        else:  # the online scan's record now says what became of the gate's admission
            await ScanRecord.update({ScanRecord.result: outcome.outcome.value, ScanRecord.answer: answer}).where(
                ScanRecord.nonce_key == nonce_key)
        return outcome


@dataclass(frozen=True, slots=True)
class _Remembered:
    outcome: OfflineScanOut
    from_online: bool  # the nonce's online scan reached the server, though its answer was lost


def _remembered(row: TicketFactsRow, nonce: str) -> _Remembered | None:
    """What this nonce got before: a synced scan's outcome, or the answer to the online scan the
    gate made with it before deciding offline (its request arrived; its answer did not)."""
    if row.remembered is None:
        return None
    stored = remembered_json(row.remembered)
    try:
        return _Remembered(msgspec.json.decode(stored, type=OfflineScanOut), from_online=False)
    except msgspec.ValidationError:
        online = msgspec.json.decode(stored, type=ScanAnswer)
    admitted = online.result is ScanResult.admitted
    return _Remembered(OfflineScanOut(
        nonce=nonce, outcome=SyncOutcome.admitted if admitted else SyncOutcome.refused, result=online.result,
        detail=online.detail, points_awarded=online.points_awarded,
    ), from_online=not admitted)


async def _decide(
    request: ScanRequest, claims: TicketClaims, row: TicketFactsRow, event: EventFactsRow, leg: legs.Checkpoint | None,
    scan: OfflineScanIn, key: str, remembered: _Remembered | None,
) -> OfflineScanOut:
    at = scan_time(scan.scanned_at, clock.now())
    # The server's reading at the scan's time, whether or not it is in already: which admission
    # stands is decided below, by time.
    reading, detail = decide_scan(scan_facts(request, claims.event_id, claims.version, row, event, leg, at, already_in=False))
    if remembered is not None:  # the online answer is what the server read then (already in, say)
        reading, detail = remembered.outcome.result, remembered.outcome.detail
    if scan.result is not ScanResult.admitted:
        # What the gate answered stands: the person was turned away, whatever the server reads now.
        return OfflineScanOut(nonce=scan.nonce, outcome=SyncOutcome.refused, result=scan.result,
                              detail="Refused at the door; recorded.")
    verdict = offline_admission(reading)
    gate_scan = _GateScan(request.gate, at, request.staff.user_id, decided_offline=True)
    if verdict in (SyncOutcome.admitted, SyncOutcome.duplicate):
        if row.checked_in_at is not None:
            return await _against_the_standing(request, row, gate_scan, key, scan.nonce, reading)
        answer = ScanAnswer(result=ScanResult.admitted, detail=detail)
        check_in_id = await admit_ticket(request, row, event, answer, at, decided_offline=True)
        return OfflineScanOut(nonce=scan.nonce, outcome=SyncOutcome.admitted, result=ScanResult.admitted, detail=detail,
                              check_in_id=check_in_id, points_awarded=answer.points_awarded)
    await _record(request, row, ConflictKind(verdict.value), reading, gate_scan, None)
    return OfflineScanOut(nonce=scan.nonce, outcome=verdict, result=reading, detail=detail)


@dataclass(frozen=True, slots=True)
class _GateScan:
    """Where, when and by whom a ticket was scanned: what a conflict records of each side."""

    gate: str
    at: datetime
    by: int | None
    decided_offline: bool


async def _against_the_standing(
    request: ScanRequest, row: TicketFactsRow, scan: _GateScan, key: str, nonce: str, reading: ScanResult,
) -> OfflineScanOut:
    """A gate admitted a ticket the server has admitted already: the earlier of the two is the
    admission, the other the duplicate."""
    found = await CheckIn.select(
        CheckIn.id, CheckIn.checked_in_at, CheckIn.gate, CheckIn.scanned_by, CheckIn.decided_offline,
    ).where(CheckIn.admission_key == key).first()
    assert found is not None, "a standing admission cannot go while its RSVP is locked"
    standing = row_as(_StandingRow, found)
    standing_scan = _GateScan(standing.gate, clock.aware(standing.checked_in_at), standing.scanned_by, standing.decided_offline)
    if not takes_the_admission(scan.at, standing_scan.at):
        await _record(request, row, ConflictKind.duplicate, ScanResult.already_checked_in, scan, standing.id)
        return OfflineScanOut(nonce=nonce, outcome=SyncOutcome.duplicate, result=ScanResult.already_checked_in,
                              detail="Admitted earlier; recorded as a duplicate.", check_in_id=standing.id)
    # This scan came first: it becomes the admission (the points the standing one earned stay
    # with the same check-in, so they are paid once), and the standing scan is the duplicate.
    await _record(request, row, ConflictKind.duplicate, ScanResult.already_checked_in, standing_scan, standing.id)
    await CheckIn.update({
        CheckIn.checked_in_at: scan.at, CheckIn.gate: scan.gate, CheckIn.scanned_by: scan.by,
        CheckIn.decided_offline: True,
    }).where(CheckIn.id == standing.id)
    return OfflineScanOut(nonce=nonce, outcome=SyncOutcome.admitted, result=ScanResult.admitted,
                          detail="The earliest admission; a later one is recorded as a duplicate.", check_in_id=standing.id)


async def _record(
    request: ScanRequest, row: TicketFactsRow, kind: ConflictKind, reading: ScanResult, scan: _GateScan,
    check_in_id: int | None,
) -> None:
    await DoorConflict.insert(DoorConflict(
        event=request.event_id, rsvp=row.id, member=row.member, kind=kind.value, result=reading.value,
        check_in=check_in_id, itinerary_item=request.item, gate=scan.gate, scanned_at=scan.at,
        scanned_by=scan.by, decided_offline=scan.decided_offline, recorded_at=clock.now(),
    ))
