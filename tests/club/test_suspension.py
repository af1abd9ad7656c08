"""A suspended membership over real HTTP: refused at the door, earns nothing, its ticket and
calendar feed refused with a reason; reactivation gives every one of them back."""

from __future__ import annotations

import pytest

from checkin import urls as door
from checkin.tables import CheckIn
from club import urls as club_urls
from club.ledger import balance_of
from club.points import award
from club.suspension import MemberSuspended
from club.tables import PointsReason
from events import urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

SUSPENDED = "/problems/member-suspended"


async def _set_status(server: LiveServer, coordinator: Caller, member: Caller, action: str) -> None:
    path = club_urls.MEMBER_SUSPEND if action == "suspend" else club_urls.MEMBER_REACTIVATE
    async with server.client(coordinator.token) as http:
        response = await http.post(path.replace("{member_id:int}", str(member.member_id)))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == ("suspended" if action == "suspend" else "active")


async def test_a_suspended_member_is_refused_at_the_door_with_a_reason_until_reactivated(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=200)
    guest = await make_member("Hélène Marchand")
    _, token = await rsvp_and_ticket(server, guest, event["id"])
    await _set_status(server, coordinator, guest, "suspend")
    async with server.client(staff.token) as http:
        refused = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert refused["result"] == "suspended" and "suspended" in refused["detail"].lower()
    assert refused["member"]["name"] == "Hélène Marchand"  # the door knows whom it turns away
    assert refused["points_awarded"] == 0 and refused["checked_in"] == 0
    assert await CheckIn.count() == 0
    assert await balance_of(guest.member_id) == 0  # type: ignore[arg-type]

    await _set_status(server, coordinator, guest, "reactivate")
    async with server.client(staff.token) as http:
        admitted = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert admitted["result"] == "admitted" and admitted["points_awarded"] == 200
    assert await balance_of(guest.member_id) == 200  # type: ignore[arg-type]


async def test_a_suspended_members_ticket_is_a_403_problem_in_every_form_and_comes_back(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    guest = await make_member()
    rsvp, _ = await rsvp_and_ticket(server, guest, event["id"])
    paths = [door.TICKET, door.TICKET_SVG, door.TICKET_PNG]
    await _set_status(server, coordinator, guest, "suspend")
    for who in (guest, coordinator):  # a coordinator cannot fetch it to hand on either
        async with server.client(who.token) as http:
            for path in paths:
                response = await http.get(urls.link(path, rsvp_id=rsvp["id"]))
                assert response.status_code == 403, (path, response.text)
                assert response.headers["content-type"].startswith("application/problem+json")
                assert response.json()["type"] == SUSPENDED and "suspended" in response.json()["detail"]
    async with server.client(guest.token) as http:
        reissue = await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=rsvp["id"]))
    assert reissue.status_code == 403 and reissue.json()["type"] == SUSPENDED

    await _set_status(server, coordinator, guest, "reactivate")
    async with server.client(guest.token) as http:
        for path in paths:
            assert (await http.get(urls.link(path, rsvp_id=rsvp["id"]))).status_code == 200, path


async def test_a_suspended_members_calendar_feed_answers_403_and_the_same_url_works_again(
    server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, title="Private viewing")
    guest = await make_member()
    await rsvp_and_ticket(server, guest, event["id"])
    async with server.client(guest.token) as http:
        feed_url = (await http.post(urls.MY_CALENDAR_FEED)).json()["url"].removeprefix("http://testserver")
    await _set_status(server, coordinator, guest, "suspend")
    async with server.client() as calendar_app:
        refused = await calendar_app.get(feed_url)
    assert refused.status_code == 403 and refused.json()["type"] == SUSPENDED
    assert b"Private viewing" not in refused.content

    await _set_status(server, coordinator, guest, "reactivate")
    async with server.client() as calendar_app:
        again = await calendar_app.get(feed_url)
    assert again.status_code == 200 and b"Private viewing" in again.content


async def test_a_suspended_member_earns_no_points_but_coordinators_may_still_correct(
    server: LiveServer, coordinator: Caller
) -> None:
    guest = await make_member()
    await award(guest.member_id, 300, PointsReason.visit, "boutique-1")  # type: ignore[arg-type]
    await _set_status(server, coordinator, guest, "suspend")
    for reason in (PointsReason.attendance, PointsReason.referral, PointsReason.birthday, PointsReason.visit):
        with pytest.raises(MemberSuspended):
            await award(guest.member_id, 50, reason, "while-suspended")  # type: ignore[arg-type]
    # Taking points away still lands (an expiry, a reverted admission); so does an adjustment.
    await award(guest.member_id, -100, PointsReason.expiry, "2027")  # type: ignore[arg-type]
    async with server.client(coordinator.token) as http:
        path = club_urls.MEMBER_ADJUSTMENTS.replace("{member_id:int}", str(guest.member_id))
        adjusted = await http.post(path, json={"delta": 40, "reason": "Goodwill after a complaint"})
    assert adjusted.status_code in (200, 201), adjusted.text
    assert await balance_of(guest.member_id) == 240  # type: ignore[arg-type]

    await _set_status(server, coordinator, guest, "reactivate")
    assert (await award(guest.member_id, 50, PointsReason.visit, "boutique-2")).created  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reason", "delta", "lands"),
    [
        (PointsReason.attendance, 100, False),
        (PointsReason.referral, 500, False),
        (PointsReason.birthday, 100, False),
        (PointsReason.visit, 10, False),
        (PointsReason.adjustment, 40, True),
        (PointsReason.adjustment, -40, True),
        (PointsReason.expiry, -100, True),
    ],
)
def test_what_lands_in_a_suspended_members_ledger(reason: PointsReason, delta: int, lands: bool) -> None:
    from club.suspension import earns_while_suspended

    assert earns_while_suspended(reason, delta) is lands
