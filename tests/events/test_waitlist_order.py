"""The waitlist order is defined once (events.rules.WAITLIST_ORDER): the SQL that counts the
parties ahead of one RSVP and the Python sort that lists and promotes agree on every place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from club import clock
from club.accounts import Principal
from club.tables import Role
from events.rsvp import get_rsvp, waitlist_positions
from events.rules import Waiting, order_waitlist
from events.tables import Event, Rsvp, RsvpStatus, WaitlistPolicy
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member

# (minutes after T0 of joining, tier rank at joining): ties on time and on rank, no-tier parties,
# inserted so the ids do not follow the order.
PARTIES = [(5, 3), (0, None), (0, 1), (5, None), (0, 3), (2, 2), (5, 3), (0, None), (2, None), (0, 1)]


@pytest.mark.parametrize("policy", list(WaitlistPolicy))
async def test_sql_positions_agree_with_the_python_order(
    server: LiveServer, coordinator: Caller, policy: WaitlistPolicy
) -> None:
    event = await published_event(server, coordinator, capacity=0)
    await Event.update({Event.waitlist_policy: policy.value}).where(Event.id == event["id"])
    t0 = clock.now().replace(microsecond=0)
    waiting: list[Waiting] = []
    for minutes, rank in PARTIES:
        member = await make_member()
        joined = t0 + timedelta(minutes=minutes)
        rows = await Rsvp.insert(
            Rsvp(
                event=event["id"], member=member.member_id, rsvp_key=f"{event['id']}:{member.member_id}",
                status=RsvpStatus.waitlisted.value, guests=0, seats=1, created_at=joined,
                waitlisted_at=joined, tier_rank_at_join=rank,
            )
        ).returning(Rsvp.id)
        waiting.append(Waiting(rows[0]["id"], 1, joined, rank))

    expected = {w.rsvp_id: place for place, w in enumerate(order_waitlist(policy, waiting), start=1)}
    coordinator_view = Principal(user_id=coordinator.user_id, role=Role.coordinator, name="test", member_id=None)
    counted = {w.rsvp_id: (await get_rsvp(w.rsvp_id, coordinator_view)).position for w in waiting}  # a COUNT each
    listed = await waitlist_positions([w.rsvp_id for w in waiting])  # the Python sort
    assert counted == expected
    assert listed == expected
    if policy is WaitlistPolicy.tier_priority:  # the definition, spelled out once more by hand
        by_hand = sorted(waiting, key=lambda w: (w.tier_rank is None, -(w.tier_rank or 0), w.joined_at, w.rsvp_id))
    else:
        by_hand = sorted(waiting, key=lambda w: (w.joined_at, w.rsvp_id))
    assert [w.rsvp_id for w in by_hand] == sorted(expected, key=expected.__getitem__)
