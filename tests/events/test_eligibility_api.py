"""Eligibility over HTTP: the reasons endpoint, and the same rules refusing an RSVP with 403."""

from __future__ import annotations

from datetime import datetime, timedelta

from club.members import set_status
from club.points import award
from club.tables import MemberStatus, PointsReason
from events import urls
from tests.conftest import LiveServer
from tests.events.helpers import outbox_kinds, published_event, rows_of
from tests.factories import Caller, make_member


async def _eligibility(server: LiveServer, who: Caller, event_id: int, **params: int) -> dict:
    async with server.client(who.token) as http:
        response = await http.get(urls.link(urls.EVENT_ELIGIBILITY, event_id=event_id), params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_members_see_why_they_are_not_eligible(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator, min_tier="Gold", invitation_only=True, kind="fashion_week")
    answer = await _eligibility(server, member, event["id"])
    assert answer == {"event_id": event["id"], "member_id": member.member_id, "eligible": False,
                      "reasons": ["Gold and above", "by invitation"]}
    async with server.client(member.token) as http:
        refused = await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/not-eligible"
    assert refused.json()["reasons"] == ["Gold and above", "by invitation"]
    assert await rows_of(event["id"]) == []
    assert await outbox_kinds(event["id"]) == []  # the refused transaction wrote nothing


async def test_the_reasons_are_in_the_readers_language(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, min_tier="Gold", invitation_only=True, kind="fashion_week")
    li = await make_member("李娜", language="zh-Hans")
    assert (await _eligibility(server, li, event["id"]))["reasons"] == ["此活动面向金卡及以上会员", "此活动仅限受邀会员"]
    # A coordinator reading in traditional characters asks about the same member.
    async with server.client(coordinator.token) as http:
        answer = await http.get(
            urls.link(urls.EVENT_ELIGIBILITY, event_id=event["id"]), params={"member_id": li.member_id},
            headers={"Accept-Language": "zh-TW"},
        )
    assert answer.headers["content-language"] == "zh-Hant"
    assert answer.json()["reasons"] == ["此活動面向金卡及以上會員", "此活動僅限受邀會員"]


async def test_an_invited_gold_member_may_come(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator, min_tier="Gold", invitation_only=True)
    await award(member.member_id, 1_000, PointsReason.adjustment, "to-gold")  # type: ignore[arg-type]
    async with server.client(coordinator.token) as http:
        invited = await http.post(
            urls.link(urls.EVENT_INVITATIONS, event_id=event["id"]), json={"member_ids": [member.member_id, member.member_id]}
        )
        assert invited.status_code == 200 and [i["member_id"] for i in invited.json()] == [member.member_id]
        # Coordinators ask about a named member.
        answer = await http.get(urls.link(urls.EVENT_ELIGIBILITY, event_id=event["id"]), params={"member_id": member.member_id})
    assert answer.json()["eligible"] is True
    async with server.client(member.token) as http:
        listed = (await http.get(urls.EVENTS)).json()
        response = await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert [e["id"] for e in listed] == [event["id"]]
    assert response.status_code == 201 and response.json()["status"] == "confirmed"


async def test_invitation_only_events_are_not_listed_to_others(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    await published_event(server, coordinator, invitation_only=True)
    open_event = await published_event(server, coordinator)
    async with server.client(member.token) as http:
        assert [e["id"] for e in (await http.get(urls.EVENTS)).json()] == [open_event["id"]]


async def test_suspended_members_and_points_minimum(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator, min_points=500)
    await set_status(member.member_id, MemberStatus.suspended)  # type: ignore[arg-type]
    answer = await _eligibility(server, member, event["id"])
    assert answer["reasons"] == ["your membership is suspended", "at least 500 points"]


async def test_one_health_checkup_per_rolling_12_months(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    first = await published_event(server, coordinator, kind="health_checkup", max_per_12_months=1)
    start = first["starts_at"]
    later = datetime.fromisoformat(start) + timedelta(days=200)
    second = await published_event(
        server, coordinator, kind="health_checkup", max_per_12_months=1,
        starts_at=later.isoformat(), ends_at=(later + timedelta(hours=1)).isoformat(),
    )
    far = datetime.fromisoformat(start) + timedelta(days=400)
    third = await published_event(
        server, coordinator, kind="health_checkup", max_per_12_months=1,
        starts_at=far.isoformat(), ends_at=(far + timedelta(hours=1)).isoformat(),
    )
    async with server.client(member.token) as http:
        assert (await http.post(urls.link(urls.EVENT_RSVP, event_id=first["id"]), json={})).status_code == 201
        refused = await http.post(urls.link(urls.EVENT_RSVP, event_id=second["id"]), json={})
        allowed = await http.post(urls.link(urls.EVENT_RSVP, event_id=third["id"]), json={})
    assert refused.status_code == 403 and refused.json()["reasons"] == ["one health_checkup per 12 months"]
    assert allowed.status_code == 201


async def test_eligibility_is_checked_again_at_rsvp_time(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, min_tier="Gold")
    gold = await make_member("Gold")
    await award(gold.member_id, 1_000, PointsReason.adjustment, "gold")  # type: ignore[arg-type]
    assert (await _eligibility(server, gold, event["id"]))["eligible"] is True
    async with server.client(coordinator.token) as http:
        await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"min_tier": "Platinum"})
    async with server.client(gold.token) as http:
        refused = await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert refused.status_code == 403 and refused.json()["reasons"] == ["Platinum and above"]
