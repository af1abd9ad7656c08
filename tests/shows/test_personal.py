"""An invitation is personal: only the invited member can see, accept or decline it."""

from __future__ import annotations

from events import urls as event_urls
from events.shows import urls
from events.tables import Rsvp
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.shows.helpers import invite, make_show, mine, tiered

link = event_urls.link


async def test_nobody_but_the_invited_member_can_accept_or_decline(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    show = await make_show(server, coordinator)
    owner, other = await tiered("Isabelle Owner", "Diamond"), await tiered("Other", "Diamond")
    [offer] = await invite(server, coordinator, show["id"], [owner], show["by_name"]["Front row"]["id"], plus_one_allowed=True)
    accept = link(urls.INVITATION_ACCEPT, invitation_id=offer["id"])
    decline = link(urls.INVITATION_DECLINE, invitation_id=offer["id"])
    one = link(urls.INVITATION, invitation_id=offer["id"])

    # Another member: as if it did not exist, and nothing about the owner leaks.
    async with server.client(other.token) as http:
        answers = [await http.post(accept, json={}), await http.post(decline), await http.get(one)]
        assert (await http.get(urls.MY_INVITATIONS)).json() == []
    for response in answers:
        assert response.status_code == 404 and response.json()["type"] == "/problems/not-found"
        assert "Isabelle" not in response.text
    # Door staff have no business with invitations; a coordinator cannot accept for the member.
    async with server.client(staff.token) as http:
        assert (await http.post(accept, json={})).status_code == 403
        assert (await http.post(decline)).status_code == 403
        assert (await http.get(urls.MY_INVITATIONS)).status_code == 403
        assert (await http.get(one)).status_code == 403
    async with server.client(coordinator.token) as http:
        assert (await http.post(accept, json={})).status_code == 403
        assert (await http.post(decline)).status_code == 403
        seen = await http.get(one)
    assert seen.status_code == 200 and seen.json()["member_name"] == "Isabelle Owner"
    # Members cannot manage shows or withdraw.
    async with server.client(owner.token) as http:
        assert (await http.post(link(urls.INVITATION_WITHDRAW, invitation_id=offer["id"]))).status_code == 403
        assert (await http.get(link(urls.SHOW_INVITATIONS, show_id=show["id"]))).status_code == 403
        assert (await http.post(link(urls.SHOW_INVITATIONS, show_id=show["id"]), json={})).status_code == 403

    assert [(r["status"], r["rsvp_id"]) for r in await mine(server, owner)] == [("offered", None)]
    assert await Rsvp.count().where(Rsvp.event == show["id"]) == 0
    # The invited member can.
    async with server.client(owner.token) as http:
        taken = await http.post(accept, json={"plus_one": True})
    assert taken.status_code == 200 and taken.json()["status"] == "accepted"


async def test_not_a_show_is_not_found(server: LiveServer, coordinator: Caller) -> None:
    from tests.events.helpers import published_event

    salon = await published_event(server, coordinator)
    async with server.client(coordinator.token) as http:
        response = await http.get(link(urls.SHOW, show_id=salon["id"]))
        body = await http.post(urls.SHOWS, json={"title": "x", "unknown": 1})
    assert response.status_code == 404
    assert body.status_code == 400
