"""The door's one-statement admission (PostgreSQL): what it re-checks under its locks.

Its facts are read without a lock, so each test changes what the read saw before the statement
runs, as a concurrent request would, and checks the statement then writes nothing (and the full
path gives the right answer), or, for a balance that moved, that the tier is still earned.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from checkin.quick_admission import admit_in_one_statement, promote_if_reached
from checkin.schemas import ScanAnswer, ScanResult
from checkin.tables import CheckIn, ScanRecord
from club.points import award
from club.tables import Member, MemberStatus, PointsEntry, PointsReason, Tier
from events.tables import Rsvp, RsvpStatus
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.support import backend_name

pytestmark = pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite takes the full path: its writers queue anyway")

NOW = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def _answer() -> ScanAnswer:
    return ScanAnswer(result=ScanResult.admitted, detail="Welcome.", points_awarded=100)


async def _admit(event_id: int, rsvp_id: int, staff: Caller, nonce_key: str = "1:n-1", points: int = 100):  # type: ignore[no-untyped-def]
    return await admit_in_one_statement(rsvp_id, event_id, str(rsvp_id), "A", staff.user_id, NOW, points, nonce_key, _answer())


async def _written(event_id: int) -> tuple[int, int, int]:
    """(check-ins, attendance entries, remembered answers) for the event."""
    return (
        await CheckIn.count().where(CheckIn.event == event_id),
        await PointsEntry.count().where(PointsEntry.note == f"attended event {event_id}"),
        await ScanRecord.count().where(ScanRecord.event == event_id),
    )


async def test_it_admits_once_with_the_points_and_the_answer_kept_for_the_nonce(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    member = await make_member("Camille Roux")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    first = await _admit(event["id"], rsvp["id"], staff)
    assert first is not None and first.points_balance == 0  # the balance as it stood before these points
    assert await _admit(event["id"], rsvp["id"], staff, nonce_key="1:n-2") is None  # admitted already
    assert await _written(event["id"]) == (1, 1, 1)
    row = await Member.select(Member.points_balance).where(Member.id == member.member_id).first()
    assert row is not None and row["points_balance"] == 100


async def test_an_rsvp_cancelled_after_the_read_is_not_admitted(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    member = await make_member("Léa Martin")
    rsvp, token = await rsvp_and_ticket(server, member, event["id"])
    await Rsvp.update({Rsvp.status: RsvpStatus.cancelled.value}).where(Rsvp.id == rsvp["id"])
    assert await _admit(event["id"], rsvp["id"], staff) is None
    assert await _written(event["id"]) == (0, 0, 0)
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], token))["result"] == "cancelled"  # type: ignore[arg-type]


async def test_a_member_suspended_after_the_read_is_not_admitted(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    member = await make_member("Sofia Rossi")
    rsvp, token = await rsvp_and_ticket(server, member, event["id"])
    await Member.update({Member.status: MemberStatus.suspended.value}).where(Member.id == member.member_id)
    assert await _admit(event["id"], rsvp["id"], staff) is None
    assert await _written(event["id"]) == (0, 0, 0)
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], token))["result"] == "suspended"  # type: ignore[arg-type]


async def test_a_nonce_answered_meanwhile_admits_nothing_more(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    first, second = await make_member("Anna Schmidt"), await make_member("Mei Lin")
    first_rsvp, _ = await rsvp_and_ticket(server, first, event["id"])
    second_rsvp, _ = await rsvp_and_ticket(server, second, event["id"])
    assert await _admit(event["id"], first_rsvp["id"], staff, nonce_key="1:same") is not None
    assert await _admit(event["id"], second_rsvp["id"], staff, nonce_key="1:same") is None
    assert await _written(event["id"]) == (1, 1, 1)


async def test_points_that_reach_a_tier_with_an_award_made_meanwhile_still_promote(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    gold = await Tier.select(Tier.points_threshold).where(Tier.name == "Gold").first()
    assert gold is not None
    event = await door_open_event(server, coordinator, attendance_points=100)
    member = await make_member("Chen Jie")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    # The read saw them far from Gold; an award lands before the statement, 50 points short of it.
    await award(member.member_id, gold["points_threshold"] - 50, PointsReason.adjustment, "meanwhile")  # type: ignore[arg-type]
    standing = await _admit(event["id"], rsvp["id"], staff)
    assert standing is not None and standing.points_balance == gold["points_threshold"] - 50
    answer = _answer()
    await promote_if_reached(member.member_id, gold["points_threshold"], standing, 100, answer)  # type: ignore[arg-type]
    assert answer.new_tier == "Gold"
    tier = await Member.select(Member.tier.name).where(Member.id == member.member_id).first()
    assert tier is not None and tier["tier.name"] == "Gold"
