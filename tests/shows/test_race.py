"""Accepts, declines, expiries and reads racing on the live server: no seat is given twice, no
category is exceeded, no offer is accepted after its reply-by, and each hand-over happens once.

The control turns the locks off (club.locking.LOCKING) and runs the same race on PostgreSQL:
the category overfills, so the first test proves the show's lock is what keeps it exact.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import club.locking
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
from tests.support import backend_name

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


@dataclass
class Race:
    """What a race left behind: the answers, the show's invitations and its confirmed RSVPs."""

    show_id: int
    members: list[Caller]
    decliners: set[int]
    answers: list[list[httpx.Response]]
    rows: list[dict[str, Any]]
    confirmed: list[dict[str, Any]]

    @property
    def held(self) -> int:
        return _held(self.rows)


async def _race(server: LiveServer, coordinator: Caller) -> Race:
    """A show of SEATS front-row seats, INVITED members (half with a plus-one), whose first
    offers run out while they answer: accepts, declines and the expiry job all at once."""
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
    rows = await ShowInvitation.select().where(ShowInvitation.show == show["id"])
    confirmed = await Rsvp.select(Rsvp.member, Rsvp.seats).where((Rsvp.event == show["id"]) & (Rsvp.status == "confirmed"))
    return Race(show["id"], members, decliners, answers, rows, confirmed)


async def test_accept_decline_and_expiry_racing_never_give_a_seat_twice(server: LiveServer, coordinator: Caller) -> None:
    race = await _race(server, coordinator)
    members, decliners, answers, rows, confirmed = race.members, race.decliners, race.answers, race.rows, race.confirmed

    responses = [r for rs in answers for r in rs]
    assert {r.status_code for r in responses} <= {200, 409}, Counter(r.status_code for r in responses)
    assert {r.json()["type"] for r in responses if r.status_code == 409} <= KNOWN_REFUSALS

    by_member = {r["member"]: r for r in rows}
    held = race.held
    assert held <= SEATS
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
        (OutboxMessage.event == race.show_id) & OutboxMessage.kind.is_in(["show_invited", "show_offered", "show_offer_expired"])
    )
    offers = Counter(_invitation(m) for m in messages if m["kind"] != "show_offer_expired")
    expiries = Counter(_invitation(m) for m in messages if m["kind"] == "show_offer_expired")
    assert offers == Counter({r["id"]: 1 for r in rows if r["offered_at"] is not None})
    assert expiries == Counter({r["id"]: 1 for r in rows if r["status"] == "expired"})
    assert any(r["status"] == "expired" for r in rows), "some offers should have run out during the race"
    # No seat left idle while a queued invitation would fit it.
    queued_needs = [2 if r["plus_one_allowed"] else 1 for r in rows if r["status"] == "queued"]
    assert not any(need <= SEATS - held for need in queued_needs)


async def _accepts_at_the_deadline(
    server: LiveServer, coordinator: Caller, expiry_delay_s: float
) -> tuple[list[httpx.Response], list[dict[str, Any]]]:
    """SEATS single seats offered to the first SEATS of three times as many invitees: every offer
    holder accepts at once while the expiry job runs with its clock just past their reply-by,
    as when the deadline passes with the accepts in flight. Returns the accepts' answers and the
    show's invitations."""
    show = await make_show(server, coordinator, categories=[("Front row", SEATS)])
    members = await bulk_members(3 * SEATS)
    body = {"member_ids": [m.member_id for m in members], "category_id": show["by_name"]["Front row"]["id"]}
    async with server.client(coordinator.token) as http:
        made = (await http.post(link(urls.SHOW_INVITATIONS, show_id=show["id"]), json=body)).json()
    offers = {r["member_id"]: r for r in made if r["status"] == "offered"}
    assert len(offers) == SEATS
    past_deadline = max(datetime.fromisoformat(r["reply_by"]) for r in offers.values()) + timedelta(seconds=1)

    async def expire_meanwhile() -> None:
        await asyncio.sleep(expiry_delay_s)
        await expire_show_offers({}, past_deadline)

    async with server.client() as http:
        answers = await asyncio.gather(
            *[
                http.post(link(urls.INVITATION_ACCEPT, invitation_id=offers[m.member_id]["id"]), json={}, headers=m.headers)
                for m in members if m.member_id in offers
            ],
            expire_meanwhile(),
        )
    rows = await ShowInvitation.select().where(ShowInvitation.show == show["id"])
    return [a for a in answers if a is not None], rows


def _held(rows: list[dict[str, Any]]) -> int:
    """Seats a category's invitations hold: accepted ones and open offers."""
    return sum(seats_held(r["status"], r["plus_one_allowed"], r["plus_one"]) for r in rows)


async def test_accepts_racing_their_deadline_never_overfill_the_category(server: LiveServer, coordinator: Caller) -> None:
    """Under the show's lock each offer is either accepted before it expires or expired before
    it is accepted (409), and the seats handed on are only those that expired."""
    for delay in (0.0, 0.01, 0.04):
        answers, rows = await _accepts_at_the_deadline(server, coordinator, delay)
        assert {a.status_code for a in answers} <= {200, 409}, Counter(a.status_code for a in answers)
        assert {a.json()["type"] for a in answers if a.status_code == 409} <= {"/problems/invitation-expired"}
        statuses = Counter(r["status"] for r in rows)
        assert statuses["accepted"] == sum(a.status_code == 200 for a in answers)
        assert statuses["accepted"] + statuses["expired"] == SEATS
        assert _held(rows) <= SEATS, statuses
        assert statuses["offered"] == statuses["expired"]  # each expired seat was offered on, once


@pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite's IMMEDIATE transactions serialize writers anyway")
async def test_control_without_the_show_lock_accepts_at_the_deadline_overfill_the_category(
    server: LiveServer, coordinator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: locks off (club.locking.LOCKING), the same accepts on PostgreSQL give more
    seats than the category has: an accept reads its offer as open, the expiry expires it and
    offers its seat to the queue, and the accept then writes "accepted" over the expiry. A race
    is a matter of timing: up to five rounds (a fresh show, the expiry a little later each
    time), one must overfill."""
    monkeypatch.setattr(club.locking, "LOCKING", False)
    overfilled = []
    for delay in (0.0, 0.005, 0.01, 0.02, 0.04):
        _, rows = await _accepts_at_the_deadline(server, coordinator, delay)
        if _held(rows) > SEATS:
            overfilled.append(_held(rows))
            break
    assert overfilled, f"without the lock the accepts should have overfilled the {SEATS} seats in five rounds"


def _invitation(message: dict) -> int:
    import json

    payload = json.loads(message["payload"]) if isinstance(message["payload"], str) else message["payload"]
    return payload["invitation_id"]
