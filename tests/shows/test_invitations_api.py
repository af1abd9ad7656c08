"""Inviting, accepting and declining over HTTP: tier priority, seats per category, plus-ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from checkin import urls as door_urls
from events import urls as event_urls
from events.shows import urls
from events.tables import Rsvp
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.shows.helpers import invite, make_show, mine, notices, tiered

link = event_urls.link


async def test_free_seats_are_offered_in_tier_priority_and_the_rest_wait_in_that_order(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator)
    front = show["by_name"]["Front row"]["id"]
    silver, diamond, gold = await tiered("Silver S", "Silver"), await tiered("Diamond D", "Diamond"), await tiered("Gold G", "Gold")
    platinum, newcomer = await tiered("Platinum P", "Platinum"), await tiered("No Tier", None)
    answer = await invite(server, coordinator, show["id"], [silver, diamond, gold, platinum, newcomer], front)
    status = {r["member_id"]: (r["status"], r["position"]) for r in answer}
    assert status == {
        diamond.member_id: ("offered", None), platinum.member_id: ("offered", None),
        gold.member_id: ("queued", 1), silver.member_id: ("queued", 2), newcomer.member_id: ("queued", 3),
    }
    async with server.client(coordinator.token) as http:
        listed = (await http.get(link(urls.SHOW_INVITATIONS, show_id=show["id"]))).json()
        seats = (await http.get(link(urls.SHOW, show_id=show["id"]))).json()
    assert [r["member_name"] for r in listed] == ["Diamond D", "Platinum P", "Gold G", "Silver S", "No Tier"]
    assert listed[2]["reason"].startswith("tier priority: Gold (rank 2) when invited")
    assert seats["categories"][0] | {"id": 0} == {
        "id": 0, "name": "Front row", "seats": 2, "seats_taken": 0, "seats_on_offer": 2, "seats_free": 0, "queued": 3,
    }
    # Only the members offered a seat hear of it now.
    assert await notices(show["id"]) == [("show_invited", diamond.member_id), ("show_invited", platinum.member_id)]

    offer = (await mine(server, diamond))[0]
    assert offer["category"] == "Front row" and offer["plus_one_allowed"] is False
    reply_by = datetime.fromisoformat(offer["reply_by"])
    assert timedelta(hours=71, minutes=59) < reply_by - datetime.fromisoformat(offer["offered_at"]) <= timedelta(hours=72)
    local = datetime.fromisoformat(offer["reply_by_local"])
    assert local == reply_by and local.utcoffset() == reply_by.astimezone(ZoneInfo("Europe/Paris")).utcoffset()


async def test_accepting_gives_a_confirmed_seat_with_a_ticket_and_the_rsvp_routes_stay_shut(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator)
    member = await tiered("Wei Zhang", "Diamond")
    [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Second row"]["id"])
    async with server.client(member.token) as http:
        accepted = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=offer["id"]), json={})
        again = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=offer["id"]), json={})
        ticket = await http.get(accepted.json()["ticket_url"])
        rsvp = await http.get(link(event_urls.RSVP, rsvp_id=accepted.json()["rsvp_id"]))
        # A show is booked by invitation only: the generic RSVP routes refuse it.
        generic = await http.post(link(event_urls.EVENT_RSVP, event_id=show["id"]), json={})
        generic_cancel = await http.delete(link(event_urls.RSVP, rsvp_id=accepted.json()["rsvp_id"]))
        listed = (await http.get(event_urls.EVENTS)).json()
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["seats_held"] == 1
    assert again.status_code == 200 and again.json() == accepted.json()
    assert ticket.status_code == 200 and accepted.json()["ticket_url"] == link(door_urls.TICKET, rsvp_id=rsvp.json()["id"])
    assert rsvp.json()["status"] == "confirmed" and rsvp.json()["seats"] == 1
    assert generic.status_code == 409 and generic.json()["type"] == "/problems/booked-elsewhere"
    assert generic_cancel.status_code == 409
    assert listed == []  # members' event list does not advertise shows
    assert await Rsvp.count().where(Rsvp.event == show["id"]) == 1


async def test_a_plus_one_only_where_the_invitation_allows_it(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 3)])
    front = show["by_name"]["Front row"]["id"]
    alone, couple, waiting = await tiered("Alone", "Diamond"), await tiered("Couple", "Diamond"), await tiered("Waiting", "Gold")
    [solo] = await invite(server, coordinator, show["id"], [alone], front)
    [pair] = await invite(server, coordinator, show["id"], [couple], front, plus_one_allowed=True)
    [queued] = await invite(server, coordinator, show["id"], [waiting], front)
    assert (solo["seats_held"], pair["seats_held"], queued["status"]) == (1, 2, "queued")

    async with server.client(alone.token) as http:
        refused = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=solo["id"]), json={"plus_one": True})
    assert refused.status_code == 400 and refused.json()["type"] == "/problems/plus-one-not-allowed"
    assert (await mine(server, alone))[0]["status"] == "offered"  # nothing changed

    # Coming alone on a plus-one invitation frees the guest's seat for the next in line.
    async with server.client(couple.token) as http:
        came_alone = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=pair["id"]), json={"plus_one": False})
    assert came_alone.json()["seats_held"] == 1 and came_alone.json()["plus_one"] is False
    assert (await mine(server, waiting))[0]["status"] == "offered"
    assert ("show_offered", waiting.member_id) in await notices(show["id"])


async def test_accepting_with_a_plus_one_takes_two_seats(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2)])
    member = await tiered("Couple", "Platinum")
    [pair] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"], plus_one_allowed=True)
    async with server.client(member.token) as http:
        accepted = (await http.post(link(urls.INVITATION_ACCEPT, invitation_id=pair["id"]), json={"plus_one": True})).json()
    assert accepted["plus_one"] is True and accepted["seats_held"] == 2
    assert (await Rsvp.select(Rsvp.guests, Rsvp.seats).where(Rsvp.event == show["id"])) == [{"guests": 1, "seats": 2}]


async def test_declining_hands_the_seat_to_the_next_in_line(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    first, second, third = await tiered("First", "Diamond"), await tiered("Second", "Platinum"), await tiered("Third", "Gold")
    offers = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [first, second, third], front, reply_within_hours=24)}
    async with server.client(first.token) as http:
        declined = await http.post(link(urls.INVITATION_DECLINE, invitation_id=offers[first.member_id]["id"]))
        twice = await http.post(link(urls.INVITATION_DECLINE, invitation_id=offers[first.member_id]["id"]))
        late = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=offers[first.member_id]["id"]), json={})
    assert declined.json()["status"] == "declined" and twice.status_code == 200
    assert late.status_code == 409 and late.json()["type"] == "/problems/invitation-declined"
    handed = (await mine(server, second))[0]
    assert handed["status"] == "offered"
    assert timedelta(hours=23, minutes=59) < datetime.fromisoformat(handed["reply_by"]) - datetime.fromisoformat(handed["offered_at"])

    # An accepted seat can be given back before the show: its RSVP is cancelled, the seat moves on.
    async with server.client(second.token) as http:
        accepted = (await http.post(link(urls.INVITATION_ACCEPT, invitation_id=handed["id"]), json={})).json()
        given_back = (await http.post(link(urls.INVITATION_DECLINE, invitation_id=handed["id"]))).json()
    assert given_back["status"] == "declined" and given_back["rsvp_id"] is None
    assert (await Rsvp.select(Rsvp.status).where(Rsvp.id == accepted["rsvp_id"]).first()) == {"status": "cancelled"}
    assert (await mine(server, third))[0]["status"] == "offered"
    assert [k for k, m in await notices(show["id"]) if k.startswith("show_")] == ["show_invited", "show_offered", "show_offered"]


async def test_a_queued_member_may_decline_before_a_seat_is_free(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    a, b, c = await tiered("A", "Diamond"), await tiered("B", "Gold"), await tiered("C", "Silver")
    by_member = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [a, b, c], front)}
    async with server.client(b.token) as http:
        early = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=by_member[b.member_id]["id"]), json={})
        declined = await http.post(link(urls.INVITATION_DECLINE, invitation_id=by_member[b.member_id]["id"]))
    assert early.status_code == 409 and early.json()["type"] == "/problems/invitation-not-offered"
    assert declined.json()["status"] == "declined"
    assert (await mine(server, c))[0]["position"] == 1


async def test_withdrawing_an_offer_moves_its_seat_and_tells_the_member(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    first, second = await tiered("First", "Diamond"), await tiered("Second", "Gold")
    offers = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [first, second], front)}
    async with server.client(coordinator.token) as http:
        withdrawn = await http.post(link(urls.INVITATION_WITHDRAW, invitation_id=offers[first.member_id]["id"]))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    async with server.client(first.token) as http:
        accept = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=offers[first.member_id]["id"]), json={})
        eligibility = (await http.get(link(event_urls.EVENT_ELIGIBILITY, event_id=show["id"]))).json()
    assert accept.status_code == 409 and accept.json()["type"] == "/problems/invitation-withdrawn"
    assert eligibility["reasons"] == ["by invitation"]
    assert (await mine(server, second))[0]["status"] == "offered"
    assert ("show_invitation_withdrawn", first.member_id) in await notices(show["id"])


async def test_who_may_be_invited(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, min_tier="Platinum")
    front = show["by_name"]["Front row"]["id"]
    gold, diamond = await tiered("Gold", "Gold"), await tiered("Diamond", "Diamond")
    refused = await invite(server, coordinator, show["id"], [gold, diamond], front, expect=409)
    assert refused["type"] == "/problems/invitee-not-eligible"
    assert refused["members"] == [{"member_id": gold.member_id, "reasons": ["Platinum and above"]}]
    assert await mine(server, diamond) == []  # all or nothing

    first = await invite(server, coordinator, show["id"], [diamond], front)
    again = await invite(server, coordinator, show["id"], [diamond], show["by_name"]["Second row"]["id"], plus_one_allowed=True)
    assert again == first  # a live invitation is kept as it was

    missing = await invite(server, coordinator, show["id"], [diamond], 999_999, expect=404)
    assert missing["type"] == "/problems/not-found"
    draft = await make_show(server, coordinator, publish=False)
    not_yet = await invite(server, coordinator, draft["id"], [diamond], draft["by_name"]["Front row"]["id"], expect=409)
    assert not_yet["type"] == "/problems/show-not-published"


async def test_categories_grow_into_their_queue_and_never_shrink_below_held_seats(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    a, b, c = await tiered("A", "Diamond"), await tiered("B", "Gold"), await tiered("C", "Silver")
    await invite(server, coordinator, show["id"], [a, b, c], front)
    async with server.client(coordinator.token) as http:
        grown = await http.patch(link(urls.SHOW_CATEGORY, show_id=show["id"], category_id=front), json={"seats": 2})
        shrunk = await http.patch(link(urls.SHOW_CATEGORY, show_id=show["id"], category_id=front), json={"seats": 1})
        added = await http.post(link(urls.SHOW_CATEGORIES, show_id=show["id"]), json={"name": "Standing", "seats": 10})
        same_name = await http.post(link(urls.SHOW_CATEGORIES, show_id=show["id"]), json={"name": "standing ", "seats": 3})
        event = (await http.get(link(event_urls.EVENT, event_id=show["id"]))).json()
    assert grown.status_code == 200 and grown.json()["categories"][0]["seats_on_offer"] == 2
    assert (await mine(server, b))[0]["status"] == "offered"
    assert shrunk.status_code == 409 and shrunk.json()["type"] == "/problems/category-too-small"
    assert added.status_code == 201 and [c["name"] for c in added.json()["categories"]] == ["Front row", "Standing"]
    assert same_name.status_code == 409
    assert event["capacity"] == 12 and event["booked_through"] == "shows" and event["invitation_only"] is True
