"""Booking a check-up over HTTP: one a program, the waitlist, cancelling, moving within the rules."""

from __future__ import annotations

from datetime import timedelta

from events import urls as event_urls
from events.urls import link
from health_programs import urls
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, slot_in, step_rows


async def _setup(server: LiveServer, coordinator: Caller, capacity: int = 4, days: int = 10) -> tuple[dict, dict, dict]:
    prog = await program(server, coordinator)
    paris = await clinic(server, coordinator, prog["id"])
    first = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=days)), capacity=capacity)
    second = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=days + 2)), capacity=capacity)
    return prog, first, second


async def test_a_member_books_one_slot_a_program_and_a_repeat_changes_nothing(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    prog, first, second = await _setup(server, coordinator)
    async with server.client(member.token) as http:
        booked = await book(http, prog["id"], first["id"])
        again = await book(http, prog["id"], first["id"])
        other = await book(http, prog["id"], second["id"])
        mine = (await http.get(urls.MY_BOOKINGS)).json()
        slots = (await http.get(link(urls.PROGRAM_SLOTS, program_id=prog["id"]))).json()
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["status"] == "confirmed" and body["slot"]["id"] == first["id"] and body["ticket_url"]
    assert body["slot"]["starts_local"].endswith(("+01:00", "+02:00"))  # the Paris clinic's clock
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert other.status_code == 409 and other.json()["type"] == "/problems/already-booked"
    assert other.json()["booking_id"] == body["id"]
    assert [b["id"] for b in mine] == [body["id"]]
    assert {s["id"]: s["seats_left"] for s in slots} == {first["id"]: 3, second["id"]: 4}


async def test_slots_refuse_the_generic_rsvp_and_stay_out_of_members_event_list(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    prog, first, _ = await _setup(server, coordinator)
    async with server.client(member.token) as http:
        direct = await http.post(link(event_urls.EVENT_RSVP, event_id=first["event_id"]), json={})
        listed = (await http.get(event_urls.EVENTS)).json()
        programs = (await http.get(urls.PROGRAMS)).json()
    assert direct.status_code == 409 and direct.json()["type"] == "/problems/booked-elsewhere"
    assert first["event_id"] not in [e["id"] for e in listed]
    assert [p["id"] for p in programs] == [prog["id"]]
    assert programs[0]["preparation"]["text"].startswith("Nothing to eat for 10 hours")


async def test_only_the_programs_tiers_may_book(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator, tiers=["Gold", "Platinum"])
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(days=5)))
    silver = await make_member("No Tier Yet")
    async with server.client(silver.token) as http:
        refused = await book(http, prog["id"], s["id"])
        hidden = await http.get(link(urls.PROGRAM, program_id=prog["id"]))
        listed = (await http.get(urls.PROGRAMS)).json()
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/not-eligible"
    assert refused.json()["detail"] == "You are not eligible for this program: this program is for Gold, Platinum members."
    assert refused.json()["reasons"] == ["this program is for Gold, Platinum members"]
    assert hidden.status_code == 404 and listed == []
    # A member who reads Chinese is told in Chinese, the tiers by their Chinese names.
    li = await make_member("李娜", language="zh-Hans")
    async with server.client(li.token) as http:
        chinese = (await book(http, prog["id"], s["id"])).json()
    assert chinese["detail"] == "您暂不符合此体检项目的预约条件：此体检项目面向金卡、白金卡会员。如有疑问，请联系会员顾问。"
    assert chinese["reasons"] == ["this program is for Gold, Platinum members"]


async def test_a_full_slot_waitlists_and_a_cancellation_moves_it_up(server: LiveServer, coordinator: Caller) -> None:
    prog, first, second = await _setup(server, coordinator, capacity=1)
    holder, waiting = await make_member("Holder"), await make_member("Waiting")
    async with server.client(holder.token) as http:
        held = (await book(http, prog["id"], first["id"])).json()
    async with server.client(waiting.token) as http:
        queued = (await book(http, prog["id"], first["id"])).json()
        # Waitlisted is still this program's booking: no second slot meanwhile.
        assert (await book(http, prog["id"], second["id"])).status_code == 409
    assert (queued["status"], queued["waitlist_position"], queued["ticket_url"]) == ("waitlisted", 1, None)
    assert await step_rows(queued["rsvp_id"]) == []  # no reminders while waiting
    async with server.client(holder.token) as http:
        cancelled = await http.delete(link(urls.BOOKING, booking_id=held["id"]))
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        assert {r["status"] for r in await step_rows(held["rsvp_id"])} == {"cancelled"}
        # Cancelled, the member may book again: here the other slot.
        rebooked = await book(http, prog["id"], second["id"])
    assert rebooked.status_code == 201 and rebooked.json()["id"] == held["id"] and rebooked.json()["status"] == "confirmed"
    async with server.client(waiting.token) as http:
        promoted = (await http.get(link(urls.BOOKING, booking_id=queued["id"]))).json()
    assert promoted["status"] == "confirmed"
    assert [r["status"] for r in await step_rows(queued["rsvp_id"])] == ["scheduled"] * 4


async def test_moving_cancels_the_old_reminders_and_times_new_ones_to_the_new_appointment(
    server: LiveServer, coordinator: Caller
) -> None:
    prog, first, second = await _setup(server, coordinator, capacity=1)
    mover, waiting = await make_member("Mover", time_zone="Asia/Shanghai"), await make_member("Next In Line")
    async with server.client(mover.token) as http:
        booking = (await book(http, prog["id"], first["id"])).json()
    async with server.client(waiting.token) as http:
        queued = (await book(http, prog["id"], first["id"])).json()
    before = await step_rows(booking["rsvp_id"])
    async with server.client(mover.token) as http:
        moved = await http.post(link(urls.BOOKING_MOVE, booking_id=booking["id"]), json={"slot_id": second["id"]})
    assert moved.status_code == 200, moved.text
    after = moved.json()
    assert after["slot"]["id"] == second["id"] and after["status"] == "confirmed" and after["moves"] == 1
    assert after["rsvp_id"] != booking["rsvp_id"]
    assert [r["status"] for r in await step_rows(booking["rsvp_id"])] == ["cancelled"] * 4
    new = await step_rows(after["rsvp_id"])
    # The new slot is two days later: every step moves by two days in the member's calendar.
    assert [r["status"] for r in new] == ["scheduled"] * 4
    assert [n["due_at"] - b["due_at"] for n, b in zip(new, before, strict=True)] == [timedelta(days=2)] * 4
    async with server.client(waiting.token) as http:
        promoted = (await http.get(link(urls.BOOKING, booking_id=queued["id"]))).json()
    assert promoted["status"] == "confirmed"  # the freed seat went to the waitlist


async def test_moves_refused_by_the_rules_change_nothing(server: LiveServer, coordinator: Caller) -> None:
    prog, soon, later = await _setup(server, coordinator, capacity=1, days=3)
    other_prog = await program(server, coordinator, name="Cardiology check 2027")
    other_clinic = await clinic(server, coordinator, other_prog["id"], "Heart Centre", "Asia/Shanghai")
    elsewhere = await slot(server, coordinator, other_clinic["id"], slot_in(timedelta(days=6)))
    tomorrow = await slot(server, coordinator, (await clinic(server, coordinator, prog["id"], "Late Clinic"))["id"], slot_in(timedelta(hours=20)))
    a, b = await make_member("A"), await make_member("B")
    async with server.client(b.token) as http:
        assert (await book(http, prog["id"], later["id"])).json()["status"] == "confirmed"  # the later slot is now full
    async with server.client(a.token) as http:
        booking = (await book(http, prog["id"], soon["id"])).json()
        path = link(urls.BOOKING_MOVE, booking_id=booking["id"])
        full = await http.post(path, json={"slot_id": later["id"]})
        wrong = await http.post(path, json={"slot_id": elsewhere["id"]})
        same = await http.post(path, json={"slot_id": soon["id"]})
        missing = await http.post(path, json={"slot_id": 999_999})
        # Into a slot starting within the day is fine; out of one is too late.
        into_tomorrow = await http.post(path, json={"slot_id": tomorrow["id"]})
        assert into_tomorrow.status_code == 200, into_tomorrow.text
        too_late = await http.post(path, json={"slot_id": soon["id"]})
        unchanged = (await http.get(link(urls.BOOKING, booking_id=booking["id"]))).json()
    assert full.status_code == 409 and full.json()["type"] == "/problems/slot-full"
    assert wrong.status_code == 409 and wrong.json()["type"] == "/problems/wrong-program"
    assert same.status_code == 409 and same.json()["type"] == "/problems/same-slot"
    assert missing.status_code == 404
    assert too_late.status_code == 409 and too_late.json()["type"] == "/problems/move-too-late"
    assert unchanged["slot"]["id"] == tomorrow["id"] and unchanged["status"] == "confirmed"
    # A coordinator arranging it with the clinic may still move it.
    async with server.client(coordinator.token) as http:
        by_club = await http.post(path, json={"slot_id": soon["id"]})
    assert by_club.status_code == 200 and by_club.json()["slot"]["id"] == soon["id"]


async def test_bad_bodies_and_out_of_season_slots_are_refused(server: LiveServer, coordinator: Caller) -> None:
    prog = await program(server, coordinator, season_ends_on="2027-01-31")
    paris = await clinic(server, coordinator, prog["id"])
    async with server.client(coordinator.token) as http:
        late = await http.post(
            link(urls.CLINIC_SLOTS, clinic_id=paris["id"]),
            json={"starts_at": "2027-02-01T09:00:00+01:00", "ends_at": "2027-02-01T10:00:00+01:00", "capacity": 2},
        )
        assert late.status_code == 400 and late.json()["type"] == "/problems/outside-season"
        for path, body in (
            (urls.PROGRAMS, {"name": "x", "year": 2027, "season_starts_on": "2027-02-01", "season_ends_on": "2027-01-01"}),
            (urls.PROGRAMS, {"name": "x", "year": 2027, "season_starts_on": "2027-01-01", "season_ends_on": "2027-12-31", "tiers": ["Bronze"]}),
            (urls.PROGRAMS, {"name": "x", "year": 2027, "season_starts_on": "2027-01-01", "season_ends_on": "2027-12-31", "blood_type": "A"}),
            (link(urls.PROGRAM_CLINICS, program_id=prog["id"]), {"name": "x", "time_zone": "Mars/Olympus"}),
            (link(urls.CLINIC_SLOTS, clinic_id=paris["id"]), {"starts_at": "2027-01-10T09:00:00", "ends_at": "2027-01-10T10:00:00", "capacity": 2}),
        ):
            response = await http.post(path, json=body)
            assert response.status_code == 400, (path, body, response.text)
