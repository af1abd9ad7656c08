"""Travelers and their passports: members name their own, companions up to their guests,
numbers masked in every answer (coordinators' too), other members' travelers invisible."""

from __future__ import annotations

from club.tables import Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.travel.helpers import add_traveler, link, put_passport, rsvp, trip
from travel import urls


async def test_a_member_names_themselves_and_their_companions_up_to_their_guests(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await trip(server, coordinator)
    member = await make_member("Zhang Min")
    mine = await rsvp(server, member, event["id"], guests=1)
    async with server.client(member.token) as http:
        me = await add_traveler(http, mine["id"], dietary_notes="No pork")
        assert me.status_code == 201, me.text
        assert me.json()["full_name"] == "Zhang Min" and me.json()["role"] == "member"
        again = await add_traveler(http, mine["id"])
        assert again.status_code == 409
        companion = await add_traveler(http, mine["id"], "companion", full_name="Zhang Hua")
        assert companion.status_code == 201, companion.text
        extra = await add_traveler(http, mine["id"], "companion", full_name="Zhang Lei")
        assert extra.status_code == 409 and extra.json()["type"] == "/problems/too-many-companions"
        listed = (await http.get(link(urls.RSVP_TRAVELERS, rsvp_id=mine["id"]))).json()
    assert [(t["full_name"], t["role"]) for t in listed] == [("Zhang Min", "member"), ("Zhang Hua", "companion")]
    assert listed[0]["dietary_notes"] == "No pork"


async def test_the_passport_number_is_masked_to_members_and_coordinators_alike(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    member = await make_member()
    mine = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
        stored = await put_passport(http, traveler["id"], "e12345678", "2035-01-31")
        assert stored.status_code == 200, stored.text
        assert stored.json() == {"passport_number": "•••••5678", "masked": True, "nationality": "FRA", "expiry_date": "2035-01-31"}
        as_member = await http.get(link(urls.RSVP_TRAVELERS, rsvp_id=mine["id"]))
    assert "E12345678" not in as_member.text and as_member.json()[0]["document"]["passport_number"] == "•••••5678"
    async with server.client(coordinator.token) as http:
        doc = (await http.get(link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"]))).json()
        desk = (await http.get(link(urls.TRIP_TRAVELERS, event_id=event["id"]))).json()
    # Only the manifest shows the whole number (tests/travel/test_passport_sealing.py).
    assert doc["passport_number"] == "•••••5678" and doc["masked"] is True
    assert desk[0]["document"]["passport_number"] == "•••••5678"
    staff = await make_user(Role.staff)
    async with server.client(staff.token) as http:
        for path in (link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"]), link(urls.TRIP_TRAVELERS, event_id=event["id"])):
            refused = await http.get(path)
            assert refused.status_code == 403 and "E12345678" not in refused.text


async def test_another_members_travelers_and_documents_answer_404(server: LiveServer, coordinator: Caller) -> None:
    event = await trip(server, coordinator)
    owner, other = await make_member("Owner"), await make_member("Other")
    mine = await rsvp(server, owner, event["id"])
    await rsvp(server, other, event["id"])
    async with server.client(owner.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
        assert (await put_passport(http, traveler["id"], "X9876543", "2035-01-31")).status_code == 200
    async with server.client(other.token) as http:
        answers = [
            await http.get(link(urls.RSVP_TRAVELERS, rsvp_id=mine["id"])),
            await add_traveler(http, mine["id"], "companion", full_name="Intruder"),
            await http.get(link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"])),
            await put_passport(http, traveler["id"], "Y0000000", "2036-01-01"),
            await http.patch(link(urls.TRAVELER, traveler_id=traveler["id"]), json={"dietary_notes": "x"}),
            await http.delete(link(urls.TRAVELER, traveler_id=traveler["id"])),
        ]
    assert [a.status_code for a in answers] == [404] * 6
    assert all("6543" not in a.text for a in answers)


async def test_bad_documents_are_refused(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await trip(server, coordinator)
    mine = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
        bad_number = await put_passport(http, traveler["id"], "12 34", "2035-01-31")
        bad_country = await put_passport(http, traveler["id"], "E1234567", "2035-01-31", nationality="France")
        unknown = await http.put(
            link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"]),
            json={"passport_number": "E1234567", "nationality": "FRA", "expiry_date": "2035-01-31", "photo": "x"},
        )
    assert [r.status_code for r in (bad_number, bad_country, unknown)] == [400, 400, 400]
