"""Lists read the database a fixed number of times, whether they show one row or fifty.

Statements are counted by wrapping the engine class's `run_querystring` (every Piccolo query and
`Table.raw` goes through it) for the length of one request to the live server, which runs in
this process on the same engine. No database call is faked: the wrapper calls the real one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from club import clock
from club.accounts import Principal
from club.db import current_engine
from club.tables import Role
from club.token_cache import token_cache
from events import urls
from events.catalog import create_event, publish_event
from events.rsvp import rsvp
from events.schemas import EventCreate
from events.shows import urls as show_urls
from events.shows.catalog import create_show
from events.shows.invitations import invite
from events.shows.schemas import CategoryIn, ShowCreate
from events.tables import EventKind
from health_programs import urls as health_urls
from health_programs.bookings import book
from health_programs.programs import add_clinic, add_slot, create_program
from health_programs.schemas import ClinicIn, ProgramIn, SlotIn
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


class StatementCount:
    def __init__(self) -> None:
        self.statements = 0


@contextlib.contextmanager
def counting_statements() -> Iterator[StatementCount]:
    """Counts the statements sent through the current engine while the block runs."""
    engine = current_engine()
    # On the class: PostgresEngine's instances take no attributes of their own.
    engine_class = type(engine)
    count = StatementCount()
    real = engine_class.run_querystring
    # Each counted request checks its token in the database, as the first of a client's does
    # (club.token_cache keeps it a few seconds after), so the counts compare alike.
    token_cache.clear()

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self is engine:
            count.statements += 1
        return await real(self, *args, **kwargs)

    engine_class.run_querystring = counted  # type: ignore[method-assign]
    try:
        yield count
    finally:
        engine_class.run_querystring = real  # type: ignore[method-assign]


def _as_viewer(who: Caller) -> Principal:
    return Principal(user_id=who.user_id, role=Role.member, name="test", member_id=who.member_id)


async def _waitlisted_on(events: int, me: Caller, holder: Caller, ahead: Caller) -> None:
    """`events` full salons where `me` waits second in line."""
    start = clock.now() + timedelta(days=7)
    for i in range(events):
        event = await create_event(
            EventCreate(
                kind=EventKind.salon, title=f"Salon {i}", venue="Salon", venue_time_zone="Europe/Paris",
                starts_at=start, ends_at=start + timedelta(hours=2), capacity=1,
            ),
            created_by=None,
        )
        await publish_event(event.id)
        for who in (holder, ahead, me):
            await rsvp(event.id, who.member_id, 0, _as_viewer(who))  # type: ignore[arg-type]


async def _counted_get(server: LiveServer, who: Caller, path: str) -> tuple[int, Any]:
    """The statements one GET sends, and its answer."""
    async with server.client(who.token) as http:
        with counting_statements() as count:
            answer = await http.get(path)
    assert answer.status_code == 200, answer.text
    return count.statements, answer.json()


async def _my_rsvps(server: LiveServer, me: Caller) -> tuple[int, list[dict[str, Any]]]:
    return await _counted_get(server, me, urls.MY_RSVPS)


async def test_my_rsvps_reads_as_often_for_fifty_waitlisted_rsvps_as_for_one(server: LiveServer) -> None:
    holder, ahead = await make_member("Holder"), await make_member("Ahead")
    one, fifty = await make_member("One"), await make_member("Fifty")
    await _waitlisted_on(1, one, holder, ahead)
    await _waitlisted_on(50, fifty, holder, ahead)

    few, mine_one = await _my_rsvps(server, one)
    many, mine_fifty = await _my_rsvps(server, fifty)

    assert [(r["status"], r["position"]) for r in mine_one] == [("waitlisted", 2)]
    assert [(r["status"], r["position"]) for r in mine_fifty] == [("waitlisted", 2)] * 50
    assert many == few, f"GET /api/me/rsvps: {few} statements for 1 RSVP, {many} for 50"


# Health bookings: every list shapes a booking with its slot, waitlist place, check-in, calls
# and concierge steps.

async def _programs(count: int, coordinator: Caller, capacity: int = 1, tiers: list[str] | None = None) -> list[tuple[int, int]]:
    """`count` programmes, each with one clinic and one slot ten days ahead: (programme, slot) ids."""
    start = clock.now().replace(microsecond=0) + timedelta(days=10)
    made = []
    for i in range(count):
        program = await create_program(
            ProgramIn(
                name=f"Check-up {i}", year=2027, season_starts_on=clock.now().date() - timedelta(days=30),
                season_ends_on=date(2027, 12, 31), fasting_hours=8, bring="", avoid="", tiers=tiers or [],
            ),
            coordinator.user_id,
        )
        clinic = await add_clinic(program.id, ClinicIn(name="Clinique", address="1 rue de Rivoli", time_zone="Europe/Paris"))
        slot = await add_slot(clinic.id, SlotIn(starts_at=start, ends_at=start + timedelta(hours=1), capacity=capacity), coordinator.user_id)
        made.append((program.id, slot.id))
    return made


async def _booked(programs: list[tuple[int, int]], me: Caller, holder: Caller) -> None:
    """`me` books every slot; on every other one (the first included) `holder` took the one seat
    first, so the list mixes waitlisted and confirmed bookings."""
    for i, (program_id, slot_id) in enumerate(programs):
        if i % 2 == 0:
            await book(program_id, slot_id, _as_viewer(holder))
        await book(program_id, slot_id, _as_viewer(me))


async def _two_members_booked(coordinator: Caller) -> tuple[Caller, Caller]:
    """A member with one (waitlisted) booking and one with fifty (half waitlisted)."""
    holder, one, fifty = await make_member("Holder"), await make_member("One"), await make_member("Fifty")
    await _booked(await _programs(1, coordinator), one, holder)
    await _booked(await _programs(50, coordinator), fifty, holder)
    return one, fifty


def _statuses(bookings: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    return [(b["status"], b["waitlist_position"]) for b in bookings]


async def test_my_health_bookings_read_as_often_for_fifty_as_for_one(server: LiveServer, coordinator: Caller) -> None:
    one, fifty = await _two_members_booked(coordinator)

    few, mine_one = await _counted_get(server, one, health_urls.MY_BOOKINGS)
    many, mine_fifty = await _counted_get(server, fifty, health_urls.MY_BOOKINGS)

    assert _statuses(mine_one) == [("waitlisted", 1)]
    assert _statuses(mine_fifty) == [("waitlisted", 1), ("confirmed", None)] * 25
    assert all(b["concierge_steps"] for b in mine_fifty if b["status"] == "confirmed")
    assert many == few, f"GET /api/me/health-bookings: {few} statements for 1 booking, {many} for 50"


async def test_a_members_health_bookings_read_as_often_for_fifty_as_for_one(server: LiveServer, coordinator: Caller) -> None:
    one, fifty = await _two_members_booked(coordinator)

    few, theirs_one = await _counted_get(server, coordinator, urls.link(health_urls.MEMBER_BOOKINGS, member_id=one.member_id))
    many, theirs_fifty = await _counted_get(server, coordinator, urls.link(health_urls.MEMBER_BOOKINGS, member_id=fifty.member_id))

    assert _statuses(theirs_one) == [("waitlisted", 1)]
    assert _statuses(theirs_fifty) == [("waitlisted", 1), ("confirmed", None)] * 25
    assert many == few, f"GET /api/members/{{id}}/health-bookings: {few} statements for 1 booking, {many} for 50"


async def test_a_slots_bookings_read_as_often_for_fifty_members_as_for_one(server: LiveServer, coordinator: Caller) -> None:
    [(small_program, small_slot)] = await _programs(1, coordinator, capacity=1)
    [(big_program, big_slot)] = await _programs(1, coordinator, capacity=50)
    await book(small_program, small_slot, _as_viewer(await make_member("Alone")))
    for i in range(50):
        await book(big_program, big_slot, _as_viewer(await make_member(f"Patient {i}")))

    few, listed_one = await _counted_get(server, coordinator, urls.link(health_urls.SLOT_BOOKINGS, slot_id=small_slot))
    many, listed_fifty = await _counted_get(server, coordinator, urls.link(health_urls.SLOT_BOOKINGS, slot_id=big_slot))

    assert [b["member_name"] for b in listed_one] == ["Alone"]
    assert [b["member_name"] for b in listed_fifty] == [f"Patient {i}" for i in range(50)]
    assert {b["slot"]["seats_left"] for b in listed_fifty} == {0}
    assert many == few, f"GET /api/health-slots/{{id}}/bookings: {few} statements for 1 booking, {many} for 50"


async def test_the_programme_list_reads_as_often_for_fifty_programmes_as_for_one(server: LiveServer, coordinator: Caller) -> None:
    me = await make_member("Amélie")  # a new member is Silver
    await _programs(1, coordinator, tiers=["Silver"])
    few, listed_one = await _counted_get(server, me, health_urls.PROGRAMS)
    await _programs(24, coordinator, tiers=["Silver", "Gold"])
    await _programs(25, coordinator)  # open to every member
    await _programs(3, coordinator, tiers=["Diamond"])  # not for her: left out
    many, listed_fifty = await _counted_get(server, me, health_urls.PROGRAMS)

    assert len(listed_one) == 1
    assert len(listed_fifty) == 50
    assert {p["tiers"][0] for p in listed_fifty if p["tiers"]} == {"Silver"}
    assert many == few, f"GET /api/health-programs: {few} statements for 1 programme, {many} for 50"


async def _shows(count: int, coordinator: Caller, guests: list[Caller]) -> None:
    """`count` published shows of two categories; the guests are invited to the first one's seats."""
    start = clock.now().replace(microsecond=0) + timedelta(days=30)
    for i in range(count):
        show = await create_show(
            ShowCreate(
                title=f"Couture {i}", venue="Grand Palais", venue_time_zone="Europe/Paris", starts_at=start,
                ends_at=start + timedelta(hours=1), categories=[CategoryIn("Front row", 2), CategoryIn("Second row", 4)],
            ),
            coordinator.user_id,
        )
        await publish_event(show.id)
        await invite(show.id, [g.member_id for g in guests], show.categories[0].id, False, 48, coordinator.user_id)  # type: ignore[misc]


async def test_the_show_list_reads_as_often_for_fifty_shows_as_for_one(server: LiveServer, coordinator: Caller) -> None:
    guests = [await make_member(f"Guest {i}") for i in range(3)]
    await _shows(1, coordinator, guests)
    few, listed_one = await _counted_get(server, coordinator, show_urls.SHOWS)
    await _shows(49, coordinator, guests)
    many, listed_fifty = await _counted_get(server, coordinator, show_urls.SHOWS)

    front_row = [(c["seats_on_offer"], c["queued"], c["seats_free"]) for s in listed_fifty for c in s["categories"][:1]]
    assert len(listed_one) == 1 and len(listed_fifty) == 50
    assert front_row == [(2, 1, 0)] * 50
    assert many == few, f"GET /api/shows: {few} statements for 1 show, {many} for 50"
