"""RSVPs over HTTP: seats, the waitlist, repeats, guests, cancellation and automatic promotion."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from events import urls
from events.tables import Event, OutboxMessage, WaitlistSkip
from tests.conftest import LiveServer
from tests.events.helpers import outbox_kinds, published_event, rows_of
from tests.factories import Caller, make_member


async def _rsvp(server: LiveServer, who: Caller, event_id: int, guests: int = 0):  # type: ignore[no-untyped-def]
    async with server.client(who.token) as http:
        return await http.post(urls.link(urls.EVENT_RSVP, event_id=event_id), json={"guests": guests})


async def _cancel(server: LiveServer, who: Caller, rsvp_id: int):  # type: ignore[no-untyped-def]
    async with server.client(who.token) as http:
        return await http.delete(urls.link(urls.RSVP, rsvp_id=rsvp_id))


async def test_free_seat_confirms_and_a_full_room_waitlists_with_a_position(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=1)
    first, second, third = [await make_member(f"M{i}") for i in range(3)]
    one = await _rsvp(server, first, event["id"])
    two = await _rsvp(server, second, event["id"])
    three = await _rsvp(server, third, event["id"])
    assert one.status_code == 201 and one.json()["status"] == "confirmed" and one.json()["position"] is None
    assert two.json()["status"] == "waitlisted" and two.json()["position"] == 1
    assert three.json()["status"] == "waitlisted" and three.json()["position"] == 2
    assert "first come" in two.json()["position_reason"]
    assert await outbox_kinds(event["id"]) == [
        ("confirmed", first.member_id), ("waitlisted", second.member_id), ("waitlisted", third.member_id)
    ]


async def test_a_place_on_the_waitlist_is_answered_as_a_read_of_it_gives_it(server: LiveServer, coordinator: Caller) -> None:
    # A full event's waitlist places are written in one go (on SQLite in one hop to the writer,
    # on PostgreSQL in one statement): the answer, the row and the message must still agree.
    event = await published_event(server, coordinator, capacity=1)
    holder, first, second = [await make_member(f"M{i}") for i in range(3)]
    await _rsvp(server, holder, event["id"])
    answers = [(await _rsvp(server, who, event["id"])).json() for who in (first, second)]
    for who, answer in zip((first, second), answers, strict=True):
        async with server.client(who.token) as http:
            assert (await http.get(urls.link(urls.RSVP, rsvp_id=answer["id"]))).json() == answer
    assert [a["position"] for a in answers] == [1, 2]
    messages = await OutboxMessage.select(OutboxMessage.rsvp, OutboxMessage.member, OutboxMessage.payload).where(
        (OutboxMessage.event == event["id"]) & (OutboxMessage.kind == "waitlisted")
    ).order_by(OutboxMessage.id)
    assert [(m["rsvp"], m["member"]) for m in messages] == [(a["id"], a["member_id"]) for a in answers]
    assert [_json(m["payload"])["rsvp_id"] for m in messages] == [a["id"] for a in answers]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_a_second_rsvp_returns_the_existing_one(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    first = await _rsvp(server, member, event["id"])
    again = await _rsvp(server, member, event["id"], guests=0)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert len(await rows_of(event["id"])) == 1
    assert [k for k, _ in await outbox_kinds(event["id"])] == ["confirmed"]


async def test_guests_take_seats(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=3, max_guests=2)
    host, other = await make_member("Host"), await make_member("Other")
    party = await _rsvp(server, host, event["id"], guests=2)
    assert party.json()["status"] == "confirmed" and party.json()["seats"] == 3
    assert (await _rsvp(server, other, event["id"])).json()["status"] == "waitlisted"
    async with server.client(coordinator.token) as http:
        shown = (await http.get(urls.link(urls.EVENT, event_id=event["id"]))).json()
    assert shown["seats_taken"] == 3 and shown["seats_left"] == 0


async def test_cancelling_frees_seats_and_promotes_the_next_in_line(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=1)
    holder, waiting = await make_member("Holder"), await make_member("Waiting")
    held = (await _rsvp(server, holder, event["id"])).json()
    await _rsvp(server, waiting, event["id"])
    cancelled = await _cancel(server, holder, held["id"])
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    rows = {r["member"]: r for r in await rows_of(event["id"])}
    assert rows[waiting.member_id]["status"] == "confirmed" and rows[waiting.member_id]["promoted_at"] is not None
    assert ("promoted", waiting.member_id) in await outbox_kinds(event["id"])
    again = await _cancel(server, holder, held["id"])  # idempotent
    assert again.status_code == 200 and again.json()["status"] == "cancelled"


async def test_a_party_that_does_not_fit_is_skipped_and_the_skip_recorded(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=2, max_guests=2)
    a, b = await make_member("A"), await make_member("B")
    trio, solo = await make_member("Trio"), await make_member("Solo")
    held_a = (await _rsvp(server, a, event["id"])).json()
    await _rsvp(server, b, event["id"])
    trio_rsvp = (await _rsvp(server, trio, event["id"], guests=2)).json()
    await _rsvp(server, solo, event["id"])
    await _cancel(server, a, held_a["id"])  # one seat free: the trio does not fit, the solo does
    rows = {r["member"]: r for r in await rows_of(event["id"])}
    assert rows[trio.member_id]["status"] == "waitlisted"
    assert rows[solo.member_id]["status"] == "confirmed"
    skips = await WaitlistSkip.select().where(WaitlistSkip.event == event["id"])
    assert [(s["rsvp"], s["seats_needed"], s["seats_free"]) for s in skips] == [(trio_rsvp["id"], 3, 1)]
    async with server.client(coordinator.token) as http:
        waitlist = (await http.get(urls.link(urls.EVENT_WAITLIST, event_id=event["id"]))).json()
    assert [(w["member_id"], w["position"], w["times_skipped"]) for w in waitlist] == [(trio.member_id, 1, 1)]


async def test_capacity_increase_promotes_and_decrease_removes_nobody(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=2)
    people = [await make_member(f"P{i}") for i in range(4)]
    for p in people:
        await _rsvp(server, p, event["id"])
    path = urls.link(urls.EVENT, event_id=event["id"])
    async with server.client(coordinator.token) as http:
        bigger = await http.patch(path, json={"capacity": 3})
        assert bigger.status_code == 200 and bigger.json()["seats_taken"] == 3
        smaller = await http.patch(path, json={"capacity": 1})
        assert smaller.status_code == 200
        assert smaller.json()["seats_taken"] == 3 and smaller.json()["seats_left"] == 0
    statuses = [r["status"] for r in await rows_of(event["id"])]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    # A cancellation with capacity now below the seats held frees nothing for the waitlist.
    first = (await rows_of(event["id"]))[0]
    await _cancel(server, people[0], first["id"])
    assert [r["status"] for r in await rows_of(event["id"])] == ["cancelled", "confirmed", "confirmed", "waitlisted"]


async def test_tier_priority_puts_higher_tiers_first_and_says_why(server: LiveServer, coordinator: Caller) -> None:
    from club.members import update_member
    from club.points import award
    from club.schemas import MemberUpdate
    from club.tables import PointsReason

    event = await published_event(server, coordinator, capacity=1, waitlist_policy="tier_priority")
    first, silver, gold = await make_member("First"), await make_member("Silver"), await make_member("Gold")
    await award(gold.member_id, 1_000, PointsReason.adjustment, "gold-test")  # type: ignore[arg-type]
    await _rsvp(server, first, event["id"])
    silver_rsvp = (await _rsvp(server, silver, event["id"])).json()
    gold_rsvp = (await _rsvp(server, gold, event["id"])).json()
    assert (silver_rsvp["position"], gold_rsvp["position"]) == (1, 1)  # each as it stood on arrival
    async with server.client(silver.token) as http:
        assert (await http.get(urls.link(urls.RSVP, rsvp_id=silver_rsvp["id"]))).json()["position"] == 2
    async with server.client(coordinator.token) as http:
        waitlist = (await http.get(urls.link(urls.EVENT_WAITLIST, event_id=event["id"]))).json()
    assert [w["member_id"] for w in waitlist] == [gold.member_id, silver.member_id]
    assert waitlist[0]["tier_at_join"] == "Gold" and "Gold (rank 2)" in waitlist[0]["reason"]
    # A coordinator reading Chinese reads why in Chinese, the tier by its Chinese name.
    async with server.client(coordinator.token) as http:
        chinese = (await http.get(urls.link(urls.EVENT_WAITLIST, event_id=event["id"]), headers={"Accept-Language": "zh-CN"})).json()
    assert chinese[0]["reason"].startswith("等级优先：加入时为金卡（第 2 级），同等级按加入时间（")
    assert chinese[1]["reason"].startswith("等级优先：加入时为银卡（第 1 级）")
    # A member reads their place's reason in their own language, which comes before the browser's.
    async with server.client(silver.token) as http:
        own = (await http.get(urls.link(urls.RSVP, rsvp_id=silver_rsvp["id"]), headers={"Accept-Language": "zh-TW"})).json()
    assert own["position"] == 2 and own["position_reason"].startswith("tier priority: Silver (rank 1) when joining")
    await update_member(silver.member_id, MemberUpdate(language="zh-Hant"))  # type: ignore[arg-type]
    async with server.client(silver.token) as http:
        mine = (await http.get(urls.MY_RSVPS)).json()
    assert [r["position_reason"][:18] for r in mine] == ["等級優先：加入時為銀卡（第 1 級）"]


async def test_cancelled_past_and_closed_events_refuse_with_distinct_problems(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    cancelled = await published_event(server, coordinator)
    async with server.client(coordinator.token) as http:
        await http.post(urls.link(urls.EVENT_CANCEL, event_id=cancelled["id"]))
    later = await published_event(server, coordinator, rsvp_opens_at=(now + timedelta(days=2)).isoformat())
    closed = await published_event(server, coordinator, rsvp_closes_at=(now - timedelta(hours=1)).isoformat())
    past = await published_event(server, coordinator)
    await Event.update({Event.starts_at: now - timedelta(hours=1), Event.ends_at: now + timedelta(hours=1)}).where(
        Event.id == past["id"]
    )
    expected = {cancelled["id"]: "event-cancelled", later["id"]: "rsvp-not-open", closed["id"]: "rsvp-closed", past["id"]: "event-past"}
    for event_id, slug in expected.items():
        response = await _rsvp(server, member, event_id)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == f"/problems/{slug}"
        assert await rows_of(event_id) == []


async def test_drafts_are_invisible_to_members(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with server.client(coordinator.token) as http:
        from tests.events.helpers import event_body

        draft = (await http.post(urls.EVENTS, json=event_body())).json()
    assert draft["status"] == "draft"
    assert (await _rsvp(server, member, draft["id"])).status_code == 404
    async with server.client(member.token) as http:
        assert (await http.get(urls.link(urls.EVENT, event_id=draft["id"]))).status_code == 404
        assert (await http.get(urls.EVENTS)).json() == []


async def test_rsvp_again_after_cancelling_reuses_the_rsvp(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator)
    first = (await _rsvp(server, member, event["id"])).json()
    await _cancel(server, member, first["id"])
    again = await _rsvp(server, member, event["id"])
    assert again.status_code == 201 and again.json()["id"] == first["id"] and again.json()["status"] == "confirmed"
    assert len(await rows_of(event["id"])) == 1


async def test_my_rsvps_and_attendees_and_csv(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=1)
    one, two = await make_member("=Ada"), await make_member("Bo")
    await _rsvp(server, one, event["id"])
    await _rsvp(server, two, event["id"])
    async with server.client(one.token) as http:
        mine = (await http.get(urls.MY_RSVPS)).json()
    assert [(r["event_id"], r["status"]) for r in mine] == [(event["id"], "confirmed")]
    async with server.client(coordinator.token) as http:
        attendees = (await http.get(urls.link(urls.EVENT_ATTENDEES, event_id=event["id"]))).json()
        csv_a = await http.get(urls.link(urls.EVENT_ATTENDEES_CSV, event_id=event["id"]))
        csv_w = await http.get(urls.link(urls.EVENT_WAITLIST_CSV, event_id=event["id"]))
    assert [a["member_id"] for a in attendees] == [one.member_id]
    assert csv_a.headers["content-type"].startswith("text/csv")
    lines = csv_a.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("rsvp_id,member_id,name") and "'=Ada" in lines[1]
    assert csv_w.text.strip().splitlines()[1].startswith("1,") and "Bo" in csv_w.text


async def test_an_event_a_domain_books_itself_refuses_the_generic_rsvp_routes(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    event = await published_event(server, coordinator, kind="health_checkup", title="Clinic slot")
    await Event.update({Event.booked_through: "health_programs"}).where(Event.id == event["id"])
    refused = await _rsvp(server, member, event["id"])
    assert refused.status_code == 409 and refused.json()["type"].endswith("/booked-elsewhere")
    assert refused.json()["booked_through"] == "health_programs"
    assert await rows_of(event["id"]) == []
    async with server.client(member.token) as http:
        listed = await http.get(urls.EVENTS)
    assert event["id"] not in [e["id"] for e in listed.json()]  # listed by its own domain instead
