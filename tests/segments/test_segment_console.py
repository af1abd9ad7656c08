"""The console's segments over real HTTP, as a coordinator's browser uses them: save a segment
from the form, see its members, send a message from its page (twice: the page's key makes it one
send), and a refused field shown beside it in the reader's language."""

from __future__ import annotations

import re

from checkin.segments.delivery import deliver_due
from checkin.segments.tables import SegmentSend
from club.settings import Settings
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.pages import csrf_of
from tests.segments.helpers import build_club, messages_of


async def test_a_coordinator_saves_a_segment_and_sends_to_it_once(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    club = await build_club()
    async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as browser:
        listing = await browser.get("/console/segments")
        assert listing.status_code == 200 and "会员分组" in listing.text
        made = await browser.post("/console/segments", data={
            "_csrf_token": csrf_of(listing.text), "name": "白金卡沉睡会员", "tier": "Platinum", "activity": "dormant",
        })
        assert made.status_code == 303
        page = await browser.get(made.headers["location"])
        assert page.status_code == 200
        assert "Bo" in page.text and "Dora" in page.text and "Amélie" not in page.text
        key = re.search(r'name="key" value="([^"]+)"', page.text)
        assert key is not None
        form = {"_csrf_token": csrf_of(page.text), "key": key.group(1), "channel": "email",
                "subject": "冬季沙龙", "body": "尊敬的{member_name}，诚邀您出席冬季沙龙。"}
        first = await browser.post(made.headers["location"] + "/sends", data=form)
        second = await browser.post(made.headers["location"] + "/sends", data=form)  # a double click
        assert (first.status_code, second.status_code) == (303, 303)
        bad = await browser.post(made.headers["location"] + "/sends", data={**form, "key": "other", "body": "{event_title}"})
        assert bad.status_code == 400 and "{event_title}" in bad.text
    assert await SegmentSend.count() == 1
    assert await deliver_due(settings) == 2
    [bo] = await messages_of(club.ids["Bo"])
    assert bo["body"] == "尊敬的Bo，诚邀您出席冬季沙龙。"


async def test_a_refused_segment_is_the_form_again_with_the_problem(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as browser:
        listing = await browser.get("/console/segments")
        refused = await browser.post("/console/segments", data={
            "_csrf_token": csrf_of(listing.text), "name": "积分", "min_points": "500", "max_points": "100",
        })
    assert refused.status_code == 400
    assert "积分范围为空" in refused.text and 'value="积分"' in refused.text
