"""The measures read the rows the services themselves write: RSVPs, a cancellation and the
waitlist's promotion through the API, a scan at the door and its undoing."""

from __future__ import annotations

from checkin import urls as door
from checkin.measures import urls
from checkin.tables import CheckIn
from events import urls as events_urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


async def test_a_salon_run_through_the_services(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    # Two seats, starting within the hour: any cancellation now is late.
    event = await door_open_event(server, coordinator, capacity=2)
    first, second, third = [await make_member(name) for name in ("First", "Second", "Third")]
    one, _ = await rsvp_and_ticket(server, first, event["id"])
    two, two_token = await rsvp_and_ticket(server, second, event["id"])
    three, _ = await rsvp_and_ticket(server, third, event["id"])
    assert (one["status"], two["status"], three["status"]) == ("confirmed", "confirmed", "waitlisted")
    async with server.client(first.token) as http:
        assert (await http.delete(events_urls.link(events_urls.RSVP, rsvp_id=one["id"]))).status_code == 200
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], str(two_token)))["result"] == "admitted"
    async with server.client(coordinator.token) as http:
        figures = (await http.get(urls.EVENT.replace("{event_id:int}", str(event["id"])))).json()
        assert (figures["rsvps"], figures["confirmed"], figures["joined_waitlist"], figures["promoted"]) == (3, 2, 1, 1)
        assert (figures["waitlisted"], figures["cancelled"], figures["late_cancellations"], figures["checked_in"]) == (0, 1, 1, 1)
        assert figures["fill_rate"] == 1.0 and figures["mean_promotion_wait_s"] >= 0
        admission = await CheckIn.select(CheckIn.id).where(CheckIn.rsvp == two["id"]).first()
        assert admission is not None
        reverted = await http.post(door.CHECK_IN_REVERT.replace("{check_in_id:int}", str(admission["id"])),
                                   json={"reason": "Scanned the wrong ticket"})
        assert reverted.status_code == 200, reverted.text
        after = (await http.get(urls.EVENT.replace("{event_id:int}", str(event["id"])))).json()
        member = (await http.get(urls.MEMBER.replace("{member_id:int}", str(second.member_id)))).json()
    assert after["checked_in"] == 0
    assert (member["attended"], member["last_attended_at"], member["segment"]) == (0, None, "dormant")
    # The undoing took the admission's points back, as an adjustment of its own.
    assert {p["reason"]: p["points"] for p in member["points"]} == {"attendance": 100, "adjustment": -100}
