"""Who may do what with events and RSVPs; nobody sees another member's RSVP."""

from __future__ import annotations

import pytest

from club.accounts import Principal
from club.errors import NotFound
from club.tables import Role
from events import urls
from events.attendees import attendees
from events.tables import WaitlistPolicy
from events.waitlist import waitlist_entries
from tests.conftest import LiveServer
from tests.events.helpers import event_body, published_event, rows_of
from tests.factories import Caller, make_member


async def test_no_token_is_401(server: LiveServer) -> None:
    async with server.client() as http:
        for method, path in [("GET", urls.EVENTS), ("POST", urls.EVENTS), ("POST", urls.link(urls.EVENT_RSVP, event_id=1)),
                             ("GET", urls.link(urls.RSVP, rsvp_id=1)), ("GET", urls.MY_RSVPS)]:
            response = await http.request(method, path, json={})
            assert response.status_code == 401, (method, path)
            assert response.json()["type"] == "/problems/unauthenticated"


async def test_members_and_staff_cannot_manage_events(server: LiveServer, coordinator: Caller, member: Caller, staff: Caller) -> None:
    event = await published_event(server, coordinator)
    manage = [
        ("POST", urls.EVENTS, event_body()),
        ("PATCH", urls.link(urls.EVENT, event_id=event["id"]), {"capacity": 99}),
        ("POST", urls.link(urls.EVENT_PUBLISH, event_id=event["id"]), None),
        ("POST", urls.link(urls.EVENT_CANCEL, event_id=event["id"]), None),
        ("POST", urls.link(urls.EVENT_INVITATIONS, event_id=event["id"]), {"member_ids": [member.member_id]}),
        ("GET", urls.link(urls.EVENT_ATTENDEES, event_id=event["id"]), None),
        ("GET", urls.link(urls.EVENT_WAITLIST, event_id=event["id"]), None),
        ("GET", urls.link(urls.EVENT_ATTENDEES_CSV, event_id=event["id"]), None),
    ]
    for who in (member, staff):
        async with server.client(who.token) as http:
            for method, path, body in manage:
                response = await http.request(method, path, json=body)
                assert response.status_code == 403, (method, path, response.text)
    async with server.client(coordinator.token) as http:
        shown = (await http.get(urls.link(urls.EVENT, event_id=event["id"]))).json()
    assert shown["capacity"] == 10 and shown["status"] == "published"


async def test_staff_cannot_rsvp(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await published_event(server, coordinator)
    async with server.client(staff.token) as http:
        assert (await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})).status_code == 403


async def test_a_member_cannot_see_or_cancel_another_members_rsvp(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator)
    owner, other = await make_member("Owner"), await make_member("Other")
    async with server.client(owner.token) as http:
        rsvp = (await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})).json()
    async with server.client(other.token) as http:
        seen = await http.get(urls.link(urls.RSVP, rsvp_id=rsvp["id"]))
        cancelled = await http.delete(urls.link(urls.RSVP, rsvp_id=rsvp["id"]))
        invite = await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]))
        mine = (await http.get(urls.MY_RSVPS)).json()
    for response in (seen, cancelled, invite):
        assert response.status_code == 404
        assert "Owner" not in response.text and "member_id" not in response.json()
    assert mine == []
    assert [r["status"] for r in await rows_of(event["id"])] == ["confirmed"]


async def test_coordinators_can_cancel_a_members_rsvp(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    async with server.client(member.token) as http:
        rsvp = (await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})).json()
    async with server.client(coordinator.token) as http:
        response = await http.delete(urls.link(urls.RSVP, rsvp_id=rsvp["id"]))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert (await rows_of(event["id"]))[0]["cancelled_by"] == "club"


def _principal(who: Caller, role: Role) -> Principal:
    return Principal(user_id=who.user_id, role=role, name="test", member_id=who.member_id)


async def test_the_attendee_and_waitlist_services_list_people_to_coordinators_only(
    server: LiveServer, coordinator: Caller, member: Caller, staff: Caller
) -> None:
    """Called directly, not through the guarded routes: the services refuse by themselves."""
    event = await published_event(server, coordinator, capacity=1)
    async with server.client(member.token) as http:
        await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    for viewer in (_principal(member, Role.member), _principal(staff, Role.staff)):
        with pytest.raises(NotFound):
            await attendees(event["id"], viewer)
        with pytest.raises(NotFound):
            await waitlist_entries(event["id"], WaitlistPolicy.first_come, viewer)
    as_coordinator = _principal(coordinator, Role.coordinator)
    assert [a.member_id for a in await attendees(event["id"], as_coordinator)] == [member.member_id]
    assert await waitlist_entries(event["id"], WaitlistPolicy.first_come, as_coordinator) == []
