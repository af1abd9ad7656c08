"""Accepts, declines, expiries and reads racing on the live server: no seat is given twice, no
category is exceeded, no offer is accepted after its reply-by, and each hand-over happens once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx

from club.tiers import load_ladder
from events import urls as event_urls
from events.shows import urls
from events.shows.jobs import expire_show_offers
from events.shows.rules import seats_held
from events.shows.tables import ShowInvitation
from events.tables import OutboxMessage, Rsvp
from tests.concurrency.bulk import bulk_members
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.shows.helpers import make_show

link = event_urls.link
SEATS = 6
INVITED = 40
ROUNDS = 4
KNOWN_REFUSALS = {"/problems/invitation-expired", "/problems/invitation-not-offered", "/problems/invitation-declined"}


async def _answer(http: httpx.AsyncClient, member: Caller, invitation: dict, declines: bool, rng: random.Random) -> list[httpx.Response]:
    """A member answering again and again, as anxious guests do, at random moments."""
    responses = []
    await asyncio.sleep(rng.uniform(0, 0.8))  # some answer at once, some after their reply-by
    for _ in range(ROUNDS):
        await asyncio.sleep(rng.uniform(0, 0.3))
        if declines:
            path, body = link(urls.INVITATION_DECLINE, invitation_id=invitation["id"]), None
        else:
            path = link(urls.INVITATION_ACCEPT, invitation_id=invitation["id"])
            body = {"plus_one": invitation["plus_one_allowed"] and rng.random() < 0.5}
        responses.append(await http.post(path, json=body, headers=member.headers))
    return responses


async def _expire_repeatedly(stop: asyncio.Event) -> int:
    expired = 0
    while not stop.is_set():
        expired += await expire_show_offers({})
        await asyncio.sleep(0.02)
    return expired


async def test_accept_decline_and_expiry_racing_never_give_a_seat_twice(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", SEATS)])
    front = show["by_name"]["Front row"]["id"]
    ladder = await load_ladder()
    members = await bulk_members(INVITED, tier_ids=[r.id for r in ladder] + [None])
    rng = random.Random(2026)
    async with server.client(coordinator.token) as http:
        # Half with a plus-one, in two calls, so offers hold one or two seats.
        for allowed, group in ((True, members[::2]), (False, members[1::2])):
            body = {"member_ids": [m.member_id for m in group], "category_id": front, "plus_one_allowed": allowed}
            assert (await http.post(link(urls.SHOW_INVITATIONS, show_id=show["id"]), json=body)).status_code == 200
        invitations = {r["member_id"]: r for r in (await http.get(link(urls.SHOW_INVITATIONS, show_id=show["id"]))).json()}
    # The first offers run out while the race is on.
    soon = datetime.now(UTC) + timedelta(milliseconds=400)
    await ShowInvitation.update({ShowInvitation.reply_by: soon}).where(
        (ShowInvitation.show == show["id"]) & (ShowInvitation.status == "offered")
    )
    decliners = {m.member_id for m in rng.sample(members, INVITED // 4)}

    stop = asyncio.Event()
    expirer = asyncio.create_task(_expire_repeatedly(stop))
    async with server.client() as http:
        answers = await asyncio.gather(*[
            _answer(http, m, invitations[m.member_id], m.member_id in decliners, random.Random(m.member_id))
            for m in members
        ])
    stop.set()
    await expirer
    await expire_show_offers({})

    responses = [r for rs in answers for r in rs]
    assert {r.status_code for r in responses} <= {200, 409}, Counter(r.status_code for r in responses)
    assert {r.json()["type"] for r in responses if r.status_code == 409} <= KNOWN_REFUSALS

    rows = await ShowInvitation.select().where(ShowInvitation.show == show["id"])
    by_member = {r["member"]: r for r in rows}
    held = sum(seats_held(r["status"], r["plus_one_allowed"], r["plus_one"]) for r in rows)
    assert held <= SEATS
    confirmed = await Rsvp.select(Rsvp.member, Rsvp.seats).where((Rsvp.event == show["id"]) & (Rsvp.status == "confirmed"))
    accepted = [r for r in rows if r["status"] == "accepted"]
    assert accepted, "the race should seat somebody"
    # Seats given are exactly the accepted invitations' seats, one RSVP per member, within the category.
    assert sorted((r["member"], r["seats"]) for r in confirmed) == sorted((r["member"], 2 if r["plus_one"] else 1) for r in accepted)
    assert sum(r["seats"] for r in confirmed) <= SEATS
    # Nobody accepted after their reply-by; everybody told "accepted" holds the seat.
    assert all(r["answered_at"] <= r["reply_by"] for r in accepted)
    for member, rs in zip(members, answers, strict=True):
        if member.member_id not in decliners and any(r.status_code == 200 for r in rs):
            assert by_member[member.member_id]["status"] == "accepted"
    # Each offer was made once and each expiry told once.
    messages = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.payload).where(
        (OutboxMessage.event == show["id"]) & OutboxMessage.kind.is_in(["show_invited", "show_offered", "show_offer_expired"])
    )
    offers = Counter(_invitation(m) for m in messages if m["kind"] != "show_offer_expired")
    expiries = Counter(_invitation(m) for m in messages if m["kind"] == "show_offer_expired")
    assert offers == Counter({r["id"]: 1 for r in rows if r["offered_at"] is not None})
    assert expiries == Counter({r["id"]: 1 for r in rows if r["status"] == "expired"})
    assert any(r["status"] == "expired" for r in rows), "some offers should have run out during the race"
    # No seat left idle while a queued invitation would fit it.
    queued_needs = [2 if r["plus_one_allowed"] else 1 for r in rows if r["status"] == "queued"]
    assert not any(need <= SEATS - held for need in queued_needs)


def _invitation(message: dict) -> int:
    import json

    payload = json.loads(message["payload"]) if isinstance(message["payload"], str) else message["payload"]
    return payload["invitation_id"]
