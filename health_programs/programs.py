"""Programs, their clinics and appointment slots: coordinators set them up, members find them.

A program is created with its concierge reminder sequence (from its preparation
instructions); a slot is an events Event booked through this domain, published at once and
given that sequence, so seats, the waitlist, tickets, the door and reminders are the events'.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import UnsetType
from piccolo.columns.combination import Combinable

from club import clock
from club.accounts import Principal
from club.bounds import fit
from club.db import write_transaction
from club.errors import InvalidInput, NotFound, Said
from club.i18n.catalogs import gettext
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import row_as, rows_as
from club.tables import Member, Tier
from events.catalog import create_event, publish_event
from events.reminders.schemas import SequenceIn
from events.reminders.sequences import create_sequence, stored_texts
from events.reminders.tables import (
    EventReminderSequence,
    ReminderSequence,
    ReminderStep,
)
from events.schemas import EventCreate
from events.seats import seats_by_event
from events.tables import EventKind, EventStatus
from health_programs.errors import OutsideSeason
from health_programs.rows import ClinicRow, MemberTierRow, ProgramRow, ProgramTierRow, SlotRow, TierNameRow
from health_programs.rules import (
    Preparation,
    concierge_steps,
    eligibility_texts,
    preparation_text,
    slot_outside_season,
)
from health_programs.schemas import (
    ClinicIn,
    ClinicOut,
    PreparationIn,
    PreparationOut,
    ProgramIn,
    ProgramOut,
    SlotIn,
    SlotOut,
)
from health_programs.tables import Clinic, ClinicSlot, HealthProgram, ProgramTier

__all__ = [
    "THROUGH",
    "add_clinic",
    "add_slot",
    "create_program",
    "get_program",
    "list_programs",
    "list_slots",
    "load_program",
    "load_slot",
    "program_refusal",
    "slot_outs",
    "update_preparation",
]

# Event.booked_through of every slot: the generic RSVP routes refuse these events.
THROUGH = "health_programs"


def _now() -> datetime:
    return clock.now()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("{name!r} is not a known time zone; use an IANA name like 'Asia/Shanghai'.", text_values={"name": name}) from exc


def preparation_of(row: ProgramRow) -> Preparation:
    return Preparation(row.fasting_hours, row.bring, row.avoid)


def _changed(prep: Preparation, changes: PreparationIn) -> Preparation:
    """The preparation with the fields a PATCH set replaced, the others kept."""
    return Preparation(
        prep.fasting_hours if isinstance(changes.fasting_hours, UnsetType) else changes.fasting_hours,
        prep.bring if isinstance(changes.bring, UnsetType) else changes.bring,
        prep.avoid if isinstance(changes.avoid, UnsetType) else changes.avoid,
    )


async def create_program(body: ProgramIn, created_by: int | None, language: Language = Language.en) -> ProgramOut:
    """A program with its tiers and its concierge sequence, in one transaction; the sequence's
    preparation script is written in `language` (the club's: coordinators read it on the call)."""
    if body.season_ends_on < body.season_starts_on:
        raise InvalidInput("The season must end on or after the day it starts.")
    names = list(dict.fromkeys(body.tiers))
    prep = Preparation(body.fasting_hours, body.bring, body.avoid)
    async with write_transaction():
        tiers = rows_as(TierNameRow, await Tier.select(Tier.id, Tier.name).where(Tier.name.is_in(names or [""])))
        unknown = sorted(set(names) - {t.name for t in tiers})
        if unknown:
            raise InvalidInput("There is no tier named {tiers}.", unknown=unknown, text_values={"tiers": ", ".join(unknown)})
        sequence = await create_sequence(
            SequenceIn(name=fit(gettext(language, "{program}: concierge", program=body.name), ReminderSequence.name), preparation=preparation_text(prep, language), steps=concierge_steps(prep))
        )
        rows = await HealthProgram.insert(
            HealthProgram(
                name=body.name, year=body.year, season_starts_on=body.season_starts_on,
                season_ends_on=body.season_ends_on, fasting_hours=prep.fasting_hours, bring=prep.bring,
                avoid=prep.avoid, attendance_points=body.attendance_points, sequence=sequence.id,
                created_by=created_by, created_at=_now(),
            )
        ).returning(HealthProgram.id)
        program_id = rows[0]["id"]
        if tiers:
            await ProgramTier.insert(
                *[ProgramTier(program=program_id, tier=t.id, link_key=f"{program_id}:{t.id}") for t in tiers]
            )
    return await get_program(program_id, language=language)


async def update_preparation(program_id: int, changes: PreparationIn, language: Language = Language.en) -> ProgramOut:
    """Change the preparation instructions; the concierge sequence's script (in `language`, the
    club's) and texts follow.
    Reminders are rendered when sent, so every unsent one carries the new instructions."""
    async with write_transaction():
        await lock_objects((HealthProgram, program_id))  # before the read, so two changes apply one after the other
        row = await load_program(program_id)
        prep = _changed(preparation_of(row), changes)
        await HealthProgram.update(
            {HealthProgram.fasting_hours: prep.fasting_hours, HealthProgram.bring: prep.bring, HealthProgram.avoid: prep.avoid}
        ).where(HealthProgram.id == program_id)
        if row.sequence is not None:
            await ReminderSequence.update({ReminderSequence.preparation: preparation_text(prep, language)}).where(
                ReminderSequence.id == row.sequence
            )
            for position, step in enumerate(concierge_steps(prep), start=1):
                await ReminderStep.update({ReminderStep.template: step.template, ReminderStep.texts: stored_texts(step)}).where(
                    (ReminderStep.sequence == row.sequence) & (ReminderStep.position == position)
                )
    return await get_program(program_id, language=language)


async def load_program(program_id: int) -> ProgramRow:
    row = await HealthProgram.select().where(HealthProgram.id == program_id).first()
    if row is None:
        raise NotFound("Health program {program_id} does not exist.", text_values={"program_id": program_id})
    return row_as(ProgramRow, row)


async def _tiers_of(program_ids: list[int]) -> dict[int, list[ProgramTierRow]]:
    """Each program's tiers, lowest rank first."""
    rows = rows_as(ProgramTierRow, await ProgramTier.select(
        ProgramTier.program, ProgramTier.tier, ProgramTier.tier.name.as_alias("name"), ProgramTier.tier.rank.as_alias("rank")
    ).where(ProgramTier.program.is_in(program_ids or [0])))
    found: dict[int, list[ProgramTierRow]] = {}
    for r in sorted(rows, key=lambda r: r.rank):
        found.setdefault(r.program, []).append(r)
    return found


async def _outs(
    rows: list[ProgramRow], tiers: dict[int, list[ProgramTierRow]] | None = None, language: Language = Language.en
) -> list[ProgramOut]:
    """The programs with their tiers (read here unless given) and clinics: two reads at most; the
    preparation's text in `language` (the reader's)."""
    ids = [r.id for r in rows]
    if tiers is None:
        tiers = await _tiers_of(ids)
    clinics = rows_as(ClinicRow, await Clinic.select().where(Clinic.program.is_in(ids or [0])).order_by(Clinic.id))
    return [
        ProgramOut(
            id=r.id, name=r.name, year=r.year, season_starts_on=r.season_starts_on,
            season_ends_on=r.season_ends_on,
            preparation=PreparationOut(
                fasting_hours=r.fasting_hours, bring=r.bring, avoid=r.avoid, text=preparation_text(preparation_of(r), language)
            ),
            tiers=[t.name for t in tiers.get(r.id, [])], attendance_points=r.attendance_points,
            clinics=[ClinicOut(id=c.id, name=c.name, address=c.address, time_zone=c.time_zone) for c in clinics if c.program == r.id],
            reminder_sequence_id=r.sequence,
        )
        for r in rows
    ]


async def _member_tier(member_id: int) -> int | None:
    row = await Member.select(Member.tier).where(Member.id == member_id).first()
    if row is None:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    return row_as(MemberTierRow, row).tier


async def program_refusal(program_id: int, member_id: int) -> list[Said]:
    """Why the member may not book this program, as catalog texts (empty: they may)."""
    return _refusal((await _tiers_of([program_id])).get(program_id, []), await _member_tier(member_id))


def _refusal(tiers: list[ProgramTierRow], member_tier: int | None) -> list[Said]:
    """Why a member of `member_tier` may not book a program open to `tiers` (empty: they may)."""
    return eligibility_texts({t.tier for t in tiers}, member_tier, [t.name for t in tiers])


async def get_program(program_id: int, viewer: Principal | None = None, language: Language = Language.en) -> ProgramOut:
    """One program, its preparation's text in `language` (the reader's); a member sees only
    programs they may book (others answer 404)."""
    row = await load_program(program_id)
    if viewer is not None and viewer.member_id is not None and await program_refusal(program_id, viewer.member_id):
        raise NotFound("Health program {program_id} does not exist.", text_values={"program_id": program_id})
    return (await _outs([row], language=language))[0]


async def list_programs(viewer: Principal, language: Language = Language.en) -> list[ProgramOut]:
    """Coordinators see every program; members, the ones they may book whose season is not over."""
    rows = rows_as(ProgramRow, await HealthProgram.select().order_by(HealthProgram.season_starts_on).order_by(HealthProgram.id))
    if viewer.member_id is None:
        return await _outs(rows, language=language)
    today = _now().date()
    rows = [r for r in rows if r.season_ends_on >= today]
    if not rows:
        return []
    # The member and every program's tiers read once, not once a program (as program_refusal would).
    member_tier = await _member_tier(viewer.member_id)
    tiers = await _tiers_of([r.id for r in rows])
    bookable = [r for r in rows if not _refusal(tiers.get(r.id, []), member_tier)]
    return await _outs(bookable, tiers, language)


async def add_clinic(program_id: int, body: ClinicIn) -> ClinicOut:
    _zone(body.time_zone)
    async with write_transaction():
        await load_program(program_id)
        rows = await Clinic.insert(
            Clinic(program=program_id, name=body.name, address=body.address, time_zone=body.time_zone, created_at=_now())
        ).returning(Clinic.id)
    return ClinicOut(id=rows[0]["id"], name=body.name, address=body.address, time_zone=body.time_zone)


async def add_slot(clinic_id: int, body: SlotIn, created_by: int | None) -> SlotOut:
    """A published appointment slot at the clinic, inside the program's season, carrying the
    program's concierge sequence and attendance points."""
    async with write_transaction():
        found = await Clinic.select().where(Clinic.id == clinic_id).first()
        if found is None:
            raise NotFound("Clinic {clinic_id} does not exist.", text_values={"clinic_id": clinic_id})
        clinic = row_as(ClinicRow, found)
        program = await load_program(clinic.program)
        local_day = body.starts_at.astimezone(_zone(clinic.time_zone)).date()
        if slot_outside_season(local_day, program.season_starts_on, program.season_ends_on):
            raise OutsideSeason(
                "{program} runs from {starts_on} to {ends_on}; this slot is on {day}.",
                text_values={"program": program.name, "starts_on": program.season_starts_on, "ends_on": program.season_ends_on, "day": local_day},
            )
        venue = f"{clinic.name}, {clinic.address}" if clinic.address else clinic.name
        event = await create_event(
            EventCreate(
                kind=EventKind.health_checkup, title=f"{program.name}: {clinic.name}"[:200], venue=venue[:200],
                venue_time_zone=clinic.time_zone, starts_at=body.starts_at, ends_at=body.ends_at,
                capacity=body.capacity, attendance_points=program.attendance_points,
            ),
            created_by,
            booked_through=THROUGH,
        )
        await publish_event(event.id)
        if program.sequence is not None:
            # Before anyone books it, so no schedule needs re-planning.
            await EventReminderSequence.insert(
                EventReminderSequence(
                    event=event.id, sequence=program.sequence, link_key=f"{event.id}:{program.sequence}", created_at=_now()
                )
            )
        rows = await ClinicSlot.insert(ClinicSlot(event=event.id, clinic=clinic_id, program=program.id)).returning(ClinicSlot.id)
    return (await slot_outs(ClinicSlot.id == rows[0]["id"]))[0]


_SLOT_FIELDS = (
    ClinicSlot.id, ClinicSlot.event, ClinicSlot.program, ClinicSlot.clinic,
    ClinicSlot.clinic.name.as_alias("clinic_name"), ClinicSlot.clinic.address.as_alias("address"),
    ClinicSlot.clinic.time_zone.as_alias("time_zone"), ClinicSlot.event.starts_at.as_alias("starts_at"),
    ClinicSlot.event.ends_at.as_alias("ends_at"), ClinicSlot.event.capacity.as_alias("capacity"),
    ClinicSlot.event.status.as_alias("status"),
)


async def load_slot(slot_id: int) -> SlotRow:
    row = await ClinicSlot.select(*_SLOT_FIELDS).where(ClinicSlot.id == slot_id).first()
    if row is None:
        raise NotFound("Slot {slot_id} does not exist.", text_values={"slot_id": slot_id})
    return row_as(SlotRow, row)


def slot_out(r: SlotRow, taken: int) -> SlotOut:
    return SlotOut(
        id=r.id, event_id=r.event, program_id=r.program, clinic_id=r.clinic, clinic_name=r.clinic_name,
        address=r.address, time_zone=r.time_zone, starts_at=r.starts_at, ends_at=r.ends_at,
        starts_local=r.starts_at.astimezone(ZoneInfo(r.time_zone)).isoformat(), capacity=r.capacity,
        seats_left=max(0, r.capacity - taken), status=r.status,
    )


async def slot_outs(where: Combinable) -> list[SlotOut]:
    rows = rows_as(
        SlotRow, await ClinicSlot.select(*_SLOT_FIELDS).where(where).order_by(ClinicSlot.event.starts_at).order_by(ClinicSlot.id)
    )
    taken = await seats_by_event([r.event for r in rows])
    return [slot_out(r, taken.get(r.event, 0)) for r in rows]


async def list_slots(program_id: int, viewer: Principal) -> list[SlotOut]:
    """A program's slots, soonest first; members see the upcoming, published ones."""
    await get_program(program_id, viewer)
    where: Combinable = ClinicSlot.program == program_id
    if viewer.member_id is not None:
        where = where & (ClinicSlot.event.status == EventStatus.published.value) & (ClinicSlot.event.starts_at > _now())
    return await slot_outs(where)
