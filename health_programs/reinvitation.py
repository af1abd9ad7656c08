"""The annual rhythm: twelve months after a completed check-up, the member is invited to book the next one.

A completed check-up is a standing check-in at a clinic slot. Each one invites once: the
invitation row (unique on the booking's key) is written first, then handed to the reminders'
email channel (SMTP, or the embedded outbox) under a delivery key derived from it, then
marked sent. A crash between the two re-hands it on the next run with the same key, which
the channels dedupe (outbox unique key, Message-ID).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from checkin.tables import CheckIn
from club import clock
from club.db import write_transaction
from club.i18n.languages import language_of
from club.rows import row_as, rows_as
from club.settings import Settings
from club.tables import MemberStatus
from events.reminders.channels import ChannelError, OutgoingMessage, sender_for
from events.reminders.tables import Channel
from health_programs.programs import program_refusal
from health_programs.rows import BookingStatusRow, CompletedCheckUpRow, ProgramNameRow, ReinvitationRow
from health_programs.rules import (
    STATUS_LIVE,
    booking_key,
    booking_status,
    reinvitation_due,
    reinvitation_text,
)
from health_programs.tables import (
    ClinicSlot,
    HealthBooking,
    HealthProgram,
    HealthReinvitation,
    ReinvitationOutcome,
)

__all__ = ["send_reinvitations"]

log = logging.getLogger("club.health")

# Candidates are read with a margin, then decided exactly by `reinvitation_due`.
_YEAR_AGO = timedelta(days=364)


def _now() -> datetime:
    return clock.now()


async def _completed(now: datetime) -> list[CompletedCheckUpRow]:
    """Standing check-ins at clinic slots whose appointment is about a year old or more."""
    slots = ClinicSlot.select(ClinicSlot.event)
    rows = await CheckIn.select(
        CheckIn.member, CheckIn.event, CheckIn.event.starts_at.as_alias("starts_at"),
        CheckIn.member.status.as_alias("member_status"), CheckIn.member.name.as_alias("member_name"),
        CheckIn.member.email.as_alias("email"), CheckIn.member.language.as_alias("member_language"),
    ).where(
        CheckIn.reverted_at.is_null() & CheckIn.event.is_in(slots) & (CheckIn.event.starts_at <= now - _YEAR_AGO)
    ).order_by(CheckIn.id)
    if not rows:
        return []
    by_event = {
        s["event"]: s for s in await ClinicSlot.select(
            ClinicSlot.event, ClinicSlot.program, ClinicSlot.program.year.as_alias("year"),
            ClinicSlot.clinic.name.as_alias("clinic_name"),
        ).where(ClinicSlot.event.is_in(sorted({r["event"] for r in rows})))
    }
    # The check-in and its slot's program and clinic, read in two statements, are one row.
    completed = rows_as(CompletedCheckUpRow, [{**r, **by_event[r["event"]]} for r in rows])
    return [c for c in completed if reinvitation_due(c.starts_at, now)]


async def _next_program(member_id: int, after_year: int, now: datetime) -> ProgramNameRow | None:
    """The earliest program of a later year, still in season, that the member may book."""
    programs = rows_as(ProgramNameRow, await HealthProgram.select(HealthProgram.id, HealthProgram.name).where(
        (HealthProgram.year > after_year) & (HealthProgram.season_ends_on >= now.date())
    ).order_by(HealthProgram.season_starts_on).order_by(HealthProgram.id))
    for p in programs:
        if not await program_refusal(p.id, member_id):
            return p
    return None


async def _already_booked(program_id: int, member_id: int) -> bool:
    row = await HealthBooking.select(
        HealthBooking.rsvp.status.as_alias("rsvp_status"),
        HealthBooking.slot.event.status.as_alias("event_status"),  # type: ignore[union-attr]  # Piccolo types a two-step join loosely
    ).where(HealthBooking.booking_key == booking_key(program_id, member_id)).first()
    if row is None:
        return False
    held = row_as(BookingStatusRow, row)
    return booking_status(held.rsvp_status, held.event_status) in STATUS_LIVE


async def _decide(c: CompletedCheckUpRow, now: datetime) -> tuple[ReinvitationOutcome, ProgramNameRow | None]:
    if c.member_status != MemberStatus.active:
        return ReinvitationOutcome.member_inactive, None
    upcoming = await _next_program(c.member, c.year, now)
    if upcoming is not None and await _already_booked(upcoming.id, c.member):
        return ReinvitationOutcome.already_booked, upcoming
    return ReinvitationOutcome.invited, upcoming


async def _hand_off(invitation_id: int, c: CompletedCheckUpRow, next_name: str | None, settings: Settings, now: datetime) -> bool:
    # The member's own language, else the club's, as every message to a member.
    language = language_of(c.member_language) or settings.club_locale
    subject, body = reinvitation_text(c.member_name, c.clinic_name, next_name, language)
    message = OutgoingMessage(
        key=f"health-invite:{invitation_id}", channel=Channel.email.value, member_id=c.member, event_id=c.event, rsvp_id=None,
        recipient=c.email or "", subject=subject, body=body, due_at=now,
    )
    try:
        await sender_for(Channel.email, settings).send(message)
    except ChannelError as exc:
        log.warning("health re-invitation %s not sent (%s); tried again next run", invitation_id, type(exc).__name__)
        return False
    async with write_transaction():
        await HealthReinvitation.update({HealthReinvitation.sent_at: now}).where(HealthReinvitation.id == invitation_id)
    return True


async def send_reinvitations(settings: Settings, now: datetime | None = None) -> int:
    """Invite every member whose check-up was twelve months ago or more, once per check-up.

    Safe to run any number of times, concurrently too. Returns how many invitations were
    handed to the channel in this run.
    """
    now = now or _now()
    candidates = await _completed(now)
    keys = {booking_key(c.program, c.member) for c in candidates}
    known = {
        r.invite_key: r
        for r in rows_as(
            ReinvitationRow, await HealthReinvitation.select().where(HealthReinvitation.invite_key.is_in(sorted(keys) or [""]))
        )
    }
    sent = 0
    for c in candidates:
        key = booking_key(c.program, c.member)  # the completed booking's: one invitation a check-up
        row = known.get(key)
        if row is None:
            outcome, upcoming = await _decide(c, now)
            async with write_transaction():
                inserted = await HealthReinvitation.insert(
                    HealthReinvitation(
                        invite_key=key, member=c.member, completed_program=c.program, completed_event=c.event,
                        next_program=upcoming.id if upcoming else None, outcome=outcome.value, created_at=now,
                    )
                ).on_conflict(target=HealthReinvitation.invite_key, action="DO NOTHING").returning(HealthReinvitation.id)
            if not inserted or outcome != ReinvitationOutcome.invited:
                continue  # another run wrote it, or there is nobody to invite
            invitation_id, next_name = inserted[0]["id"], upcoming.name if upcoming else None
        elif row.outcome != ReinvitationOutcome.invited or row.sent_at is not None:
            continue
        else:
            # Written by a run that did not get to hand it off (a crash, a channel down): again, same key.
            found = await HealthProgram.select(HealthProgram.name).where(HealthProgram.id == row.next_program).first()
            invitation_id, next_name = row.id, found["name"] if found else None
        if await _hand_off(invitation_id, c, next_name, settings, now):
            sent += 1
    return sent
