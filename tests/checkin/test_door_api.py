"""Scanning at the door over HTTP: each answer, points once, retries, reverts and no-shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from checkin import urls as door
from checkin.attendance import record_no_shows
from checkin.ticket_tokens import TicketClaims, TicketSigner
from club.ledger import balance_of
from club.points import award
from club.tables import PointsEntry, PointsReason
from events import urls
from events.tables import Event
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


async def test_a_confirmed_ticket_is_admitted_once_and_earns_its_points(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=150, max_guests=2)
    guest = await make_member("Amélie Laurent")
    _, token = await rsvp_and_ticket(server, guest, event["id"], guests=2)
    async with server.client(staff.token) as http:
        first = await scan(http, event["id"], token, gate="North")  # type: ignore[arg-type]
        second = await scan(http, event["id"], token, gate="South")  # type: ignore[arg-type]
    assert first["result"] == "admitted" and first["points_awarded"] == 150
    assert first["member"]["name"] == "Amélie Laurent"
    assert "+2 guests" in first["member"]["description"]
    assert (first["checked_in"], first["confirmed"]) == (1, 1)
    assert second["result"] == "already_checked_in"
    assert second["gate"] == "North" and second["checked_in_at"] == first["checked_in_at"]
    assert await balance_of(guest.member_id) == 150  # type: ignore[arg-type]


async def test_the_answer_says_when_attending_lifts_the_tier(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    m = await make_member("Wei Zhang")
    await award(m.member_id, 950, PointsReason.visit, "boutique")  # type: ignore[arg-type]
    _, token = await rsvp_and_ticket(server, m, event["id"])
    async with server.client(staff.token) as http:
        answer = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert answer["result"] == "admitted"
    assert (answer["points_awarded"], answer["new_tier"], answer["member"]["tier"]) == (100, "Gold", "Gold")


async def test_a_retried_scan_with_the_same_nonce_gets_the_same_answer(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    same = nonce()
    async with server.client(staff.token) as http:
        first = await scan(http, event["id"], token, nonce_=same)  # type: ignore[arg-type]
        retry = await scan(http, event["id"], token, nonce_=same)  # type: ignore[arg-type]
        fresh = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert first["result"] == retry["result"] == "admitted"
    assert retry == first
    assert fresh["result"] == "already_checked_in"
    assert await PointsEntry.count().where(PointsEntry.reason == "attendance") == 1


async def test_waitlisted_cancelled_wrong_event_and_replaced_tickets_are_refused(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, capacity=2)
    other = await door_open_event(server, coordinator, title="Another salon")
    seated, leaving, waiting = [await make_member(n) for n in ("Seated", "Leaving", "Waiting")]
    seated_rsvp, seated_token = await rsvp_and_ticket(server, seated, event["id"])
    leaving_rsvp, leaving_token = await rsvp_and_ticket(server, leaving, event["id"])
    waiting_rsvp, no_ticket = await rsvp_and_ticket(server, waiting, event["id"])
    assert waiting_rsvp["status"] == "waitlisted" and no_ticket is None
    signer = TicketSigner(server.settings.secret_key)
    # A genuine signature on a waitlisted RSVP, as if the member had kept an old screenshot.
    waiting_token = signer.issue(TicketClaims(event["id"], waiting_rsvp["id"], 1))
    async with server.client(waiting.token) as http:
        refused = await http.get(urls.link(door.TICKET, rsvp_id=waiting_rsvp["id"]))
    assert refused.status_code == 409
    async with server.client(coordinator.token) as http:
        # Hold the waitlist: capacity drops to 1 so Leaving's seat is not handed on.
        await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"capacity": 1})
    async with server.client(leaving.token) as http:
        assert (await http.delete(urls.link(urls.RSVP, rsvp_id=leaving_rsvp["id"]))).status_code == 200
    async with server.client(seated.token) as http:
        reissued = (await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=seated_rsvp["id"]))).json()
    assert reissued["version"] == 2 and reissued["token"] != seated_token
    async with server.client(staff.token) as http:
        answers = {
            "waitlisted": await scan(http, event["id"], waiting_token),
            "cancelled": await scan(http, event["id"], leaving_token),  # type: ignore[arg-type]
            "wrong event": await scan(http, other["id"], reissued["token"]),
            "replaced": await scan(http, event["id"], seated_token),  # type: ignore[arg-type]
            "forged": await scan(http, event["id"], TicketSigner("not our key").issue(TicketClaims(event["id"], seated_rsvp["id"], 2))),
            "current": await scan(http, event["id"], reissued["token"]),
        }
    assert {k: a["result"] for k, a in answers.items()} == {
        "waitlisted": "not_confirmed",
        "cancelled": "cancelled",
        "wrong event": "wrong_event",
        "replaced": "invalid",
        "forged": "invalid",
        "current": "admitted",
    }
    assert answers["forged"]["member"] is None  # a forgery learns nothing about members


async def test_doors_not_yet_open_and_closed(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    later = datetime.now(UTC) + timedelta(days=3)
    event = await door_open_event(
        server, coordinator, starts_at=later.isoformat(), ends_at=(later + timedelta(hours=2)).isoformat()
    )
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    async with server.client(staff.token) as http:
        early = await scan(http, event["id"], token)  # type: ignore[arg-type]
        # Time passes: the event is over (moved in the database, as the clock would).
        past = datetime.now(UTC) - timedelta(hours=5)
        await Event.update({Event.starts_at: past, Event.ends_at: past + timedelta(hours=2)}).where(Event.id == event["id"])
        late = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert (early["result"], late["result"]) == ("not_open", "closed")
    assert await balance_of(m.member_id) == 0  # type: ignore[arg-type]


async def test_a_coordinator_reverts_a_check_in_and_its_points(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=80)
    m = await make_member()
    _, token = await rsvp_and_ticket(server, m, event["id"])
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], token))["result"] == "admitted"  # type: ignore[arg-type]
    from checkin.tables import CheckIn

    check_in = await CheckIn.select(CheckIn.id).first()
    path = door.CHECK_IN_REVERT.replace("{check_in_id:int}", str(check_in["id"]))  # type: ignore[index]
    async with server.client(staff.token) as http:
        assert (await http.post(path, json={"reason": "wrong guest"})).status_code == 403
    async with server.client(coordinator.token) as http:
        reverted = await http.post(path, json={"reason": "scanned the wrong guest"})
        twice = await http.post(path, json={"reason": "again"})
        figures = (await http.get(urls.link(door.FIGURES, event_id=event["id"]))).json()
    assert reverted.status_code == 200 and reverted.json()["points_reversed"] == 80
    assert twice.status_code == 409
    assert await balance_of(m.member_id) == 0  # type: ignore[arg-type]
    assert figures["checked_in"] == 0
    async with server.client(staff.token) as http:
        again = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert again["result"] == "admitted" and again["points_awarded"] == 80
    assert await balance_of(m.member_id) == 80  # type: ignore[arg-type]


async def test_no_shows_are_recorded_once_after_the_doors_close(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    came, missed = await make_member("Came"), await make_member("Missed")
    _, token = await rsvp_and_ticket(server, came, event["id"])
    await rsvp_and_ticket(server, missed, event["id"])
    async with server.client(staff.token) as http:
        await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert await record_no_shows(datetime.now(UTC)) == 0  # doors still open
    after = datetime.fromisoformat(event["ends_at"]) + timedelta(hours=1)
    assert await record_no_shows(after) == 1
    assert await record_no_shows(after) == 0
    async with server.client(coordinator.token) as http:
        no_shows = (await http.get(urls.link(door.NO_SHOWS, event_id=event["id"]))).json()
        figures = (await http.get(urls.link(door.FIGURES, event_id=event["id"]))).json()
    assert [n["name"] for n in no_shows] == ["Missed"]
    assert (figures["checked_in"], figures["confirmed"], figures["no_shows"]) == (1, 2, 1)


async def test_tickets_are_the_members_own(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator)
    owner, other = await make_member("Owner"), await make_member("Other")
    rsvp, _ = await rsvp_and_ticket(server, owner, event["id"])
    ticket_paths = [p.replace("{rsvp_id:int}", str(rsvp["id"])) for p in (door.TICKET, door.TICKET_SVG, door.TICKET_PNG)]
    async with server.client(other.token) as http:
        for path in ticket_paths:
            assert (await http.get(path)).status_code == 404
        assert (await http.post(door.TICKET_REISSUE.replace("{rsvp_id:int}", str(rsvp["id"])))).status_code == 404
        assert (await http.post(urls.link(door.SCANS, event_id=event["id"]), json={"token": "X", "nonce": nonce()})).status_code == 403
    async with server.client(staff.token) as http:  # door staff scan tickets, they never fetch one
        for path in ticket_paths:
            assert (await http.get(path)).status_code == 403
    async with server.client(owner.token) as http:
        svg = await http.get(ticket_paths[1])
        png = await http.get(ticket_paths[2])
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")


async def test_bad_scan_requests_are_400(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator)
    path = urls.link(door.SCANS, event_id=event["id"])
    async with server.client(staff.token) as http:
        for body in (
            {"token": "X"},  # no nonce
            {"token": "X", "nonce": "short"},
            {"token": "X" * 10_000, "nonce": nonce()},
            {"token": "X", "nonce": nonce(), "gate": "g" * 500},
            {"token": "X", "nonce": nonce(), "seat": 4},
            {"token": 12, "nonce": nonce()},
        ):
            response = await http.post(path, json=body)
            assert response.status_code == 400, body
        unknown = await http.post(urls.link(door.SCANS, event_id=987654), json={
            "token": TicketSigner(server.settings.secret_key).issue(TicketClaims(987654, 1, 1)), "nonce": nonce()})
    assert unknown.status_code == 404
