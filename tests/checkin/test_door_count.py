"""The door's running count, kept by the database (door_count), against a count of the rows.

Every scan answers with "members in / confirmed"; the numbers come from door_count, which
triggers on check_in and rsvp keep. Each step a door and a club take (RSVPs, a waitlist moving,
admissions, a revert and a second admission, a trip's legs admitting one ticket twice) is checked
against what counting the rows says, and against what the door is told.
"""

from __future__ import annotations

from datetime import UTC, datetime

from checkin import urls as door
from checkin.tables import CheckIn, DoorCount
from events import urls
from events.tables import EventTally, Rsvp, RsvpStatus
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


async def counted(event_id: int) -> tuple[int, int]:
    """(members in, confirmed) by counting the rows, as the door's count must say."""
    rows = await CheckIn.select(CheckIn.rsvp).where((CheckIn.event == event_id) & CheckIn.reverted_at.is_null())
    confirmed = await Rsvp.count().where((Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value))
    return len({r["rsvp"] for r in rows}), confirmed


async def kept(event_id: int) -> tuple[int, int]:
    """What the door's count says: the event's shards summed."""
    door = await DoorCount.select(DoorCount.checked_in).where(DoorCount.event == event_id)
    tally = await EventTally.select(EventTally.confirmed).where(EventTally.event == event_id)
    return sum(r["checked_in"] for r in door), sum(r["confirmed"] for r in tally)


async def seats_listed(server: LiveServer, caller: Caller, event_id: int) -> int:
    """The seats taken the event list shows, beside those the confirmed RSVPs hold."""
    async with server.client(caller.token) as http:
        listed = {e["id"]: e["seats_taken"] for e in (await http.get(urls.EVENTS)).json()}
    held = await Rsvp.select(Rsvp.seats).where((Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value))
    assert listed[event_id] == sum(r["seats"] for r in held)
    return listed[event_id]


async def test_the_count_follows_rsvps_the_waitlist_admissions_and_a_revert(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, capacity=3, max_guests=1, attendance_points=50)
    a, b, c = await make_member("周雨"), await make_member("吴昊"), await make_member("李娜")
    a_rsvp, a_code = await rsvp_and_ticket(server, a, event["id"], guests=1)
    b_rsvp, b_code = await rsvp_and_ticket(server, b, event["id"])
    waiting, no_ticket = await rsvp_and_ticket(server, c, event["id"])
    assert waiting["status"] == "waitlisted" and no_ticket is None
    assert await kept(event["id"]) == await counted(event["id"]) == (0, 2)
    assert await seats_listed(server, coordinator, event["id"]) == 3  # 周雨 brings a guest

    async with server.client(staff.token) as http:
        first = await scan(http, event["id"], a_code)  # type: ignore[arg-type]
        second = await scan(http, event["id"], b_code)  # type: ignore[arg-type]
        again = await scan(http, event["id"], a_code)  # type: ignore[arg-type]
    assert [(s["result"], s["checked_in"], s["confirmed"]) for s in (first, second, again)] == [
        ("admitted", 1, 2), ("admitted", 2, 2), ("already_checked_in", 2, 2),
    ]
    assert await kept(event["id"]) == await counted(event["id"]) == (2, 2)

    # A coordinator reverts 周雨's admission; she is scanned in again.
    check_in = await CheckIn.select(CheckIn.id).where(CheckIn.rsvp == a_rsvp["id"]).first()
    assert check_in is not None
    async with server.client(coordinator.token) as http:
        path = door.CHECK_IN_REVERT.replace("{check_in_id:int}", str(check_in["id"]))
        assert (await http.post(path, json={"reason": "scanned the wrong guest"})).status_code == 200
    assert await kept(event["id"]) == await counted(event["id"]) == (1, 2)
    async with server.client(staff.token) as http:
        back = await scan(http, event["id"], a_code)  # type: ignore[arg-type]
    assert (back["result"], back["checked_in"]) == ("admitted", 2)
    assert await kept(event["id"]) == await counted(event["id"]) == (2, 2)

    # Corrections by hand: 吴昊's RSVP is cancelled after his admission, and 李娜 confirmed.
    await Rsvp.update({Rsvp.status: RsvpStatus.cancelled.value}).where(Rsvp.id == b_rsvp["id"])
    assert await kept(event["id"]) == await counted(event["id"]) == (2, 1)
    assert await seats_listed(server, coordinator, event["id"]) == 2
    await Rsvp.update({Rsvp.status: RsvpStatus.confirmed.value}).where(Rsvp.id == waiting["id"])
    assert await kept(event["id"]) == await counted(event["id"]) == (2, 2)
    await Rsvp.update({Rsvp.seats: 1}).where(Rsvp.id == a_rsvp["id"])  # her guest does not come
    assert await seats_listed(server, coordinator, event["id"]) == 2


async def test_a_ticket_admitted_at_two_legs_counts_once_until_both_are_reverted(
    server: LiveServer, coordinator: Caller,
) -> None:
    """Several rows in one statement, as PostgreSQL's triggers see them all at its end."""
    event = await door_open_event(server, coordinator)
    member = await make_member("陈杰")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    legs = [
        CheckIn(event=event["id"], rsvp=rsvp["id"], member=member.member_id, admission_key=f"{rsvp['id']}:i{leg}",
                itinerary_item=leg, checked_in_at=at)
        for leg in (1, 2)
    ]
    await CheckIn.insert(*legs)
    assert await kept(event["id"]) == await counted(event["id"]) == (1, 1)
    await CheckIn.update({CheckIn.reverted_at: at}).where(CheckIn.admission_key == f"{rsvp['id']}:i1")
    assert await kept(event["id"]) == await counted(event["id"]) == (1, 1)  # still in at the second leg
    await CheckIn.update({CheckIn.reverted_at: None}).where(CheckIn.admission_key == f"{rsvp['id']}:i1")
    assert await kept(event["id"]) == await counted(event["id"]) == (1, 1)  # one statement, both legs standing
    await CheckIn.update({CheckIn.reverted_at: at}).where(CheckIn.rsvp == rsvp["id"])
    assert await kept(event["id"]) == await counted(event["id"]) == (0, 1)  # both reverted in one statement
    await CheckIn.delete().where(CheckIn.rsvp == rsvp["id"])
    await Rsvp.delete().where(Rsvp.id == rsvp["id"])
    assert await kept(event["id"]) == await counted(event["id"]) == (0, 0)


async def test_a_statement_of_many_check_ins_counts_as_one_of_a_few(server: LiveServer, coordinator: Caller) -> None:
    """An import writes dozens of check-ins in one statement (PostgreSQL's trigger counts those by
    its aggregates, a scan's few by each RSVP): admitted twice, reverted in bulk, re-admitted."""
    event = await door_open_event(server, coordinator, capacity=40)
    rsvps = [(await rsvp_and_ticket(server, await make_member(f"会员 {n}"), event["id"]))[0] for n in range(30)]
    rows = [(r["id"], r["member_id"]) for r in rsvps]
    now = datetime.now(UTC)

    async def insert(pairs: list[tuple[int, int]], tag: str) -> None:
        values = ", ".join(f"({event['id']}, {rsvp}, {member}, '{tag}-{n}', {{}})" for n, (rsvp, member) in enumerate(pairs))
        await CheckIn.raw(f"INSERT INTO check_in (event, rsvp, member, admission_key, checked_in_at) VALUES {values}",
                          *[now] * len(pairs))

    await insert(rows + rows[:5], "import")  # 35 in one statement, five RSVPs twice
    assert await kept(event["id"]) == await counted(event["id"]) == (30, 30)
    first_twenty = [r for r, _ in rows[:20]]
    await CheckIn.update({CheckIn.reverted_at: now}).where(CheckIn.rsvp.is_in(first_twenty))
    assert await kept(event["id"]) == await counted(event["id"]) == (10, 30)
    await insert(rows[:3], "again")  # a few: counted per RSVP
    assert await kept(event["id"]) == await counted(event["id"]) == (13, 30)
    await CheckIn.delete().where(CheckIn.rsvp.is_in([r for r, _ in rows[20:]]))
    assert await kept(event["id"]) == await counted(event["id"]) == (3, 30)
