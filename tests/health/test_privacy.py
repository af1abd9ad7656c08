"""Who may see health bookings: the member and coordinators. Door staff are refused every health
route, another member finds nothing (the services listing patients refuse members themselves),
and every coordinator read leaves an audit row."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from datetime import timedelta

import pytest

from checkin import urls as checkin_urls
from club import clock
from club.accounts import Principal
from club.errors import NotFound
from club.tables import Role
from events import urls as event_urls
from events.reminders import urls as reminder_urls
from events.reminders.tables import CallOutcome, CallStatus, CallTask
from events.urls import link
from health_programs import urls
from health_programs.audit import access_log
from health_programs.bookings import member_bookings, slot_bookings
from health_programs.calls import health_call_list, record_health_call
from health_programs.tables import HealthAccessAudit
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, slot_in

COORDINATOR_ONLY = [
    ("POST", urls.PROGRAMS), ("PATCH", urls.PROGRAM_PREPARATION), ("POST", urls.PROGRAM_CLINICS), ("POST", urls.CLINIC_SLOTS), ("GET", urls.MEMBER_BOOKINGS), ("GET", urls.SLOT_BOOKINGS),
    ("GET", urls.CALLS), ("POST", urls.CALL_OUTCOME), ("GET", urls.ACCESS_AUDIT),
]


def _health_routes(server: LiveServer) -> list[tuple[str, str]]:
    found = []
    for route in server.app.routes:
        path = getattr(route, "path_format", route.path)
        if "health-" not in path:
            continue
        for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
            found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return found


async def test_door_staff_are_refused_every_health_route_and_members_every_coordinator_one(
    server: LiveServer, staff: Caller, member: Caller
) -> None:
    routes = _health_routes(server)
    assert len(routes) == 17
    async with server.client(staff.token) as http:
        for method, path in routes:
            response = await http.request(method, path, json={})
            assert response.status_code == 403, (method, path, response.text)
    async with server.client(member.token) as http:
        for method, template in COORDINATOR_ONLY:
            path = re.sub(r"\{[^}]+\}", "1", template)
            response = await http.request(method, path, json={})
            assert response.status_code == 403, (method, path, response.text)


async def test_another_member_finds_nothing_and_changes_nothing(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    first = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=4)))
    second = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=6)))
    owner, other = await make_member("Owner"), await make_member("Curious Neighbour")
    async with server.client(owner.token) as http:
        booking = (await book(http, prog["id"], first["id"])).json()
    path = link(urls.BOOKING, booking_id=booking["id"])
    async with server.client(other.token) as http:
        read = await http.get(path)
        moved = await http.post(link(urls.BOOKING_MOVE, booking_id=booking["id"]), json={"slot_id": second["id"]})
        cancelled = await http.delete(path)
        mine = (await http.get(urls.MY_BOOKINGS)).json()
    assert (read.status_code, moved.status_code, cancelled.status_code) == (404, 404, 404)
    assert "Owner" not in read.text and mine == []
    async with server.client(owner.token) as http:
        still = (await http.get(path)).json()
    assert still["status"] == "confirmed" and still["slot"]["id"] == first["id"]
    assert await HealthAccessAudit.count() == 0  # members reading their own are not audited


async def test_every_coordinator_read_is_audited_and_listed(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=4)))
    a, b = await make_member("Audited A"), await make_member("Audited B")
    bookings = {}
    for m in (a, b):
        async with server.client(m.token) as http:
            bookings[m.member_id] = (await book(http, prog["id"], s["id"])).json()
    async with server.client(coordinator.token) as http:
        one = await http.get(link(urls.BOOKING, booking_id=bookings[a.member_id]["id"]))
        listed = await http.get(link(urls.MEMBER_BOOKINGS, member_id=b.member_id))
        nobody = await http.get(link(urls.MEMBER_BOOKINGS, member_id=999_999))
        for_a = (await http.get(urls.ACCESS_AUDIT, params={"member_id": a.member_id})).json()
        everything = (await http.get(urls.ACCESS_AUDIT)).json()
    assert one.status_code == 200 and [x["id"] for x in listed.json()] == [bookings[b.member_id]["id"]]
    assert nobody.status_code == 404
    assert [(x["what"], x["subject_id"], x["reader_user_id"]) for x in for_a] == [
        ("booking", bookings[a.member_id]["id"], coordinator.user_id)
    ]
    assert [(x["member_id"], x["what"]) for x in everything] == [(b.member_id, "bookings"), (a.member_id, "booking")]
    assert everything[0]["reader_name"] == "Test coordinator"


async def test_a_slots_list_is_read_through_the_audited_route_and_the_generic_lists_refuse_it(
    server: LiveServer, coordinator: Caller
) -> None:
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=4)), capacity=1)
    first, second = await make_member("Seated"), await make_member("Waiting")
    for m in (first, second):
        async with server.client(m.token) as http:
            await book(http, prog["id"], s["id"])
    generic = [
        link(event_urls.EVENT_ATTENDEES, event_id=s["event_id"]),
        link(event_urls.EVENT_ATTENDEES_CSV, event_id=s["event_id"]),
        link(event_urls.EVENT_WAITLIST, event_id=s["event_id"]),
        link(event_urls.EVENT_WAITLIST_CSV, event_id=s["event_id"]),
        link(reminder_urls.EVENT_REMINDERS, event_id=s["event_id"]),
        link(checkin_urls.NO_SHOWS, event_id=s["event_id"]),
    ]
    async with server.client(coordinator.token) as http:
        refused = [await http.get(path) for path in generic]
        day_list = await http.get(link(urls.SLOT_BOOKINGS, slot_id=s["id"]))
        audit = (await http.get(urls.ACCESS_AUDIT)).json()
    assert [(r.status_code, r.json()["type"].rsplit("/", 1)[-1]) for r in refused] == [(409, "booked-elsewhere")] * 6
    assert not any("Seated" in r.text or "Waiting" in r.text for r in refused)
    assert [(b["member_name"], b["status"]) for b in day_list.json()] == [("Seated", "confirmed"), ("Waiting", "waitlisted")]
    assert sorted((x["member_id"], x["what"], x["subject_id"]) for x in audit) == sorted(
        [(first.member_id, "slot bookings", s["id"]), (second.member_id, "slot bookings", s["id"])]
    )


async def test_the_services_that_list_patients_refuse_a_member_themselves(server: LiveServer, coordinator: Caller) -> None:
    """Not only the routes' guards: called directly as a member (as a page would call them), the
    services that list other members' health data answer NotFound, and leave no audit row."""
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=4)))
    patient, curious = await make_member("Patient"), await make_member("Curious Neighbour")
    async with server.client(patient.token) as http:
        await book(http, prog["id"], s["id"])
    now = clock.now()
    # The concierge's confirmation call, as the reminders' worker would have handed it over.
    [task] = await CallTask.insert(
        CallTask(delivery_key=f"test-call:{patient.member_id}", member=patient.member_id, event=s["event_id"],
                 script="Call to confirm", due_at=now, status=CallStatus.open.value, created_at=now, updated_at=now)
    ).returning(CallTask.id)
    viewer = Principal(user_id=curious.user_id, role=Role.member, name="Curious Neighbour", member_id=curious.member_id)
    refused: list[Awaitable[object]] = [
        slot_bookings(s["id"], viewer),
        member_bookings(patient.member_id, viewer),  # type: ignore[arg-type]
        health_call_list(viewer, True, 100, 0),
        record_health_call(task["id"], CallOutcome.reached, "a note", 0, viewer),
        access_log(viewer, None, 100, 0),
    ]
    for call in refused:
        with pytest.raises(NotFound):
            await call
    assert await CallTask.select(CallTask.outcome).where(CallTask.id == task["id"]).first() == {"outcome": None}
    assert await HealthAccessAudit.count() == 0
    coordinator_viewer = Principal(user_id=coordinator.user_id, role=Role.coordinator, name="Coordinator", member_id=None)
    assert [b.member_id for b in await slot_bookings(s["id"], coordinator_viewer)] == [patient.member_id]
