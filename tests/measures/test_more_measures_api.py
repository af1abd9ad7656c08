"""The measures added for renewal, referrals, surveys and a member's months, over real HTTP: a
coordinator reads each; a bad year is a 400 problem; members and door staff are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checkin.measures import urls
from club import clock
from club.tables import Member, Referral, Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.measures.builders import member, tier_id

ROUTES = [urls.RETENTION, urls.REFERRALS, urls.SURVEY_RESPONSES, urls.MEMBER_SEGMENTS.replace("{member_id:int}", "1")]
NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)


async def test_a_coordinator_reads_the_new_measures(server: LiveServer, coordinator: Caller) -> None:
    referrer = await member("Referrer", joined_on=date(2024, 1, 1))
    referred = await member("Referred", referred_by=referrer, joined_on=date(2026, 12, 2))
    await Referral.insert(Referral(member=referred, referrer=referrer, points=500, earned_by="enrolment",
                                   earned_at=datetime(2026, 12, 2, 10, tzinfo=UTC)))
    await Member.update({Member.tier: await tier_id("Gold")}).where(Member.id == referrer)
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as http:
            retention = await http.get(urls.RETENTION, params={"year": "2026"})
            referrals = await http.get(urls.REFERRALS, params={"month": "2026-12"})
            surveys = await http.get(urls.SURVEY_RESPONSES)
            months = await http.get(urls.MEMBER_SEGMENTS.replace("{member_id:int}", str(referrer)))
            unknown = await http.get(urls.MEMBER_SEGMENTS.replace("{member_id:int}", "999999"))
            mine = await http.get(urls.MEMBER.replace("{member_id:int}", str(referrer)))
    assert retention.status_code == 200, retention.text
    # The referrer was Silver when 2026 began and is Gold since their change (stamped by the
    # database's own clock, before the frozen 20 December); the referred member joined during the year.
    silver = next(t for t in retention.json()["tiers"] if t["tier_name"] == "Silver")
    assert (silver["held_at_start"], silver["kept"], silver["moved_up"]) == (1, 1, 1)
    assert referrals.json()["total"] == {"first": "2026-12-01", "last": "2026-12-31", "made": 1, "converted": 1,
                                         "rate": 1.0, "earned": 1}
    assert surveys.status_code == 200 and surveys.json()["year"]["year"] == 2026 and surveys.json()["events"] == []
    body = months.json()
    assert len(body["months"]) == 12 and body["months"][-1]["month"] == "2026-11"
    assert body["months"][-1]["segment"] == "dormant" and body["time_zone"] == "Europe/Paris"
    assert unknown.status_code == 404
    assert [h["to_tier_name"] for h in mine.json()["tier_history"]] == ["Gold"]


async def test_a_bad_year_or_period_is_a_problem(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        for route, params in ((urls.RETENTION, {"year": "26"}), (urls.SURVEY_RESPONSES, {"year": "1999"}),
                              (urls.REFERRALS, {"month": "2026-13"})):
            answer = await http.get(route, params=params)
            assert answer.status_code == 400, (route, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")


async def test_members_and_door_staff_are_refused(server: LiveServer) -> None:
    for caller in (await make_member("Curious"), await make_user(Role.staff)):
        async with server.client(caller.token) as http:
            for path in ROUTES:
                assert (await http.get(path)).status_code == 403, (caller, path)
    async with server.client() as anonymous:
        for path in ROUTES:
            assert (await anonymous.get(path)).status_code == 401, path
