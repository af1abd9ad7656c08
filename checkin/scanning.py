"""Scanning a ticket at the door: one answer per scan, one admission per ticket, points once.

The shape of every scan: check the signature (no database needed for a forgery), then in one
write transaction lock the RSVP row, replay a remembered answer for a retried nonce, decide
with `checkin.rules.decide_scan`, and on admission write the check-in and the points together.
Two gates scanning the same ticket at once are serialized on the RSVP row, and the unique
admission key backs that up: exactly one of them admits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import msgspec

from checkin.rules import ScanFacts, ScanResult, decide_scan
from checkin.schemas import ScanAnswer, ScannedMember
from checkin.tables import CheckIn, ScanRecord, Ticket
from checkin.tickets import InvalidTicket, TicketSigner
from club.accounts import Principal
from club.db import lock_for_update, write_transaction
from club.errors import Conflict, NotFound
from club.points import award
from club.tables import PointsReason
from events.tables import Event, EventStatus, Rsvp, RsvpStatus

__all__ = ["ScanRequest", "admitted_counts", "revert_check_in", "scan"]


@dataclass(frozen=True, slots=True)
class ScanRequest:
    event_id: int
    token: str
    nonce: str
    gate: str
    staff: Principal


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def admitted_counts(event_id: int) -> tuple[int, int]:
    """(checked in, confirmed) for the door's running count."""
    checked_in = await CheckIn.count().where((CheckIn.event == event_id) & CheckIn.reverted_at.is_null())
    confirmed = await Rsvp.count().where(
        (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
    )
    return checked_in, confirmed


async def scan(request: ScanRequest, signer: TicketSigner) -> ScanAnswer:
    try:
        claims = signer.verify(request.token)
    except InvalidTicket:
        # A forged or garbled code costs no database work and writes nothing: the same input
        # always gets this answer, so there is nothing to remember for a retry either.
        return ScanAnswer(result=ScanResult.invalid.value, detail="This is not a valid ticket.")
    nonce_key = f"{request.staff.user_id}:{request.nonce}"
    async with write_transaction():
        await lock_for_update(Rsvp, [claims.rsvp_id])
        remembered = await ScanRecord.select(ScanRecord.answer).where(ScanRecord.nonce_key == nonce_key).first()
        if remembered is not None:
            return msgspec.json.decode(_as_bytes(remembered["answer"]), type=ScanAnswer)
        answer = await _decide_and_admit(request, claims.event_id, claims.rsvp_id, claims.version)
        await ScanRecord.insert(
            ScanRecord(
                nonce_key=nonce_key,
                event=request.event_id,
                result=answer.result,
                answer=msgspec.json.encode(answer).decode(),
                created_at=_now(),
            )
        )
        return answer


def _as_bytes(stored: Any) -> bytes:
    return stored.encode() if isinstance(stored, str) else msgspec.json.encode(stored)


async def _decide_and_admit(request: ScanRequest, ticket_event: int, rsvp_id: int, version: int) -> ScanAnswer:
    row = await Rsvp.select(
        Rsvp.id, Rsvp.status, Rsvp.member, Rsvp.guests, Rsvp.event,
        Rsvp.member.name.as_alias("member_name"),
        Rsvp.member.tier.name.as_alias("tier_name"),
        Rsvp.member.joined_on.as_alias("joined_on"),
    ).where(Rsvp.id == rsvp_id).first()
    event = await Event.select(
        Event.id, Event.status, Event.starts_at, Event.ends_at, Event.attendance_points
    ).where(Event.id == request.event_id).first()
    if event is None or event["status"] == EventStatus.draft.value:
        raise NotFound(f"Event {request.event_id} does not exist.")
    if row is None:  # signed by us, but the RSVP is gone: treat as not a ticket
        checked_in, confirmed = await admitted_counts(request.event_id)
        return ScanAnswer(result=ScanResult.invalid.value, detail="This ticket is unknown.",
                          checked_in=checked_in, confirmed=confirmed)
    ticket = await Ticket.select(Ticket.version).where(Ticket.rsvp == rsvp_id).first()
    existing = await CheckIn.select(CheckIn.checked_in_at, CheckIn.gate).where(
        CheckIn.admission_key == str(rsvp_id)
    ).first()
    now = _now()
    result, detail = decide_scan(
        ScanFacts(
            scanned_at_event_id=request.event_id,
            ticket_event_id=ticket_event,
            ticket_version=version,
            current_ticket_version=ticket["version"] if ticket else 1,
            rsvp_status=row["status"],
            event_cancelled=event["status"] == EventStatus.cancelled.value,
            already_checked_in=existing is not None,
            now=now,
            starts_at=event["starts_at"],
            ends_at=event["ends_at"],
        )
    )
    answer = ScanAnswer(result=result.value, detail=detail, member=_described(row))
    if result is ScanResult.already_checked_in and existing is not None:
        answer.checked_in_at = existing["checked_in_at"]
        answer.gate = existing["gate"] or None
    if result is ScanResult.admitted:
        await _admit(request, row, event, answer, now)
    answer.checked_in, answer.confirmed = await admitted_counts(request.event_id)
    return answer


async def _admit(request: ScanRequest, row: dict[str, Any], event: dict[str, Any], answer: ScanAnswer, now: datetime) -> None:
    inserted = await CheckIn.insert(
        CheckIn(
            event=request.event_id, rsvp=row["id"], member=row["member"], admission_key=str(row["id"]),
            gate=request.gate, scanned_by=request.staff.user_id, checked_in_at=now,
            points=event["attendance_points"],
        )
    ).returning(CheckIn.id)
    check_in_id = inserted[0]["id"]
    answer.checked_in_at, answer.gate = now, request.gate or None
    if event["attendance_points"] > 0:
        # Keyed by the check-in, so a reverted and re-admitted ticket earns (and loses) its own.
        awarded = await award(
            row["member"], event["attendance_points"], PointsReason.attendance,
            f"checkin-{check_in_id}", note=f"attended event {request.event_id}",
        )
        await CheckIn.update({CheckIn.points_entry: awarded.entry_id}).where(CheckIn.id == check_in_id)
        answer.points_awarded = event["attendance_points"]
        if awarded.tier_change is not None:
            answer.new_tier = awarded.tier_change.new
            if answer.member is not None:
                answer.member.tier = awarded.tier_change.new


def _described(row: dict[str, Any]) -> ScannedMember:
    """What the door needs to greet the right person, without a photo or any private detail."""
    guests = row["guests"]
    since = row["joined_on"].year if row["joined_on"] else None
    parts = [f"{row['tier_name'] or 'Member'}"]
    if since:
        parts.append(f"member since {since}")
    parts.append("no guests" if guests == 0 else f"+{guests} guest{'s' if guests > 1 else ''}")
    return ScannedMember(name=row["member_name"], tier=row["tier_name"], description=", ".join(parts))


async def revert_check_in(check_in_id: int, reason: str, coordinator: Principal) -> dict[str, Any]:
    """Undo an admission (a wrong person let in, a test scan): recorded, and its points taken back."""
    async with write_transaction():
        row = await CheckIn.select(
            CheckIn.id, CheckIn.rsvp, CheckIn.member, CheckIn.points, CheckIn.points_entry, CheckIn.reverted_at
        ).where(CheckIn.id == check_in_id).first()
        if row is None:
            raise NotFound(f"Check-in {check_in_id} does not exist.")
        await lock_for_update(Rsvp, [row["rsvp"]])
        if row["reverted_at"] is not None:
            raise Conflict("This check-in was already reverted.")
        await CheckIn.update(
            {
                CheckIn.reverted_at: _now(),
                CheckIn.reverted_by: coordinator.user_id,
                CheckIn.revert_reason: reason,
                CheckIn.admission_key: f"{row['rsvp']}:reverted:{check_in_id}",
            }
        ).where(CheckIn.id == check_in_id)
        if row["points_entry"] is not None and row["points"]:
            await award(
                row["member"], -row["points"], PointsReason.adjustment, f"revert-checkin-{check_in_id}",
                note=f"check-in reverted: {reason}", created_by=coordinator.user_id,
            )
        return {"id": check_in_id, "reverted": True, "points_reversed": row["points"] if row["points_entry"] else 0}

