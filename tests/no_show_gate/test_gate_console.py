"""The console's no-show rule over real HTTP, as a coordinator's browser uses it: the form turns
the rule on for the tiers ticked, a bad number is shown beside its field in the reader's language,
and what is saved is what an RSVP then obeys."""

from __future__ import annotations

from events.no_show_gate.policy import gate_rule, rule_out
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.measures.builders import tier_id
from tests.pages import csrf_of


async def test_a_coordinator_turns_the_rule_on_for_silver_from_the_form(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **{"Accept-Language": "zh-CN"}) as browser:
        page = await browser.get("/console/no-show-rule")
        assert page.status_code == 200 and "未到场规则" in page.text and "俱乐部的活动不分季度" in page.text
        form = {"_csrf_token": csrf_of(page.text), "enabled": "on", "no_shows": "3", "months": "6", "tiers": "Silver"}
        saved = await browser.post("/console/no-show-rule", data=form)
        assert saved.status_code == 303 and saved.headers["location"].endswith("?done=saved")
        shown = await browser.get(saved.headers["location"])
        assert "规则已保存" in shown.text and 'value="Silver" checked' in shown.text
        bad = await browser.post("/console/no-show-rule", data={**form, "months": "forty"})
        assert bad.status_code == 400 and "请填写 1 至 36 之间的整数月数。" in bad.text
        off = await browser.post("/console/no-show-rule", data={"_csrf_token": csrf_of(page.text), "no_shows": "3", "months": "6"})
        assert off.status_code == 303
    rule = await rule_out()
    assert (rule.enabled, rule.tiers) == (False, []) and rule.updated_by
    assert (await gate_rule()).tier_ids == frozenset()


async def test_the_saved_rule_is_the_one_the_rsvp_reads(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator) as browser:
        page = await browser.get("/console/no-show-rule")
        await browser.post("/console/no-show-rule", data={
            "_csrf_token": csrf_of(page.text), "enabled": "on", "no_shows": "2", "months": "4", "tiers": ["Silver", "Gold"],
        })
    rule = await gate_rule()
    assert (rule.enabled, rule.no_shows, rule.months) == (True, 2, 4)
    assert rule.tier_ids == frozenset({await tier_id("Silver"), await tier_id("Gold")})
