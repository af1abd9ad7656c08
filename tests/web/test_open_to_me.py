"""events.open_to_me reads a member's facts once for a whole list: event by event they must be
what events.eligibility.member_facts reads for one (the facts an RSVP is decided on)."""

from __future__ import annotations

from datetime import timedelta

from club import clock
from club.accounts import Principal
from club.members import set_status
from club.points import award
from club.tables import MemberStatus, PointsReason, Role
from events.catalog import cancel_event, create_event, invite_members, load_event, publish_event
from events.eligibility import member_facts
from events.open_to_me import conditions_of, events_open_to, facts_for_events
from events.rsvp import rsvp
from events.schemas import EventCreate
from events.tables import EventKind
from tests.factories import Caller, make_member


def _viewer(who: Caller) -> Principal:
    return Principal(user_id=who.user_id, role=Role.member, name="test", member_id=who.member_id)


async def _event(title: str, days: int, kind: EventKind = EventKind.salon, **fields: object) -> int:
    start = clock.now().replace(microsecond=0) + timedelta(days=days)
    made = await create_event(EventCreate(
        kind=kind, title=title, venue="Salon", venue_time_zone="Europe/Paris",
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=10, **fields,  # type: ignore[arg-type]
    ), created_by=None)
    await publish_event(made.id)
    return made.id


async def test_the_lists_facts_are_member_facts_event_by_event(coordinator: Caller) -> None:
    me = await make_member("Amélie")
    await award(me.member_id, 1_200, PointsReason.adjustment, "gold")  # type: ignore[arg-type]
    # Check-ups once a year: one she holds nearby, one far outside the window, one cancelled.
    held = await _event("Held check-up", 20, EventKind.health_checkup, max_per_12_months=1)
    far = await _event("Far check-up", 500, EventKind.health_checkup, max_per_12_months=1)
    dropped = await _event("Dropped check-up", 40, EventKind.health_checkup, max_per_12_months=1)
    await rsvp(dropped, me.member_id, 0, _viewer(me))  # type: ignore[arg-type]
    await cancel_event(dropped)  # her RSVP stays live on a cancelled event, which no longer counts
    for event_id in (held, far):
        await rsvp(event_id, me.member_id, 0, _viewer(me))  # type: ignore[arg-type]
    ids = [
        held, far, dropped,
        await _event("Another check-up", 60, EventKind.health_checkup, max_per_12_months=1),
        await _event("Gold salon", 5, min_tier="Gold"),
        await _event("Platinum salon", 6, min_tier="Platinum", min_points=5_000),
        await _event("Invited salon", 7, invitation_only=True),
        await _event("Not invited salon", 8, invitation_only=True),
        await _event("Two salons a year", 9, max_per_12_months=2),
    ]
    await invite_members(ids[6], [me.member_id], coordinator.user_id)  # type: ignore[list-item]
    events = [await load_event(i) for i in ids]

    gathered = await facts_for_events(me.member_id, events)  # type: ignore[arg-type]
    one_by_one = {e.id: await member_facts(me.member_id, e) for e in events}  # type: ignore[arg-type]

    assert gathered == one_by_one
    assert gathered[ids[3]].same_kind_nearby == 1  # the held one is within 12 months; the far and cancelled ones are not
    assert gathered[ids[6]].invited and not gathered[ids[7]].invited

    # A suspended member: the same status on every event.
    await set_status(me.member_id, MemberStatus.suspended)  # type: ignore[arg-type]
    assert await facts_for_events(me.member_id, events) == {  # type: ignore[arg-type]
        e.id: await member_facts(me.member_id, e) for e in events  # type: ignore[arg-type]
    }


async def test_what_an_event_asks_is_said_in_the_rules_own_words() -> None:
    event = await load_event(await _event("Salon", 5, min_tier="Gold", invitation_only=True, min_points=300))
    assert [c.message for c in conditions_of(event)] == ["{tier} and above", "by invitation", "at least {points} points"]
    assert conditions_of(await load_event(await _event("Open salon", 6))) == []


async def test_the_list_hides_what_the_api_hides_and_leaves_out_cancelled_events(coordinator: Caller) -> None:
    me = await make_member("Amélie")
    shown = await _event("Open salon", 5)
    invited = await _event("Invited salon", 6, invitation_only=True)
    await _event("Not invited salon", 7, invitation_only=True)
    await cancel_event(await _event("Cancelled salon", 8))
    await invite_members(invited, [me.member_id], coordinator.user_id)  # type: ignore[list-item]

    listed = await events_open_to(_viewer(me))

    assert [item.event.id for item in listed] == [shown, invited]
    assert [item.invited for item in listed] == [False, True]
    assert [item.refusals for item in listed] == [[], []]
