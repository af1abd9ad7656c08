"""Lists read the database a fixed number of times, whether they show one row or fifty.

Statements are counted by wrapping the engine class's `run_querystring` (every Piccolo query and
`Table.raw` goes through it) for the length of one request to the live server, which runs in
this process on the same engine. No database call is faked: the wrapper calls the real one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from club import clock
from club.accounts import Principal
from club.db import current_engine
from club.tables import Role
from events import urls
from events.catalog import create_event, publish_event
from events.rsvp import rsvp
from tests.conftest import LiveServer
from tests.factories import Caller, make_member


class StatementCount:
    def __init__(self) -> None:
        self.statements = 0


@contextlib.contextmanager
def counting_statements() -> Iterator[StatementCount]:
    """Counts the statements sent through the current engine while the block runs."""
    engine = current_engine()
    # On the class: PostgresEngine's instances take no attributes of their own.
    engine_class = type(engine)
    count = StatementCount()
    real = engine_class.run_querystring

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self is engine:
            count.statements += 1
        return await real(self, *args, **kwargs)

    engine_class.run_querystring = counted  # type: ignore[method-assign]
    try:
        yield count
    finally:
        engine_class.run_querystring = real  # type: ignore[method-assign]


def _as_viewer(who: Caller) -> Principal:
    return Principal(user_id=who.user_id, role=Role.member, name="test", member_id=who.member_id)


async def _waitlisted_on(events: int, me: Caller, holder: Caller, ahead: Caller) -> None:
    """`events` full salons where `me` waits second in line."""
    start = clock.now() + timedelta(days=7)
    for i in range(events):
        event = await create_event(
            {
                "kind": "salon", "title": f"Salon {i}", "description": "", "venue": "Salon",
                "venue_time_zone": "Europe/Paris", "starts_at": start, "ends_at": start + timedelta(hours=2),
                "capacity": 1, "max_guests": 0, "rsvp_opens_at": None, "rsvp_closes_at": None,
                "waitlist_policy": "first_come", "min_tier": None, "invitation_only": False,
                "min_points": None, "max_per_12_months": None,
            },
            created_by=None,
        )
        await publish_event(event.id)
        for who in (holder, ahead, me):
            await rsvp(event.id, who.member_id, 0, _as_viewer(who))  # type: ignore[arg-type]


async def _my_rsvps(server: LiveServer, me: Caller) -> tuple[int, list[dict[str, Any]]]:
    async with server.client(me.token) as http:
        with counting_statements() as count:
            answer = await http.get(urls.MY_RSVPS)
    assert answer.status_code == 200, answer.text
    return count.statements, answer.json()


async def test_my_rsvps_reads_as_often_for_fifty_waitlisted_rsvps_as_for_one(server: LiveServer) -> None:
    holder, ahead = await make_member("Holder"), await make_member("Ahead")
    one, fifty = await make_member("One"), await make_member("Fifty")
    await _waitlisted_on(1, one, holder, ahead)
    await _waitlisted_on(50, fifty, holder, ahead)

    few, mine_one = await _my_rsvps(server, one)
    many, mine_fifty = await _my_rsvps(server, fifty)

    assert [(r["status"], r["position"]) for r in mine_one] == [("waitlisted", 2)]
    assert [(r["status"], r["position"]) for r in mine_fifty] == [("waitlisted", 2)] * 50
    assert many == few, f"GET /api/me/rsvps: {few} statements for 1 RSVP, {many} for 50"
