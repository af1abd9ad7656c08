"""Scans decided offline and sent later: the earliest admission stands, every disagreement is
recorded for the coordinators, points are paid once, and a batch sent again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from checkin import urls as door
from checkin.sync_rules import MAX_BATCH
from checkin.tables import CheckIn, DoorConflict, ScanRecord
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club.ledger import balance_of
from club.tables import PointsEntry, Role
from events import urls
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user


def offline(token: str, at: datetime, gate: str = "A", result: str = "admitted", nonce_: str | None = None) -> dict[str, Any]:
    return {"token": token, "nonce": nonce_ or nonce(), "gate": gate, "scanned_at": at.isoformat(), "result": result}


async def send(http: httpx.AsyncClient, event_id: int, *scans: dict[str, Any]) -> httpx.Response:
    return await http.post(urls.link(door.SCAN_BATCHES, event_id=event_id), json={"scans": list(scans)})


async def sent(http: httpx.AsyncClient, event_id: int, *scans: dict[str, Any]) -> dict[str, Any]:
    response = await send(http, event_id, *scans)
    assert response.status_code == 200, response.text
    return response.json()


def minutes_ago(n: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=n)


async def test_an_offline_admission_lands_at_the_gates_time_with_its_points(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=80)
    m = await make_member("Sofia Rossi")
    _, token = await rsvp_and_ticket(server, m, event["id"])
    at = minutes_ago(7)
    async with server.client(staff.token) as http:
        answer = await sent(http, event["id"], offline(token, at, gate="Garden"))  # type: ignore[arg-type]
        online = await scan(http, event["id"], token)  # type: ignore[arg-type]
    [result] = answer["results"]
    assert (result["outcome"], result["points_awarded"], answer["checked_in"]) == ("admitted", 80, 1)
    row = await CheckIn.select().where(CheckIn.id == result["check_in_id"]).first()
    assert row is not None and row["gate"] == "Garden" and row["decided_offline"] is True
    assert row["checked_in_at"].replace(tzinfo=UTC) == at
    # The other gates, online, now see them in since the offline gate's time.
    assert online["result"] == "already_checked_in" and online["gate"] == "Garden"
    assert await balance_of(m.member_id) == 80  # type: ignore[arg-type]


async def test_two_gates_that_admitted_one_ticket_offline_give_the_earliest_admission_and_a_duplicate(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=50)
    m = await make_member("Marco Bianchi")
    _, token = await rsvp_and_ticket(server, m, event["id"])
    north, south = await make_user(Role.staff), await make_user(Role.staff)
    north_at, south_at = minutes_ago(9), minutes_ago(3)
    # South synced first with the later scan; North's earlier one arrives after it.
    async with server.client(south.token) as http:
        later = (await sent(http, event["id"], offline(token, south_at, gate="South")))["results"][0]  # type: ignore[arg-type]
    async with server.client(north.token) as http:
        earlier = (await sent(http, event["id"], offline(token, north_at, gate="North")))["results"][0]  # type: ignore[arg-type]
    assert (later["outcome"], earlier["outcome"]) == ("admitted", "admitted")
    assert later["check_in_id"] == earlier["check_in_id"]
    [admission] = await CheckIn.select().where(CheckIn.event == event["id"])
    assert (admission["gate"], admission["scanned_by"]) == ("North", north.user_id)
    assert admission["checked_in_at"].replace(tzinfo=UTC) == north_at
    [duplicate] = await DoorConflict.select().where(DoorConflict.event == event["id"])
    assert (duplicate["kind"], duplicate["gate"], duplicate["scanned_by"], duplicate["check_in"]) == (
        "duplicate", "South", south.user_id, admission["id"])
    assert duplicate["scanned_at"].replace(tzinfo=UTC) == south_at
    assert await PointsEntry.count().where(PointsEntry.member == m.member_id) == 1
    assert await balance_of(m.member_id) == 50  # type: ignore[arg-type]
    # And a third gate, later still, is one more duplicate.
    async with server.client(south.token) as http:
        third = (await sent(http, event["id"], offline(token, minutes_ago(1), gate="Garden")))["results"][0]  # type: ignore[arg-type]
    assert (third["outcome"], third["check_in_id"]) == ("duplicate", admission["id"])
    async with server.client(coordinator.token) as http:
        conflicts = (await http.get(urls.link(door.DOOR_CONFLICTS, event_id=event["id"]))).json()
    assert [(c["kind"], c["gate"], c["admitted_gate"], c["member_name"]) for c in conflicts] == [
        ("duplicate", "South", "North", "Marco Bianchi"), ("duplicate", "Garden", "North", "Marco Bianchi"),
    ]


async def test_tickets_revoked_while_the_gate_was_offline_are_reported_not_hidden(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=50)
    reissued, leaving = await make_member("Reissued"), await make_member("Leaving")
    reissued_rsvp, old_token = await rsvp_and_ticket(server, reissued, event["id"])
    leaving_rsvp, leaving_token = await rsvp_and_ticket(server, leaving, event["id"])
    async with server.client(reissued.token) as http:
        assert (await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=reissued_rsvp["id"]))).status_code == 200
    async with server.client(leaving.token) as http:
        assert (await http.delete(urls.link(urls.RSVP, rsvp_id=leaving_rsvp["id"]))).status_code == 200
    async with server.client(staff.token) as http:
        answer = await sent(http, event["id"], offline(old_token, minutes_ago(5)), offline(leaving_token, minutes_ago(4)))  # type: ignore[arg-type]
    assert [(r["outcome"], r["result"], r["points_awarded"]) for r in answer["results"]] == [
        ("admitted_while_revoked", "invalid", 0), ("admitted_while_revoked", "cancelled", 0),
    ]
    assert await CheckIn.count().where(CheckIn.event == event["id"]) == 0
    assert await PointsEntry.count().where(PointsEntry.member.is_in([reissued.member_id, leaving.member_id])) == 0
    async with server.client(coordinator.token) as http:
        conflicts = (await http.get(urls.link(door.DOOR_CONFLICTS, event_id=event["id"]))).json()
    assert [(c["kind"], c["member_name"], c["admitted_at"]) for c in conflicts] == [
        ("admitted_while_revoked", "Reissued", None), ("admitted_while_revoked", "Leaving", None),
    ]


async def test_refusals_forgeries_and_late_admissions_are_each_told_apart(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    turned_away, early = await make_member("Turned away"), await make_member("Too early")
    _, away_token = await rsvp_and_ticket(server, turned_away, event["id"])
    _, early_token = await rsvp_and_ticket(server, early, event["id"])
    forged = TicketSigner("a forger's key").issue(TicketClaims(event["id"], 1, 1))
    opens = datetime.fromisoformat(event["starts_at"]) - timedelta(hours=3)
    async with server.client(staff.token) as http:
        answer = await sent(
            http, event["id"],
            offline(away_token, minutes_ago(2), result="not_confirmed"),  # type: ignore[arg-type]
            offline(forged, minutes_ago(2)),
            offline(early_token, opens - timedelta(minutes=10)),  # type: ignore[arg-type]  # a gate's clock before opening
        )
    assert [(r["outcome"], r["result"]) for r in answer["results"]] == [
        ("refused", "not_confirmed"), ("invalid", "invalid"), ("admitted_outside_hours", "not_open"),
    ]
    assert await CheckIn.count().where(CheckIn.event == event["id"]) == 0
    kinds = await DoorConflict.select(DoorConflict.kind).where(DoorConflict.event == event["id"])
    assert [k["kind"] for k in kinds] == ["admitted_outside_hours"]


async def test_a_batch_sent_again_gives_the_same_outcomes_and_changes_nothing(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=30)
    a, b = await make_member("A"), await make_member("B")
    _, a_token = await rsvp_and_ticket(server, a, event["id"])
    _, b_token = await rsvp_and_ticket(server, b, event["id"])
    scans = [offline(a_token, minutes_ago(6)), offline(a_token, minutes_ago(5), gate="B"), offline(b_token, minutes_ago(4))]  # type: ignore[arg-type]
    async with server.client(staff.token) as http:
        first = await sent(http, event["id"], *scans)
        again = await sent(http, event["id"], *scans)
    assert first == again
    assert [r["outcome"] for r in first["results"]] == ["admitted", "duplicate", "admitted"]
    assert await CheckIn.count().where(CheckIn.event == event["id"]) == 2
    assert await DoorConflict.count().where(DoorConflict.event == event["id"]) == 1
    assert await PointsEntry.count().where(PointsEntry.member.is_in([a.member_id, b.member_id])) == 2


async def test_a_scan_whose_online_answer_was_lost_is_not_admitted_twice(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=30)
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    same = nonce()
    async with server.client(staff.token) as http:
        online = await scan(http, event["id"], token, nonce_=same)  # type: ignore[arg-type]  # reached the server; the gate never heard
        answer = await sent(http, event["id"], offline(token, minutes_ago(0), nonce_=same))  # type: ignore[arg-type]
    assert online["result"] == "admitted"
    assert answer["results"][0]["outcome"] == "admitted"
    assert await CheckIn.count().where(CheckIn.event == event["id"]) == 1
    assert await DoorConflict.count().where(DoorConflict.event == event["id"]) == 0
    assert await balance_of(m.member_id) == 30  # type: ignore[arg-type]


async def test_bad_batches_are_refused_whole_before_anything_is_written(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    good = offline(token, minutes_ago(1))  # type: ignore[arg-type]
    twice = nonce()
    async with server.client(staff.token) as http:
        answers = {
            "empty": await send(http, event["id"]),
            "too many": await send(http, event["id"], *[offline(token, minutes_ago(1)) for _ in range(MAX_BATCH + 1)]),  # type: ignore[arg-type]
            "no offset": await send(http, event["id"], {**good, "scanned_at": "2026-12-01T19:00:00"}),
            "unknown result": await send(http, event["id"], {**good, "result": "waved_through"}),
            "same nonce twice": await send(http, event["id"], {**good, "nonce": twice}, {**good, "nonce": twice}),
            "unknown meeting point": await send(http, event["id"], good, {**offline(token, minutes_ago(1)), "item": 999_999}),  # type: ignore[arg-type]
            "unknown event": await send(http, 2_000_000, good),
        }
    async with server.client(member.token) as http:
        as_member = await send(http, event["id"], good)
    assert {k: r.status_code for k, r in answers.items()} == {
        "empty": 400, "too many": 400, "no offset": 400, "unknown result": 400, "same nonce twice": 400,
        "unknown meeting point": 404, "unknown event": 404,
    }
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in answers.values())
    assert as_member.status_code == 403
    assert await CheckIn.count().where(CheckIn.event == event["id"]) == 0
    assert await ScanRecord.count().where(ScanRecord.event == event["id"]) == 0
    # A full batch fits the body limit (it is the queue's unit of sending).
    async with server.client(staff.token) as http:
        full = await send(http, event["id"], *[offline(token, minutes_ago(1)) for _ in range(MAX_BATCH - 1)], good)  # type: ignore[arg-type]
    assert full.status_code == 200, full.text
    assert [r["outcome"] for r in full.json()["results"]].count("admitted") == 1


async def test_a_gate_whose_clock_runs_ahead_cannot_admit_in_the_future(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    before = datetime.now(UTC)
    async with server.client(staff.token) as http:
        answer = await sent(http, event["id"], offline(token, before + timedelta(hours=3)))  # type: ignore[arg-type]
    after = datetime.now(UTC)
    assert answer["results"][0]["outcome"] == "admitted"
    row = await CheckIn.select(CheckIn.checked_in_at).where(CheckIn.event == event["id"]).first()
    assert row is not None and before - timedelta(seconds=1) <= row["checked_in_at"].replace(tzinfo=UTC) <= after
