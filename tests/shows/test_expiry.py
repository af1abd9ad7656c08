"""Reply-by dates: an unanswered offer expires, cannot be accepted, and its seat goes on in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis
from arq import create_pool

from club import clock
from club.server.worker import make_worker, redis_settings
from club.settings import Settings
from events import urls as event_urls
from events.shows import urls
from events.shows.jobs import expire_show_offers
from events.shows.tables import ShowInvitation
from events.tables import Rsvp
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.shows.helpers import invite, make_show, mine, notices, pass_reply_by, tiered

link = event_urls.link


async def test_an_expired_offer_cannot_be_accepted_and_the_next_in_line_is_offered(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    late, next_, after = await tiered("Late", "Diamond"), await tiered("Next", "Platinum"), await tiered("After", "Gold")
    offers = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [late, next_, after], front)}
    await pass_reply_by(offers[late.member_id]["id"])

    async with server.client(late.token) as http:
        refused = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=offers[late.member_id]["id"]), json={})
        declined = await http.post(link(urls.INVITATION_DECLINE, invitation_id=offers[late.member_id]["id"]))
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/invitation-expired"
    assert "reply-by" in refused.json()["detail"] and refused.json()["reply_by"]
    assert declined.status_code == 409 and declined.json()["type"] == "/problems/invitation-expired"
    assert await Rsvp.count().where(Rsvp.event == show["id"]) == 0

    # The refusal committed the expiry: the seat went on at once, with a fresh reply-by.
    handed = (await mine(server, next_))[0]
    assert handed["status"] == "offered"
    assert datetime.fromisoformat(handed["reply_by"]) > datetime.now(UTC) + timedelta(hours=71)
    assert (await mine(server, after))[0]["position"] == 1
    assert [(k, m) for k, m in await notices(show["id"])] == [
        ("show_invited", late.member_id), ("show_offer_expired", late.member_id), ("show_offered", next_.member_id),
    ]
    async with server.client(next_.token) as http:
        taken = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=handed["id"]), json={})
    assert taken.status_code == 200 and taken.json()["status"] == "accepted"


async def test_reading_expires_overdue_offers_without_waiting_for_the_job(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    first, second = await tiered("First", "Diamond"), await tiered("Second", "Gold")
    offers = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [first, second], show["by_name"]["Front row"]["id"])}
    await pass_reply_by(offers[first.member_id]["id"])
    shown = (await mine(server, first))[0]
    assert shown["status"] == "expired" and shown["ended_at"] is not None and shown["seats_held"] == 0
    for _ in range(3):  # reading again expires nothing twice
        await mine(server, first)
        await mine(server, second)
    assert [k for k, _ in await notices(show["id"])].count("show_offer_expired") == 1
    assert [k for k, _ in await notices(show["id"])].count("show_offered") == 1


async def test_the_job_expires_every_overdue_offer_and_hands_the_seats_over(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2), ("Second row", 1)])
    front, second = show["by_name"]["Front row"]["id"], show["by_name"]["Second row"]["id"]
    members = [await tiered(f"Front {i}", "Diamond") for i in range(4)]
    other = [await tiered(f"Second {i}", "Gold") for i in range(2)]
    await invite(server, coordinator, show["id"], members, front, reply_within_hours=24)
    await invite(server, coordinator, show["id"], other, second, reply_within_hours=48)

    # A day and a bit later, nobody having answered: the front row's offers are overdue, the
    # second row's are not yet.
    later = datetime.now(UTC) + timedelta(hours=25)
    assert await expire_show_offers({}, later) == 2
    rows = await ShowInvitation.select(ShowInvitation.member, ShowInvitation.status, ShowInvitation.reply_by).where(
        ShowInvitation.show == show["id"]
    ).order_by(ShowInvitation.id)
    assert [r["status"] for r in rows] == ["expired", "expired", "offered", "offered", "offered", "queued"]
    assert rows[2]["reply_by"] == later + timedelta(hours=24)  # the fresh offer's window runs from the hand-over
    assert await expire_show_offers({}, later) == 0  # nothing expires twice


async def test_reply_by_is_never_later_than_the_show(server: LiveServer, coordinator: Caller) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
    show = await make_show(
        server, coordinator, categories=[("Front row", 1)],
        starts_at=start.isoformat(), ends_at=(start + timedelta(hours=1)).isoformat(),
    )
    member = await tiered("Soon", "Diamond")
    [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"], reply_within_hours=72)
    assert datetime.fromisoformat(offer["reply_by"]) == start
    # Once the show starts, an unanswered offer is over.
    assert await expire_show_offers({}, start) == 1


async def test_the_expiry_job_runs_in_a_real_worker(server: LiveServer, coordinator: Caller, settings: Settings) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    first, second = await tiered("First", "Diamond"), await tiered("Second", "Gold")
    offers = {r["member_id"]: r for r in await invite(server, coordinator, show["id"], [first, second], show["by_name"]["Front row"]["id"])}
    await pass_reply_by(offers[first.member_id]["id"])
    client = aioredis.Redis.from_url(settings.redis_url)  # type: ignore[arg-type]
    await client.flushdb()  # only this test's job in the queue
    await client.aclose()
    queue = await create_pool(redis_settings(settings.redis_url))  # type: ignore[arg-type]
    try:
        await queue.enqueue_job("expire_show_offers")
        worker = make_worker(settings, in_process=True, burst=True, poll_delay=0.05)
        try:
            await asyncio.wait_for(worker.async_run(), timeout=30)
        finally:
            await worker.close()
    finally:
        await queue.aclose()
    statuses = await ShowInvitation.select(ShowInvitation.member, ShowInvitation.status).where(ShowInvitation.show == show["id"])
    assert {r["member"]: r["status"] for r in statuses} == {first.member_id: "expired", second.member_id: "offered"}


async def test_an_offer_is_open_until_its_reply_by_and_over_one_second_after(server: LiveServer, coordinator: Caller) -> None:
    """The clock frozen either side of the reply-by: the member's own read decides expiry."""
    with clock.frozen_at(datetime(2026, 2, 1, 9, 0, tzinfo=UTC)):
        show = await make_show(server, coordinator, categories=[("Front row", 1)])
        member, next_ = await tiered("On time", "Diamond"), await tiered("Next", "Platinum")
        offers = await invite(server, coordinator, show["id"], [member, next_], show["by_name"]["Front row"]["id"], reply_within_hours=24)
    reply_by = datetime.fromisoformat(offers[0]["reply_by"])
    assert reply_by == datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    with clock.frozen_at(reply_by - timedelta(seconds=1)):
        assert (await mine(server, member))[0]["status"] == "offered"
    with clock.frozen_at(reply_by + timedelta(seconds=1)):
        assert (await mine(server, member))[0]["status"] == "expired"
        assert (await mine(server, next_))[0]["status"] == "offered"
