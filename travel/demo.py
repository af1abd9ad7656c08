"""Demo data for travel: the Yellow River road trip, with travelers, passports and a twin room."""

from __future__ import annotations

from datetime import date, timedelta

from club import clock
from club.accounts import Principal
from club.tables import Role, User
from events.catalog import create_event, publish_event
from events.rsvp import rsvp
from events.schemas import EventCreate
from events.tables import Event, EventKind, WaitlistPolicy
from travel.itinerary import add_item
from travel.rooms import assign_room, create_room
from travel.rules import add_months
from travel.schemas import DocumentIn, ItemIn, TravelerIn
from travel.tables import RoomKind, TravelerRole
from travel.travelers import add_traveler, put_document

__all__ = ["DEMO_TRIP", "seed_demo"]

DEMO_TRIP = "Road trip to the source of the Yellow River"


async def seed_demo(coordinator_user_id: int, member_ids: list[int]) -> None:
    """Once: a published trip in Asia/Shanghai with four items, the first members confirmed with
    a companion for the first, passports (the last one failing the six-month rule) and a twin room."""
    if await Event.exists().where(Event.title == DEMO_TRIP):
        return
    leaves = (clock.now() + timedelta(days=45)).replace(hour=1, minute=0, second=0, microsecond=0)
    returns = leaves + timedelta(days=8)
    trip = await create_event(
        EventCreate(
            kind=EventKind.trip, title=DEMO_TRIP, description="Eight days on the Qinghai plateau, by road.",
            venue="Xining Caojiabao airport, arrivals hall", venue_time_zone="Asia/Shanghai",
            starts_at=leaves, ends_at=returns, capacity=16, max_guests=1,
            waitlist_policy=WaitlistPolicy.tier_priority, attendance_points=500,
        ),
        created_by=coordinator_user_id,
    )
    await publish_event(trip.id)
    legs = [
        (0, 0, "Depart Xining", "Xining, Qinghai", "Airport arrivals hall, exit B", True),
        (1, 23, "Qinghai Lake at dawn", "Qinghai Lake", "Hotel lobby, 06:30", True),
        (3, 0, "Drive to Maduo", "Maduo, Golog", "Hotel car park", True),
        (5, 2, "Gyaring and Ngoring lakes", "Source of the Yellow River", "", False),
    ]
    for days, hours, title, place, meeting_point, checkpoint in legs:
        start = leaves + timedelta(days=days, hours=hours)
        await add_item(trip.id, ItemIn(title=title, place=place, time_zone="Asia/Shanghai", starts_at=start,
                                       ends_at=start + timedelta(hours=6), meeting_point=meeting_point,
                                       is_checkpoint=checkpoint))
    coordinator = Principal(user_id=coordinator_user_id, role=Role.coordinator, name="demo", member_id=None)
    users = {u["member"]: u["id"] for u in await User.select(User.id, User.member).where(User.member.is_in(member_ids or [0]))}
    required = add_months(returns.date(), 6)
    travelers = []
    for n, member_id in enumerate(member_ids[:4]):
        viewer = Principal(user_id=users.get(member_id, 0), role=Role.member, name="demo", member_id=member_id)
        guests = 1 if n == 0 else 0
        placed = await rsvp(trip.id, member_id, guests, viewer)
        rsvp_id = placed.rsvp.id
        me = await add_traveler(
            rsvp_id, TravelerIn(role=TravelerRole.member, dietary_notes="Vegetarian" if n == 1 else ""), coordinator
        )
        travelers.append(me.id)
        # The last one's passport runs out a month too early: the passport check flags it.
        expiry = required - timedelta(days=30) if n == 3 else date(required.year + 3, 1, 31)
        await put_document(
            me.id, DocumentIn(passport_number=f"E{40_000_000 + member_id}", nationality="CHN", expiry_date=expiry),
            coordinator,
        )
        if guests:
            companion = await add_traveler(rsvp_id, TravelerIn(role=TravelerRole.companion, full_name="Li Na"), coordinator)
            travelers.append(companion.id)
            await put_document(
                companion.id,
                DocumentIn(passport_number="E87654321", nationality="CHN", expiry_date=date(required.year + 5, 6, 30)),
                coordinator,
            )
    twin = await create_room(trip.id, "Maduo 201", RoomKind.twin, coordinator)
    for traveler_id in travelers[:2]:
        await assign_room(twin.id, traveler_id, coordinator)
