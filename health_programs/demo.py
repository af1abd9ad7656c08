"""Demo data: an annual check-up program with a clinic in Shanghai and one in Paris, slots, a few bookings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from club import clock
from club.accounts import Principal
from club.errors import DomainError
from club.tables import Role, User
from health_programs.bookings import book
from health_programs.programs import add_clinic, add_slot, create_program
from health_programs.schemas import ClinicIn, ProgramIn, SlotIn
from health_programs.tables import HealthProgram

__all__ = ["DEMO_PROGRAM", "seed_demo"]

DEMO_PROGRAM = "Annual check-up 2027"
_CLINICS = [
    ("Shanghai United Family Clinic", "1139 Xianxia Road, Changning", "Asia/Shanghai"),
    ("Clinique du Louvre", "4 rue des Halles, Paris 1er", "Europe/Paris"),
]


async def seed_demo(coordinator_user_id: int, member_ids: list[int]) -> None:
    """Create the demo program once (a second call changes nothing): two clinics in two zones,
    three morning slots each over the coming weeks, and bookings for the first members."""
    if await HealthProgram.exists().where(HealthProgram.name == DEMO_PROGRAM):
        return
    today = clock.now().date()
    program = await create_program(
        ProgramIn(
            name=DEMO_PROGRAM, year=2027, season_starts_on=today,
            season_ends_on=max(date(2027, 12, 31), today + timedelta(days=60)),
            fasting_hours=10, bring="your passport and last year's check-up letter",
            avoid="alcohol and strenuous exercise the day before", tiers=[], attendance_points=200,
        ),
        coordinator_user_id,
    )
    slot_ids = []
    for name, address, zone in _CLINICS:
        clinic = await add_clinic(program.id, ClinicIn(name=name, address=address, time_zone=zone))
        for days in (3, 10, 17):
            start = datetime.combine(today + timedelta(days=days), time(8, 30), tzinfo=ZoneInfo(zone))
            slot = await add_slot(
                clinic.id, SlotIn(starts_at=start, ends_at=start + timedelta(hours=1), capacity=4), coordinator_user_id
            )
            slot_ids.append(slot.id)
    users = {
        u["member"]: u["id"] for u in await User.select(User.id, User.member).where(User.member.is_in(member_ids[:6] or [0]))
    }
    for i, member_id in enumerate(member_ids[:6]):
        viewer = Principal(user_id=users.get(member_id, 0), role=Role.member, name="demo", member_id=member_id)
        try:
            await book(program.id, slot_ids[i % len(slot_ids)], viewer)
        except DomainError:
            continue  # a suspended demo member, say: the demo goes on without them
