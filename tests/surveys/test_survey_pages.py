"""The member's survey page over real HTTP: the form in the member's language, one answer kept,
a bad one refused beside its field, and a link that opens nothing for anyone who did not come.
A check-up's form asks the member to write nothing medical, and no comment reaches a log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from checkin.surveys.tables import SurveyAnswer
from club import clock
from club.log_redaction import redact
from club.settings import Settings
from club.tables import Member, MemberStatus
from events.tables import Event, EventKind, EventStatus
from tests.conftest import LiveServer
from tests.measures import builders
from tests.surveys.helpers import attendee, survey_path

ENDED = datetime(2026, 12, 10, 20, 0, tzinfo=UTC)


def _browser(server: LiveServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.base_url, headers={"Accept-Language": "en"})


async def _salon(kind: EventKind = EventKind.salon, title: str = "Salon des parfums") -> int:
    return await builders.event(ENDED - timedelta(hours=2), kind=kind, title=title)


async def test_a_member_who_came_answers_once(server: LiveServer, settings: Settings) -> None:
    salon = await _salon()
    member_id, rsvp_id = await attendee(salon, "林月", language="zh-Hans")
    path = await survey_path(settings, salon, member_id)
    async with _browser(server) as browser:
        form = await browser.get(path)
        assert form.status_code == 200 and form.headers["content-language"] == "zh-Hans"
        assert form.headers["cache-control"] == "no-store" and form.headers["referrer-policy"] == "no-referrer"
        assert "尊敬的 林月，感谢您的光临。" in form.text and "您有多大可能向亲友推荐此次活动？" in form.text
        assert all(f'id="score-{n}"' in form.text for n in range(11))
        # No score: the form again, the problem beside the scores, the comment kept.
        missing = await browser.post(path, data={"comment": "香氛很好"})
        assert missing.status_code == 400 and 'id="score-error"' in missing.text and "请选择 0 至 10 分。" in missing.text
        assert "香氛很好</textarea>" in missing.text
        for bad in ("11", "-1", "8.5", "x"):
            refused = await browser.post(path, data={"score": bad})
            assert refused.status_code == 400 and "评分须为 0 至 10 之间的整数。" in refused.text, bad
        too_long = await browser.post(path, data={"score": "7", "comment": "好" * 1001})
        assert too_long.status_code == 400 and 'id="comment-error"' in too_long.text
        assert await SurveyAnswer.count() == 0
        sent = await browser.post(path, data={"score": "9", "comment": "  香氛很好  "})
        assert sent.status_code == 200 and "感谢您的回复" in sent.text and "9 / 10" in sent.text
        # A second answer is refused (409), with the first one shown; it stays the first.
        again = await browser.post(path, data={"score": "2", "comment": "改主意了"})
        assert again.status_code == 409 and "您已回复" in again.text and "9 / 10" in again.text
        reopened = await browser.get(path)
        assert reopened.status_code == 200 and "您已回复" in reopened.text and 'name="score"' not in reopened.text
    [stored] = await SurveyAnswer.select()
    assert (stored["event"], stored["member"], stored["rsvp"], stored["score"], stored["comment"]) == (
        salon, member_id, rsvp_id, 9, "香氛很好")
    assert stored["answer_key"] == f"{salon}:{member_id}"


async def test_a_link_opens_nothing_for_anyone_who_may_not_answer(server: LiveServer, settings: Settings) -> None:
    salon = await _salon()
    came, _ = await attendee(salon, "Came")
    stayed_home, _ = await attendee(salon, "Stayed home", came=False)
    suspended, _ = await attendee(salon, "Suspended")
    await Member.update({Member.status: MemberStatus.suspended.value}).where(Member.id == suspended)
    cancelled = await _salon(title="Cancelled salon")
    in_cancelled, _ = await attendee(cancelled, "Cancelled")
    await Event.update({Event.status: EventStatus.cancelled.value}).where(Event.id == cancelled)
    good = await survey_path(settings, salon, came)
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    other_event = good.replace(f"/s/{salon}.", f"/s/{cancelled}.", 1)
    paths = [forged, other_event, "/s/1.2.3", "/s/" + "x" * 400, await survey_path(settings, salon, stayed_home),
             await survey_path(settings, salon, suspended), await survey_path(settings, cancelled, in_cancelled)]
    async with _browser(server) as browser:
        for path in paths:
            for answer in (await browser.get(path), await browser.post(path, data={"score": "10"})):
                assert answer.status_code == 404, (path, answer.status_code)
                assert "This survey link is no longer valid" in answer.text
        # Sixty days after the end the member's own link stops opening.
        with clock.frozen_at(ENDED + timedelta(days=60)):
            assert (await browser.get(good)).status_code == 404
        with clock.frozen_at(ENDED + timedelta(days=59)):
            assert (await browser.get(good)).status_code == 200
    assert await SurveyAnswer.count() == 0


async def test_a_check_up_asks_nothing_medical_and_no_comment_reaches_a_log(
    server: LiveServer, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    checkup = await _salon(EventKind.health_checkup, "年度体检 · 瑞金医院")
    member_id, _ = await attendee(checkup, "Zhao", language="zh-Hans")
    path = await survey_path(settings, checkup, member_id)
    comment = "接待很周到，血压偏高"
    with caplog.at_level(logging.DEBUG):
        async with _browser(server) as browser:
            form = await browser.get(path)
            assert "请勿在此填写您的健康状况或检查结果：俱乐部不保存任何医疗信息。" in form.text
            assert "俱乐部的体检安排（预约、提醒与合作医疗机构的接待）" in form.text
            assert (await browser.post(path, data={"score": "10", "comment": comment})).status_code == 200
    assert comment not in caplog.text and path.removeprefix("/s/") not in caplog.text
    assert redact(f'"POST {path} HTTP/1.1" 200') == '"POST /s/[redacted] HTTP/1.1" 200'
