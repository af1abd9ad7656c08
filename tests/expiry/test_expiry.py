"""Points expiry over the real ledger: FIFO per member by one statement, one entry per member per
date, a second run taking nothing, the rule applying from the date after it is saved, what a member
sees (API and points page) and the console's rule and preview. Runs on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.expiry import urls
from club.expiry.expiring import member_expiry, preview, run_due
from club.expiry.tables import ExpiryRun
from club.ledger import balance_of
from club.settings import Settings
from club.tables import PointsEntry, PointsReason
from tests.conftest import LiveServer
from tests.console import console_client
from tests.expiry.helpers import PARIS_APRIL_1, entry, rolling_rule
from tests.factories import Caller, make_member
from tests.pages import submit
from tests.web.sign_in_steps import ZH, text_of

OLD = datetime(2025, 3, 15, 10, tzinfo=UTC)  # before the 31 March 2027 cutoff (1 April 2025)
EDGE = datetime(2025, 3, 31, 21, 59, 59, tzinfo=UTC)  # 23:59:59 on 31 March 2025 in Paris: still old
NEW = datetime(2025, 3, 31, 22, 0, tzinfo=UTC)  # 00:00 on 1 April 2025 in Paris: survives
SPENT = datetime(2026, 6, 1, tzinfo=UTC)


async def _club() -> dict[str, int]:
    """Ann spent part of her old points; Bo spent all of them; Cai's redemption was returned;
    Dee earned on the edge's two sides; Eve has only new points."""
    ids = {}
    for name in ("Ann", "Bo", "Cai", "Dee", "Eve"):
        ids[name] = (await make_member(name)).member_id  # type: ignore[assignment]
    await entry(ids["Ann"], 1_000, OLD)
    await entry(ids["Ann"], 500, datetime(2025, 5, 2, tzinfo=UTC))
    await entry(ids["Ann"], -300, SPENT, PointsReason.redemption)
    await entry(ids["Bo"], 600, OLD)
    await entry(ids["Bo"], -600, SPENT, PointsReason.redemption)
    await entry(ids["Bo"], 200, datetime(2026, 7, 1, tzinfo=UTC))
    await entry(ids["Cai"], 1_000, OLD)
    await entry(ids["Cai"], -400, SPENT, PointsReason.redemption)
    await entry(ids["Cai"], 400, SPENT, PointsReason.returned)
    await entry(ids["Dee"], 70, EDGE)
    await entry(ids["Dee"], 30, NEW)
    await entry(ids["Eve"], 900, datetime(2026, 1, 1, tzinfo=UTC))
    return ids


async def _expired(member_id: int) -> list[dict[str, object]]:
    return list(await PointsEntry.select(PointsEntry.delta, PointsEntry.award_key).where(
        (PointsEntry.member == member_id) & (PointsEntry.reason == PointsReason.expiry.value)))


async def test_a_date_expires_each_member_s_oldest_points_once(settings: Settings) -> None:
    ids = await _club()
    await rolling_rule()
    with clock.frozen_at(datetime(2027, 3, 20, tzinfo=UTC)):
        ahead = await preview(settings.zone)
    assert (str(ahead.expires_on), str(ahead.cutoff), ahead.members, ahead.points) == ("2027-03-31", "2025-04-01", 3, 700 + 1_000 + 70)
    with clock.frozen_at(PARIS_APRIL_1):
        done = await run_due(settings.zone)
        again = await run_due(settings.zone)
    assert (str(done.expires_on), done.members, done.points) == ("2027-03-31", 3, 1_770)
    assert (again.members, again.points) == (0, 0)
    assert await _expired(ids["Ann"]) == [{"delta": -700, "award_key": f"expiry:{ids['Ann']}:2027-03-31"}]
    assert [e["delta"] for e in await _expired(ids["Cai"])] == [-1_000]
    assert [e["delta"] for e in await _expired(ids["Dee"])] == [-70]
    assert await _expired(ids["Bo"]) == [] and await _expired(ids["Eve"]) == []
    balances = {n: await balance_of(i) for n, i in ids.items()}
    assert balances == {"Ann": 500, "Bo": 200, "Cai": 0, "Dee": 30, "Eve": 900}
    [run] = await ExpiryRun.select(ExpiryRun.members, ExpiryRun.points)
    assert run == {"members": 3, "points": 1_770}
    # Even summed again by hand (the run's record gone), the date takes nothing more: FIFO counts
    # the first expiry as taken, and each entry's key is the member's and the date's.
    await ExpiryRun.delete(force=True)
    with clock.frozen_at(PARIS_APRIL_1):
        assert (await run_due(settings.zone)).points == 0


async def test_a_rule_applies_from_the_first_date_after_it_is_saved(settings: Settings) -> None:
    ids = await _club()
    await rolling_rule(saved_at=datetime(2027, 3, 31, 22, 10, tzinfo=UTC))  # 00:10 on 1 April, after 31 March ended
    with clock.frozen_at(PARIS_APRIL_1):
        done = await run_due(settings.zone)
    assert (done.expires_on, done.points) == (None, 0)
    assert await balance_of(ids["Ann"]) == 1_200


async def test_a_member_sees_what_expires_next_and_when(server: LiveServer, settings: Settings) -> None:
    ann = await make_member("Ann", language="zh-Hans")
    await entry(ann.member_id, 1_000, OLD)
    await entry(ann.member_id, 500, datetime(2025, 5, 2, tzinfo=UTC))
    await entry(ann.member_id, -300, SPENT, PointsReason.redemption)
    async with server.client(ann.token) as http:
        off = (await http.get(urls.MY_EXPIRY)).json()
    assert off == {"balance": 1_200, "points": 0, "expires_on": None, "at": None}
    await rolling_rule()
    with clock.frozen_at(datetime(2027, 3, 20, tzinfo=UTC)):
        async with server.client(ann.token) as http:
            mine = (await http.get(urls.MY_EXPIRY)).json()
        async with await console_client(server.base_url, ann, **ZH) as phone:
            page = await phone.get("/points")
    assert mine == {"balance": 1_200, "points": 700, "expires_on": "2027-03-31", "at": "2027-03-31T22:00:00Z"}
    assert "700 积分将于 2027年3月31日 到期" in page.text
    with clock.frozen_at(PARIS_APRIL_1):
        await run_due(settings.zone)
        later = await member_expiry(ann.member_id, settings.zone)  # type: ignore[arg-type]
    # April's dates take nothing; the points of May 2025 go at the end of May 2027.
    assert (later.balance, later.points, str(later.expires_on)) == (500, 500, "2027-05-31")


async def test_coordinators_set_the_rule_and_others_may_not(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with server.client(coordinator.token) as http:
        assert (await http.get(urls.RULE)).json()["mode"] == "off"
        saved = await http.put(urls.RULE, json={"mode": "yearly", "clear_month": 12, "clear_day": 31, "reminder_days": [7, 30]})
        bad = await http.put(urls.RULE, json={"mode": "yearly", "clear_month": 2, "clear_day": 30})
        unknown = await http.put(urls.RULE, json={"mode": "monthly"})
        ahead = await http.get(urls.PREVIEW)
        ran = await http.post(urls.RUNS)
    assert saved.status_code == 200, saved.text
    assert saved.json()["reminder_days"] == [30, 7] and saved.json()["next_expiry_on"].endswith("-12-31")
    assert bad.status_code == 400 and bad.json()["field"] == "clear_day"
    assert unknown.status_code == 400
    assert ahead.json()["members"] == 0 and ran.json() == {"expires_on": None, "members": 0, "points": 0}
    async with server.client(member.token) as http:
        for answer in (await http.get(urls.RULE), await http.put(urls.RULE, json={"mode": "off"}),
                       await http.get(urls.PREVIEW), await http.post(urls.RUNS)):
            assert answer.status_code == 403
    async with server.client(coordinator.token) as http:
        assert (await http.get(urls.MY_EXPIRY)).status_code == 403


async def test_the_console_saves_the_rule_and_previews_the_next_date(server: LiveServer, coordinator: Caller) -> None:
    await _club()
    form = {"mode": "rolling", "window_months": "24", "clear_month": "12", "clear_day": "31", "reminder_days": "30, 7"}
    path = urls.CONSOLE_EXPIRY
    with clock.frozen_at(datetime(2027, 3, 20, tzinfo=UTC)):
        async with await console_client(server.base_url, coordinator) as console:
            bad = await submit(console, path, path, {**form, "window_months": "0"})
            feb = await submit(console, path, path, {**form, "mode": "yearly", "clear_month": "2", "clear_day": "30"})
            saved = await submit(console, path, path, form)
            page = await console.get(path)
    assert bad.status_code == 400 and "1 to 120" in bad.text
    assert feb.status_code == 400 and "That month has no such day." in feb.text
    assert saved.status_code == 303
    # Saved today: 31 March is the rule's first date, and its preview counts Ann, Cai and Dee.
    assert "On today's statements: 3 members would lose 1,770 points." in text_of(page.text)
