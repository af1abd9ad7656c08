"""Referrals over real HTTP: the referrer earns once, at the referred member's first admission
(or on enrolment, as the club's setting says), is told once, and waits while suspended."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest

from club import urls as club_urls
from club.accounts import issue_token
from club.i18n.languages import Language
from club.ledger import balance_of
from club.referrals import AT_ENROLMENT, AT_FIRST_ATTENDANCE, referral_notice_text
from club.server.app import create_app
from club.settings import Settings, SettingsError
from club.tables import PointsEntry, Referral
from events.referral_notices import tell_referrers
from events.reminders import urls as reminder_urls
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.serving import serving


async def _enrol(server: LiveServer, coordinator: Caller, name: str, referred_by: int | None) -> Caller:
    """A member enrolled by a coordinator over HTTP, with a token of their own."""
    async with server.client(coordinator.token) as http:
        response = await http.post(club_urls.MEMBERS, json={"name": name, "email": f"{name.split()[0].lower()}@members.test",
                                                             "referred_by": referred_by})
    assert response.status_code == 201, response.text
    body = response.json()
    return Caller(body["user_id"], (await issue_token(body["user_id"])).token, body["id"])


async def _referral_entries(referrer: Caller) -> list[dict]:
    return await PointsEntry.select(PointsEntry.delta, PointsEntry.source).where(
        (PointsEntry.member == referrer.member_id) & (PointsEntry.reason == "referral")
    )


async def _outbox_for(server: LiveServer, coordinator: Caller, member: Caller) -> list[dict]:
    async with server.client(coordinator.token) as http:
        messages = (await http.get(reminder_urls.OUTBOX)).json()
    return [m for m in messages if m["member_id"] == member.member_id]


async def _status(server: LiveServer, coordinator: Caller, member: Caller, path: str) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(path.replace("{member_id:int}", str(member.member_id)))
    assert response.status_code == 200, response.text


async def test_the_referrer_earns_once_when_the_new_member_first_attends_however_the_gates_race(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    referrer = await make_member("Claire Dubois")
    newcomer = await _enrol(server, coordinator, "Marc Lefèvre", referrer.member_id)
    assert await balance_of(referrer.member_id) == 0  # type: ignore[arg-type]  # enrolling earns nothing here
    salons = [await door_open_event(server, coordinator, title=f"Salon {i}") for i in range(3)]
    tickets = [(e["id"], (await rsvp_and_ticket(server, newcomer, e["id"]))[1]) for e in salons]

    async def scan_at(event_id: int, token: str, gate: str) -> dict:
        async with server.client(staff.token) as http:
            return await scan(http, event_id, token, gate=gate)

    # Three first attendances at once, each ticket at two gates at once.
    answers = await asyncio.gather(*[scan_at(e, t, g) for e, t in tickets for g in ("North", "South")])  # type: ignore[arg-type]
    assert sorted(a["result"] for a in answers) == ["admitted"] * 3 + ["already_checked_in"] * 3
    # And the newcomer comes again another evening.
    later = await door_open_event(server, coordinator, title="Another evening")
    _, token = await rsvp_and_ticket(server, newcomer, later["id"])
    assert (await scan_at(later["id"], token, "North"))["result"] == "admitted"  # type: ignore[arg-type]

    assert await _referral_entries(referrer) == [{"delta": 500, "source": f"member-{newcomer.member_id}"}]
    assert await balance_of(referrer.member_id) == 500  # type: ignore[arg-type]
    assert await balance_of(newcomer.member_id) == 400  # type: ignore[arg-type]  # their own 4 x 100, no more

    # The referrer is told once, however often the job runs.
    assert await tell_referrers(server.settings) == 1
    assert await tell_referrers(server.settings) == 0
    [told] = await _outbox_for(server, coordinator, referrer)
    assert "500 points" in told["subject"]
    assert told["body"].startswith("Dear Claire Dubois, Marc Lefèvre") and "first club event" in told["body"]
    assert told["intended_channel"] == "email" and told["recipient"].endswith("@members.test")


async def test_a_suspended_referrer_earns_nothing_until_reactivated_and_is_told_then(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    referrer = await make_member("Claire Dubois")
    newcomer = await make_member("Marc Lefèvre", referred_by=referrer.member_id)
    await _status(server, coordinator, referrer, club_urls.MEMBER_SUSPEND)
    event = await door_open_event(server, coordinator)
    _, token = await rsvp_and_ticket(server, newcomer, event["id"])
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], token))["result"] == "admitted"  # type: ignore[arg-type]
    assert await balance_of(referrer.member_id) == 0  # type: ignore[arg-type]
    assert await tell_referrers(server.settings) == 0  # nothing earned yet, nothing to tell
    assert await _outbox_for(server, coordinator, referrer) == []

    await _status(server, coordinator, referrer, club_urls.MEMBER_REACTIVATE)
    async with server.client(coordinator.token) as http:
        record = (await http.get(club_urls.MEMBER.replace("{member_id:int}", str(referrer.member_id)))).json()
    assert record["points"] == 500
    await _status(server, coordinator, referrer, club_urls.MEMBER_SUSPEND)  # again: nothing is taken or paid twice
    await _status(server, coordinator, referrer, club_urls.MEMBER_REACTIVATE)
    assert await _referral_entries(referrer) == [{"delta": 500, "source": f"member-{newcomer.member_id}"}]
    assert await tell_referrers(server.settings) == 1
    assert len(await _outbox_for(server, coordinator, referrer)) == 1


async def test_a_member_nobody_referred_earns_nobody_anything(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    guest = await make_member()
    event = await door_open_event(server, coordinator)
    _, token = await rsvp_and_ticket(server, guest, event["id"])
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], token))["result"] == "admitted"  # type: ignore[arg-type]
    assert await Referral.count() == 0
    assert await PointsEntry.count().where(PointsEntry.reason == "referral") == 0


@pytest.fixture
async def enrolment_club(server: LiveServer) -> AsyncIterator[LiveServer]:
    """The same club served with REFERRAL_AWARD_ON=enrolment and REFERRAL_POINTS=250."""
    settings = dataclasses.replace(server.settings, referral_award_on=AT_ENROLMENT, referral_points=250)
    app = create_app(settings, run_worker=False)
    async with serving(app) as base_url:
        yield LiveServer(base_url, settings, app)


async def test_a_club_that_pays_on_enrolment_pays_once_there_and_not_again_at_the_door(
    enrolment_club: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    club = enrolment_club
    referrer = await make_member("Claire Dubois")
    newcomer = await _enrol(club, coordinator, "Marc Lefèvre", referrer.member_id)
    assert await _referral_entries(referrer) == [{"delta": 250, "source": f"member-{newcomer.member_id}"}]
    event = await door_open_event(club, coordinator)
    _, token = await rsvp_and_ticket(club, newcomer, event["id"])
    async with club.client(staff.token) as http:
        assert (await scan(http, event["id"], token, nonce_=nonce()))["result"] == "admitted"  # type: ignore[arg-type]
    assert await balance_of(referrer.member_id) == 250  # type: ignore[arg-type]
    assert await tell_referrers(club.settings) == 1
    [told] = await _outbox_for(club, coordinator, referrer)
    assert "250 points" in told["subject"] and "has joined the club" in told["body"]


def test_the_referral_setting_is_read_and_checked() -> None:
    base = {"SECRET_KEY": "k", "CLUB_DATA_DIR": "/tmp/club-referral-settings"}
    default = Settings.from_env(base)
    assert (default.referral_award_on, default.referral_points) == (AT_FIRST_ATTENDANCE, 500)
    chosen = Settings.from_env({**base, "REFERRAL_AWARD_ON": "enrolment", "REFERRAL_POINTS": "250"})
    assert (chosen.referral_award_on, chosen.referral_points) == (AT_ENROLMENT, 250)
    for bad in ({"REFERRAL_AWARD_ON": "signup"}, {"REFERRAL_POINTS": "-5"}, {"REFERRAL_POINTS": "many"}):
        with pytest.raises(SettingsError):
            Settings.from_env({**base, **bad})


def test_the_referrers_message_says_who_and_what_it_earned() -> None:
    subject, body = referral_notice_text(Language.en, "Claire", "Marc", 1500, AT_ENROLMENT)
    assert subject == "Your referral earned you 1,500 points"
    assert body == ("Dear Claire, Marc, whom you introduced to the club, has joined the club. "
                    "Thank you: 1,500 points have been added to your balance.")
    subject, body = referral_notice_text(Language.zh_hans, "陈女士", "王先生", 1500, AT_FIRST_ATTENDANCE)
    assert subject == "您已获得 1,500 推荐积分"
    assert body == "尊敬的陈女士，您推荐的王先生已出席首场会员活动。感谢您的推荐，1,500 推荐积分已计入您的积分余额。"
    _, body = referral_notice_text(Language.zh_hant, "陳女士", "王先生", 250, AT_ENROLMENT)
    assert body == "尊敬的陳女士，您推薦的王先生已成為會員。感謝您的推薦，250 推薦積分已計入您的積分餘額。"
