"""The trip's passport rule applied: who fails it and why, and the coordinators' call list
told once per traveler some weeks before departure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from club import clock
from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.rows import rows_as
from events.reminders.tables import CallStatus, CallTask
from events.tables import Event, EventKind, EventStatus, Rsvp, RsvpStatus
from travel.itinerary import load_trip, trip_items
from travel.rows import TRAVELER_COLUMNS, TRIP_COLUMNS, ExpiryRow, PartyRow, TravelerRow, TripRow
from travel.rules import (
    PassportProblem,
    TravelerFacts,
    passport_problems,
    passport_required_until,
    return_date,
)
from travel.schemas import PassportCheckOut, PassportProblemOut
from travel.tables import TravelDocument, Traveler, TravelerRole

__all__ = ["FLAG_WEEKS_BEFORE", "flag_passport_problems", "passport_check", "trip_problems"]

# Far enough ahead to renew a passport (or change the traveler) before departure.
FLAG_WEEKS_BEFORE = 8


async def _returns_on(trip: TripRow) -> date:
    items = await trip_items(trip.id)
    return return_date(trip.ends_at, items[-1].time_zone if items else None, trip.venue_time_zone)


async def _facts(event_id: int) -> list[TravelerFacts]:
    """Everyone travelling on a confirmed RSVP, with a place for each traveler not named yet."""
    rsvps = rows_as(PartyRow, await Rsvp.select(Rsvp.id, Rsvp.member, Rsvp.guests, Rsvp.member.name.as_alias("name")).where(
        (Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value)
    ).order_by(Rsvp.id))
    travelers = rows_as(TravelerRow, await Traveler.select(*TRAVELER_COLUMNS).where(
        Traveler.rsvp.is_in([r.id for r in rsvps] or [0])
    ).order_by(Traveler.id))
    expiry = {
        d.traveler: d.expiry_date
        for d in rows_as(ExpiryRow, await TravelDocument.select(TravelDocument.traveler, TravelDocument.expiry_date).where(
            TravelDocument.traveler.is_in([t.id for t in travelers] or [0])
        ))
    }
    facts: list[TravelerFacts] = []
    for r in rsvps:
        own = [t for t in travelers if t.rsvp == r.id]
        members = [t for t in own if t.role == TravelerRole.member]
        companions = [t for t in own if t.role == TravelerRole.companion]
        for t in members + companions:
            facts.append(TravelerFacts(t.id, r.id, r.member, t.full_name, t.role, expiry.get(t.id)))
        if not members:
            facts.append(TravelerFacts(None, r.id, r.member, r.name, TravelerRole.member, None))
        for n in range(len(companions), r.guests):
            facts.append(TravelerFacts(None, r.id, r.member, f"{r.name}'s companion {n + 1}", TravelerRole.companion, None))
    return facts


async def trip_problems(trip: TripRow) -> tuple[date, int, list[PassportProblem]]:
    returns_on = await _returns_on(trip)
    facts = await _facts(trip.id)
    return returns_on, len(facts), passport_problems(facts, returns_on)


async def passport_check(event_id: int, viewer: Principal) -> PassportCheckOut:
    """Who fails the passport rule on the trip, and why: a list of other people, for
    coordinators only (anyone else: 404)."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    trip = await load_trip(event_id)
    returns_on, checked, problems = await trip_problems(trip)
    return PassportCheckOut(
        event_id=event_id, returns_on=returns_on, required_until=passport_required_until(returns_on),
        travelers_checked=checked,
        problems=[
            PassportProblemOut(
                traveler_id=p.traveler_id, rsvp_id=p.rsvp_id, member_id=p.member_id, name=p.name, role=p.role,
                reason=p.reason, detail=p.detail, expiry_date=p.expiry_date,
            )
            for p in problems
        ],
    )


def _flag_key(event_id: int, problem: PassportProblem) -> str:
    """Once per traveler (or unnamed place) per trip, whatever the number of runs."""
    who = f"t{problem.traveler_id}" if problem.traveler_id is not None else f"r{problem.rsvp_id}{problem.role.value[0]}"
    return f"passport:{event_id}:{who}"


async def flag_passport_problems(now: datetime | None = None) -> int:
    """For published trips departing within FLAG_WEEKS_BEFORE weeks, put a call task on the
    coordinators' list for each traveler failing the passport rule, once. Returns how many new."""
    now = now or clock.now()
    trips = rows_as(TripRow, await Event.select(*TRIP_COLUMNS).where(
        (Event.kind == EventKind.trip.value)
        & (Event.status == EventStatus.published.value)
        & (Event.starts_at > now)
        & (Event.starts_at <= now + timedelta(weeks=FLAG_WEEKS_BEFORE))
    ).order_by(Event.starts_at))
    flagged = 0
    for trip in trips:
        _, _, problems = await trip_problems(trip)
        if not problems:
            continue
        async with write_transaction():
            rows = await CallTask.insert(
                *[
                    CallTask(
                        delivery_key=_flag_key(trip.id, p), member=p.member_id, event=trip.id, rsvp=p.rsvp_id,
                        script=f"Passport check for {trip.title}: {p.detail} Ask the member to send a valid passport.",
                        due_at=now, status=CallStatus.open.value, created_at=now, updated_at=now,
                    )
                    for p in problems
                ]
            ).on_conflict(target=CallTask.delivery_key, action="DO NOTHING").returning(CallTask.id)
            flagged += len(rows)
    return flagged
