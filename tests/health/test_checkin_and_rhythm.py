"""At the clinic: the member's QR ticket admits once and earns the slot's points. A year later:
the member is invited, once, to book the next check-up."""

from __future__ import annotations

from datetime import datetime, timedelta

from club.ledger import balance_of
from club.points import award
from club.settings import Settings
from club.tables import PointsReason
from events.reminders.tables import ReminderMessage
from events.urls import link
from health_programs import urls
from health_programs.reinvitation import send_reinvitations
from health_programs.rules import twelve_months_after
from health_programs.tables import HealthReinvitation
from tests.checkin.helpers import scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.health.helpers import book, clinic, program, slot, slot_in


async def _ticket(server: LiveServer, member: Caller, program_id: int, slot_id: int) -> tuple[dict, str]:
    async with server.client(member.token) as http:
        booking = (await book(http, program_id, slot_id)).json()
        ticket = await http.get(booking["ticket_url"])
    assert ticket.status_code == 200, ticket.text
    return booking, ticket.json()["token"]


async def test_the_clinic_scans_the_ticket_once_and_the_member_earns_the_programs_points(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    prog = await program(server, coordinator, attendance_points=300)
    paris = await clinic(server, coordinator, prog["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(minutes=50)))
    booking, token = await _ticket(server, member, prog["id"], s["id"])
    async with server.client(staff.token) as http:
        first = await scan(http, s["event_id"], token, gate="Clinic desk")
        second = await scan(http, s["event_id"], token, gate="Clinic desk")
    assert first["result"] == "admitted" and first["points_awarded"] == 300
    assert second["result"] == "already_checked_in"
    assert await balance_of(member.member_id) == 300  # type: ignore[arg-type]
    async with server.client(member.token) as http:
        seen = (await http.get(link(urls.BOOKING, booking_id=booking["id"]))).json()
    assert seen["attended"] is True and seen["checked_in_at"] == first["checked_in_at"]


async def test_twelve_months_after_a_completed_check_up_the_member_is_invited_once(
    server: LiveServer, settings: Settings, coordinator: Caller, staff: Caller
) -> None:
    this_year = await program(server, coordinator)
    paris = await clinic(server, coordinator, this_year["id"])
    s = await slot(server, coordinator, paris["id"], slot_in(timedelta(minutes=50)))
    next_opens = (datetime.fromisoformat(s["starts_at"]) + timedelta(days=300)).date()
    next_year = await program(
        server, coordinator, name="Annual check-up 2028", year=2028, tiers=["Gold", "Platinum", "Diamond"],
        season_starts_on=next_opens.isoformat(), season_ends_on="2028-12-31",
    )
    next_slot = await slot(
        server, coordinator, (await clinic(server, coordinator, next_year["id"]))["id"],
        datetime.fromisoformat(s["starts_at"]) + timedelta(days=330),
    )
    regular, early_bird = await make_member("Regular"), await make_member("Early Bird")
    newcomer, no_show = await make_member("Newcomer", language="zh-Hant"), await make_member("No Show")
    for m in (regular, early_bird):
        await award(m.member_id, 800, PointsReason.visit, f"boutique-{m.member_id}")  # type: ignore[arg-type]
    tokens = {m.member_id: (await _ticket(server, m, this_year["id"], s["id"]))[1] for m in (regular, early_bird, newcomer, no_show)}
    async with server.client(staff.token) as http:
        for m in (regular, early_bird, newcomer):  # 300 points each: the first two reach Gold
            assert (await scan(http, s["event_id"], tokens[m.member_id]))["result"] == "admitted"
    async with server.client(early_bird.token) as http:
        early = await book(http, next_year["id"], next_slot["id"])
        assert early.status_code == 201, early.text

    appointment = datetime.fromisoformat(s["starts_at"])
    a_year_on = twelve_months_after(appointment)
    assert await send_reinvitations(settings, now=a_year_on - timedelta(minutes=1)) == 0
    assert await send_reinvitations(settings, now=a_year_on + timedelta(minutes=1)) == 2
    assert await send_reinvitations(settings, now=a_year_on + timedelta(days=1)) == 0  # once per check-up

    messages = {
        m["member"]: m for m in await ReminderMessage.select().where(ReminderMessage.delivery_key.like("health-invite:%"))
    }
    assert set(messages) == {regular.member_id, newcomer.member_id}
    assert messages[regular.member_id]["subject"] == "Time for your next check-up: Annual check-up 2028"
    assert "Annual check-up 2028 is open for booking" in messages[regular.member_id]["body"]
    # Silver: no program they may book is open, so they hear they can book when one opens; in
    # their own language (traditional characters), the clinic as the club wrote it.
    assert messages[newcomer.member_id]["subject"] == "您的下一次體檢"
    assert messages[newcomer.member_id]["body"] == (
        f"尊敬的Newcomer，距您在{paris['name']}的體檢已滿一年。下一期體檢項目尚未開放預約；開放後您即可預約，我們也很樂意協助您選擇預約時間。"
    )
    outcomes = {r["member"]: r["outcome"] for r in await HealthReinvitation.select()}
    # The early bird booked already (no message); the no-show never completed a check-up.
    assert outcomes == {regular.member_id: "invited", newcomer.member_id: "invited", early_bird.member_id: "already_booked"}
