"""Cancellations racing new RSVPs: seats end exactly filled, promotions in order, each once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from events.tables import OutboxMessage, Rsvp
from tests.concurrency.bulk import bulk_members
from tests.concurrency.storm import cancel_all, rsvp_all
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller

CAPACITY = 100
WAITING_BEFORE = 100
CANCELLATIONS = 50
NEWCOMERS = 500


async def test_50_cancellations_against_500_new_rsvps(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=CAPACITY, waitlist_policy="first_come")
    first = await bulk_members(CAPACITY + WAITING_BEFORE)
    newcomers = await bulk_members(NEWCOMERS)
    async with server.client() as http:
        setup = await rsvp_all(http, event["id"], first)
        assert Counter(r.json()["status"] for r in setup) == {"confirmed": CAPACITY, "waitlisted": WAITING_BEFORE}
        by_member = {r.json()["member_id"]: r.json() for r in setup}
        seated = [m for m in first if by_member[m.member_id]["status"] == "confirmed"]
        leaving = random.Random(7).sample(seated, CANCELLATIONS)
        initial_waitlist = await Rsvp.select(Rsvp.id).where(
            (Rsvp.event == event["id"]) & (Rsvp.status == "waitlisted")
        ).order_by(Rsvp.waitlisted_at).order_by(Rsvp.id)

        cancels = cancel_all(http, [(m, by_member[m.member_id]["id"]) for m in leaving])
        rsvps = rsvp_all(http, event["id"], newcomers)
        cancelled, joined = await asyncio.gather(cancels, rsvps)

    assert all(r.status_code == 200 for r in cancelled), Counter(r.status_code for r in cancelled)
    assert all(r.status_code == 201 for r in joined), Counter(r.status_code for r in joined)
    rows = await Rsvp.select().where(Rsvp.event == event["id"])
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    assert sum(r["seats"] for r in confirmed) == CAPACITY

    # The freed seats went to the head of the waitlist, in order; newcomers found none free.
    expected = [r["id"] for r in initial_waitlist[:CANCELLATIONS]]
    promoted = sorted((r for r in rows if r["promoted_at"] is not None), key=lambda r: (r["promoted_at"], r["id"]))
    assert sorted(r["id"] for r in promoted) == sorted(expected)
    assert all(r["status"] == "confirmed" for r in promoted)
    newcomer_ids = {m.member_id for m in newcomers}
    assert all(r["status"] == "waitlisted" for r in rows if r["member"] in newcomer_ids)
    # Each promoted exactly once: one "promoted" message per promoted RSVP.
    messages = await OutboxMessage.select(OutboxMessage.rsvp).where(
        (OutboxMessage.event == event["id"]) & (OutboxMessage.kind == "promoted")
    )
    assert Counter(m["rsvp"] for m in messages) == {rsvp_id: 1 for rsvp_id in expected}
    # The rest of the old waitlist still stands ahead of every newcomer.
    remaining = sorted(
        (r for r in rows if r["status"] == "waitlisted"), key=lambda r: (r["waitlisted_at"], r["id"])
    )
    assert [r["id"] for r in remaining[: WAITING_BEFORE - CANCELLATIONS]] == [
        r["id"] for r in initial_waitlist[CANCELLATIONS:]
    ]
    assert len(remaining) == WAITING_BEFORE - CANCELLATIONS + NEWCOMERS
