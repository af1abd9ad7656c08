"""Inviting a segment to an event over real HTTP: each member who holds no place at it yet is put
on its invitation list (so an event above their tier takes their RSVP) and receives the event's
link once, in their language, minding their preferences for invitations; the same key again is
the same invitation. And a delivery left `sending` by a worker killed mid-send goes out once
its lease ran out, never a second time where the first did go out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from checkin.segments.delivery import deliver_due
from checkin.segments.tables import SegmentDelivery
from club import clock
from club.settings import Settings
from events import urls
from events.reminders.preferences import MessageKind, accepts, set_preferences
from events.reminders.tables import Channel, ReminderMessage
from events.tables import Invitation
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller
from tests.measures.builders import rsvp
from tests.segments.helpers import build_club, messages_of

DORMANT = {"name": "Dormant", "activity": "dormant"}  # Bo, Dora (Platinum) and Emil (Silver), today


async def _segment(server: LiveServer, coordinator: Caller) -> int:
    async with server.client(coordinator.token) as http:
        made = await http.post("/api/segments", json=DORMANT)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def _eligible(server: LiveServer, coordinator: Caller, event_id: int, member_id: int) -> bool:
    async with server.client(coordinator.token) as http:
        answer = await http.get(urls.link(urls.EVENT_ELIGIBILITY, event_id=event_id), params={"member_id": member_id})
    return bool(answer.json()["eligible"])


async def test_a_segment_invited_to_a_platinum_salon_gets_its_link_once_and_its_door_opens(
    server: LiveServer, coordinator: Caller, settings: Settings,
) -> None:
    club = await build_club()
    ids = club.ids
    segment_id = await _segment(server, coordinator)
    salon = await published_event(server, coordinator, min_tier="Platinum", title="Salon du parfum")
    await rsvp(salon["id"], ids["Dora"], created=clock.now(), confirmed=clock.now())  # she holds a seat already
    assert not await _eligible(server, coordinator, salon["id"], ids["Emil"])  # Silver, below the salon's tier
    body = {"key": "salon-dormant", "event_id": salon["id"]}
    path = f"/api/segments/{segment_id}/invitations"
    async with server.client(coordinator.token) as http:
        first = await http.post(path, json=body)
        again = await http.post(path, json=body)
        bad_event = await http.post(path, json={**body, "key": "x", "event_id": 999_999})
        bad_text = await http.post(path, json={**body, "key": "y", "body": "{survey_link}"})
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert again.json()["id"] == first.json()["id"]
    assert (first.json()["members"], first.json()["event_id"]) == (2, salon["id"])  # Bo and Emil, not Dora
    assert (bad_event.status_code, bad_text.status_code) == (400, 400)
    invited = {r["member"] for r in await Invitation.select(Invitation.member).where(Invitation.event == salon["id"])}
    assert invited == {ids["Bo"], ids["Emil"]}
    assert await _eligible(server, coordinator, salon["id"], ids["Emil"])  # the invitation opens the tier's door
    assert await deliver_due(settings) == 2
    assert await deliver_due(settings) == 0
    [bo] = await messages_of(ids["Bo"])
    link = f"{settings.public_base_url}/events/{salon['id']}"
    assert bo["subject"] == "专属邀请：Salon du parfum"
    assert bo["body"].startswith("尊敬的Bo，诚邀您出席Salon du parfum，时间：") and bo["body"].endswith(f"报名请点击：{link}")
    [emil] = await messages_of(ids["Emil"])
    assert emil["subject"] == "An invitation: Salon du parfum" and link in emil["body"]
    assert await messages_of(ids["Dora"]) == []


async def test_invitations_and_club_news_are_turned_off_apart_from_bookings(
    server: LiveServer, coordinator: Caller, settings: Settings,
) -> None:
    club = await build_club()
    ids = club.ids
    # Bo takes no invitations by e-mail; Emil takes no club news, but still his invitations and bookings.
    await set_preferences(ids["Bo"], {MessageKind.invitation: frozenset({Channel.sms})})
    await set_preferences(ids["Emil"], {MessageKind.segment: frozenset()})
    assert await accepts(ids["Emil"], MessageKind.booking, Channel.email)
    segment_id = await _segment(server, coordinator)
    salon = await published_event(server, coordinator)
    async with server.client(coordinator.token) as http:
        invite = (await http.post(f"/api/segments/{segment_id}/invitations", json={"key": "k", "event_id": salon["id"]})).json()
        news = (await http.post(f"/api/segments/{segment_id}/sends", json={"key": "n", "body": "Dear {member_name}, news."})).json()
    await deliver_due(settings)
    statuses = {(r["send"], r["member"]): r["status"] for r in await SegmentDelivery.select()}
    assert statuses[(invite["id"], ids["Bo"])] == "skipped" and statuses[(invite["id"], ids["Emil"])] == "sent"
    assert statuses[(news["id"], ids["Bo"])] == "sent" and statuses[(news["id"], ids["Emil"])] == "skipped"


async def _left_sending(settings: Settings, server: LiveServer, coordinator: Caller) -> tuple[dict[str, int], int]:
    """A send whose deliveries a worker claimed and was killed on: left `sending`."""
    club = await build_club()
    segment_id = await _segment(server, coordinator)
    async with server.client(coordinator.token) as http:
        send = (await http.post(f"/api/segments/{segment_id}/sends", json={"key": "k", "body": "Dear {member_name}."})).json()
    now = clock.now()
    await SegmentDelivery.update({
        SegmentDelivery.status: "sending", SegmentDelivery.lease_until: now + timedelta(seconds=settings.reminder_send_lease_s),
        SegmentDelivery.attempts: 1,
    }).where(SegmentDelivery.send == send["id"])
    return club.ids, int(send["id"])


async def test_a_delivery_left_sending_goes_once_its_lease_ran_out_and_never_twice(
    server: LiveServer, coordinator: Caller, settings: Settings,
) -> None:
    ids, send_id = await _left_sending(settings, server, coordinator)
    # The killed worker had handed Bo's message over before dying: the outbox holds it already.
    [bo_row] = await SegmentDelivery.select().where((SegmentDelivery.send == send_id) & (SegmentDelivery.member == ids["Bo"]))
    await ReminderMessage.insert(ReminderMessage(
        delivery_key=bo_row["delivery_key"], intended_channel="email", member=ids["Bo"], recipient="bo@members.test",
        subject="", body="Dear Bo.", created_at=clock.now(),
    ))
    assert await deliver_due(settings) == 0  # the lease still runs: the worker may be alive
    later = clock.now() + timedelta(seconds=settings.reminder_send_lease_s + 1)
    with clock.frozen_at(later):
        assert await deliver_due(settings, later) == 3  # Bo, Dora, Emil
        assert await deliver_due(settings, later) == 0
    for name in ("Bo", "Dora", "Emil"):
        assert len(await messages_of(ids[name])) == 1, name
    rows = await SegmentDelivery.select().where(SegmentDelivery.send == send_id)
    assert {(r["status"], r["attempts"]) for r in rows} == {("sent", 2)}


async def test_a_short_lease_is_the_settings(server: LiveServer, coordinator: Caller, settings: Settings) -> None:
    ids, _ = await _left_sending(replace(settings, reminder_send_lease_s=0.0), server, coordinator)
    later = clock.now() + timedelta(seconds=1)
    assert await deliver_due(replace(settings, reminder_send_lease_s=0.0), later) == 3
    assert len(await messages_of(ids["Bo"])) == 1


async def test_the_preferences_page_offers_club_news_apart_from_bookings_in_chinese(server: LiveServer) -> None:
    from events.reminders.preferences import preferences_of
    from tests.web.sign_in_steps import signed_in, text_of
    from tests.web.test_preferences_pages import _boxes, _save

    async with signed_in(server, "王静") as (member, browser):
        page = await browser.get("/preferences")
        said = text_of(page.text)
        assert "会所资讯" in said and "会所发给您这类会员的信函" in said
        assert _boxes(page.text, "segment") == {"email": (True, False), "sms": (True, False), "call": (True, False)}
        saved = await _save(browser, {"segment": []}, drop=("segment",))
        assert saved.status_code in (200, 303)
    chosen = await preferences_of(member.member_id)  # type: ignore[arg-type]
    assert chosen[MessageKind.segment] == frozenset() and chosen[MessageKind.booking] == frozenset(Channel)


def test_an_invitation_past_the_tier_opens_only_the_tiers_door() -> None:
    from club.tables import MemberStatus
    from events.rules import EventFacts, MemberFacts, ineligibility_reasons
    from events.tables import EventKind

    platinum = EventFacts(kind=EventKind.salon, min_tier_rank=3, min_tier_name="Platinum", min_points=500)
    silver = MemberFacts(MemberStatus.active, tier_rank=1, tier_name="Silver", points=600)
    assert ineligibility_reasons(platinum, silver) == ["Platinum and above"]
    assert ineligibility_reasons(platinum, replace(silver, invited=True, invited_past_tier=True)) == []
    # The other conditions stand: an invitation is no gift of points.
    assert ineligibility_reasons(platinum, replace(silver, points=0, invited=True, invited_past_tier=True)) == [
        "at least 500 points"]
