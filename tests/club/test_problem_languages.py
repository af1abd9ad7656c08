"""A problem-details answer speaks its reader's language: their own, else Accept-Language, else
the club's (English in the tests), and says which in Content-Language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from club import clock, urls
from club.auth import RoleRequired
from club.errors import said_text
from club.i18n.languages import Language
from club.tables import Role
from events import urls as event_urls
from events.urls import link
from tests.conftest import LiveServer
from tests.events.helpers import event_body, published_event
from tests.factories import Caller, make_member

MISSING_EVENT = link(event_urls.EVENT, event_id=4242)


@pytest.mark.parametrize(
    ("accept", "tag", "title", "detail"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans", "未找到", "活动 4242 不存在。"),
        ("zh-TW", "zh-Hant", "未找到", "活動 4242 不存在。"),
        ("zh-Hans-CN", "zh-Hans", "未找到", "活动 4242 不存在。"),
        (None, "en", "Not found", "Event 4242 does not exist."),
        ("fr-FR", "en", "Not found", "Event 4242 does not exist."),
    ],
)
async def test_a_problem_follows_accept_language(
    server: LiveServer, coordinator: Caller, accept: str | None, tag: str, title: str, detail: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    async with server.client(coordinator.token) as http:
        response = await http.get(MISSING_EVENT, headers=headers)
    assert response.status_code == 404
    assert response.headers["content-language"] == tag
    body = response.json()
    assert (body["title"], body["detail"]) == (title, detail)
    assert body["type"] == "/problems/not-found"  # what a client switches on does not change


async def test_a_members_own_language_comes_before_their_browser(server: LiveServer) -> None:
    member = await make_member("Lin Mei", language="zh-Hant")
    async with server.client(member.token) as http:
        response = await http.get(MISSING_EVENT, headers={"Accept-Language": "zh-CN, en"})
    assert response.headers["content-language"] == "zh-Hant"
    assert response.json()["detail"] == "活動 4242 不存在。"


async def test_extension_members_keep_their_names_in_every_language(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator)
    async with server.client(coordinator.token) as http:
        response = await http.post(
            link(event_urls.EVENT_INVITATIONS, event_id=event["id"]), json={"member_ids": [987654]},
            headers={"Accept-Language": "zh-CN"},
        )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "以下会员不存在：[987654]。"
    assert body["missing"] == [987654]


async def test_a_validation_error_in_chinese_keeps_the_field_it_names(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(
            urls.MEMBERS, json={"name": 5, "email": "wei@example.com"}, headers={"Accept-Language": "zh-CN"}
        )
    assert response.status_code == 400
    body = response.json()
    assert response.headers["content-language"] == "zh-Hans"
    assert body["title"] == "请求无效"
    assert body["detail"].startswith("请求中有内容无法识别，请检查后重新提交。")
    assert "（name: Expected `str`, got `int`）" in body["detail"]  # the technical part names the field
    assert body["errors"][0]["key"] == "name"


async def test_litestars_own_refusals_are_translated(server: LiveServer) -> None:
    async with server.client() as http:
        unauthenticated = await http.get(urls.ME, headers={"Accept-Language": "zh-TW"})
        no_route = await http.get("/api/no-such-thing", headers={"Accept-Language": "zh-CN"})
        english = await http.get(urls.ME)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["title"] == "需要登入"
    assert unauthenticated.json()["detail"] == "此操作需要有效的存取令牌，請先登入。"
    assert no_route.status_code == 404
    assert no_route.headers["content-language"] == "zh-Hans"
    assert no_route.json()["detail"] == "此地址下没有内容，请检查链接是否正确。"
    assert english.json()["title"] == "Authentication required"
    assert english.json()["detail"] == "A valid bearer token is required."
    assert english.headers["content-language"] == "en"


async def test_every_answer_names_its_language(server: LiveServer, member: Caller) -> None:
    async with server.client(member.token) as http:
        own = await http.get(urls.ME, headers={"Accept-Language": "zh-TW"})
    assert own.status_code == 200
    assert own.headers["content-language"] == "en"  # the member's own language (en) comes first


async def test_a_refused_rsvp_says_why_in_the_members_language(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, min_tier="Gold", invitation_only=True)
    member = await make_member("Chen Jing", language="zh-Hans")
    async with server.client(member.token) as http:
        response = await http.post(link(event_urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert response.status_code == 403
    body = response.json()
    assert body["title"] == "不符合条件"
    assert body["detail"] == "您暂不符合此活动的报名条件：此活动面向金卡及以上会员；此活动仅限受邀会员。如有疑问，请联系会员顾问。"
    assert body["reasons"] == ["Gold and above", "by invitation"]  # what clients read stays as it was
    english_member = await make_member("Claire Dubois")  # English: the tests' members default to it
    async with server.client(english_member.token) as http:
        english = await http.post(link(event_urls.EVENT_RSVP, event_id=event["id"]), json={})
    assert english.json()["detail"] == "You are not eligible for this event: Gold and above; by invitation."


async def test_an_events_times_are_refused_in_the_readers_language(server: LiveServer, coordinator: Caller) -> None:
    start = clock.now().replace(microsecond=0) + timedelta(days=10)
    body = event_body(starts_at=start.isoformat(), ends_at=(start - timedelta(hours=1)).isoformat())
    async with server.client(coordinator.token) as http:
        chinese = await http.post(event_urls.EVENTS, json=body, headers={"Accept-Language": "zh-CN"})
        english = await http.post(event_urls.EVENTS, json=body)
    assert chinese.status_code == english.status_code == 400
    assert chinese.headers["content-language"] == "zh-Hans"
    assert chinese.json()["detail"] == "活动时间设置有误：活动结束时间须晚于开始时间。请调整后重新提交。"
    assert chinese.json()["problems"] == ["the event must end after it starts"]  # what clients read stays English
    assert english.json()["detail"] == "The event must end after it starts."
    assert english.json()["problems"] == ["the event must end after it starts"]


async def test_two_schedule_problems_are_joined_as_the_language_joins_them(server: LiveServer, coordinator: Caller) -> None:
    start = clock.now().replace(microsecond=0) + timedelta(days=10)
    body = event_body(venue_time_zone="Mars/Olympus", rsvp_closes_at=(start + timedelta(hours=1)).isoformat())
    async with server.client(coordinator.token) as http:
        chinese = await http.post(event_urls.EVENTS, json=body, headers={"Accept-Language": "zh-TW"})
        english = await http.post(event_urls.EVENTS, json=body)
    assert chinese.json()["detail"] == (
        "活動時間設定有誤：'Mars/Olympus' 不是可識別的時區，請使用 IANA 時區名稱，例如 'Europe/Paris'；"
        "報名須在活動開始前截止。請調整後重新提交。"
    )
    assert english.json()["detail"] == (
        "'Mars/Olympus' is not a known time zone; use an IANA name like 'Europe/Paris'; "
        "RSVPs must close by the start of the event."
    )


async def test_a_role_guard_names_the_role_in_the_readers_language(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("Lin Mei", language="zh-Hant")
    english_member = await make_member("Claire Dubois")
    async with server.client(member.token) as http:
        chinese = await http.get(urls.MEMBERS, headers={"Accept-Language": "zh-TW"})
    async with server.client(english_member.token) as http:
        english = await http.get(urls.MEMBERS)
    assert chinese.status_code == english.status_code == 403
    assert chinese.headers["content-language"] == "zh-Hant"
    assert (chinese.json()["title"], chinese.json()["detail"]) == ("無權操作", "此操作需要會員顧問身分。")
    assert english.json()["detail"] == "This needs the coordinator role."
    assert chinese.json()["type"] == english.json()["type"] == "/problems/forbidden"


def test_a_guard_allowing_two_roles_names_both() -> None:
    refusal = RoleRequired((Role.staff, Role.coordinator))
    assert refusal.detail == "This needs the staff or coordinator role."
    assert said_text(Language.zh_hans, refusal.said) == "此操作需要入口工作人员或会员顾问身份。"
