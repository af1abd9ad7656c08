"""A full event takes its waitlisted answers under a shared lock (events.rsvp): those no longer wait
for each other, yet a seat freed meanwhile is never left empty behind a waitlisted newcomer, and one
member asking many times at once still holds one answer."""

from __future__ import annotations

import asyncio
from collections import Counter

from events.tables import OutboxMessage, Rsvp
from tests.concurrency.bulk import bulk_members
from tests.concurrency.storm import cancel_all, rsvp_all
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller

CAPACITY = 20


async def test_seats_freed_while_newcomers_queue_are_all_taken(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=CAPACITY, waitlist_policy="first_come")
    seated, newcomers = await bulk_members(CAPACITY), await bulk_members(200)
    async with server.client() as http:
        setup = await rsvp_all(http, event["id"], seated)
        assert Counter(r.json()["status"] for r in setup) == {"confirmed": CAPACITY}
        leaving = [(m, r.json()["id"]) for m, r in zip(seated[:10], setup[:10], strict=True)]
        cancelled, joined = await asyncio.gather(cancel_all(http, leaving), rsvp_all(http, event["id"], newcomers))
    assert all(r.status_code == 200 for r in cancelled), Counter(r.status_code for r in cancelled)
    assert all(r.status_code == 201 for r in joined), Counter(r.status_code for r in joined)
    rows = await Rsvp.select(Rsvp.status, Rsvp.seats, Rsvp.member).where(Rsvp.event == event["id"])
    # Every freed seat went to a newcomer: promoted from the waitlist, or confirmed on arrival.
    assert sum(r["seats"] for r in rows if r["status"] == "confirmed") == CAPACITY
    statuses = Counter(r["status"] for r in rows if r["member"] in {m.member_id for m in newcomers})
    assert statuses == {"confirmed": 10, "waitlisted": 190}


async def test_one_member_asking_a_full_event_many_times_at_once_holds_one_place(
    server: LiveServer, coordinator: Caller, member: Caller,
) -> None:
    event = await published_event(server, coordinator, capacity=1)
    async with server.client() as http:
        assert (await rsvp_all(http, event["id"], await bulk_members(1)))[0].json()["status"] == "confirmed"
        responses = await rsvp_all(http, event["id"], [member] * 20)
    assert Counter(r.status_code for r in responses) == {201: 1, 200: 19}
    assert {r.json()["status"] for r in responses} == {"waitlisted"}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await Rsvp.count().where((Rsvp.event == event["id"]) & (Rsvp.member == member.member_id)) == 1
    assert await OutboxMessage.count().where(
        (OutboxMessage.event == event["id"]) & (OutboxMessage.kind == "waitlisted")) == 1
