"""One member sending the same RSVP many times at once still holds exactly one RSVP."""

from __future__ import annotations

from collections import Counter

from events.tables import OutboxMessage, Rsvp
from tests.concurrency.storm import rsvp_all
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller


async def test_concurrent_repeats_make_one_rsvp(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    async with server.client() as http:
        responses = await rsvp_all(http, event["id"], [member] * 20)
    assert Counter(r.status_code for r in responses) == {201: 1, 200: 19}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await Rsvp.count().where(Rsvp.event == event["id"]) == 1
    assert await OutboxMessage.count().where(OutboxMessage.event == event["id"]) == 1
