"""The points page in zh-Hans, over real HTTP: the member's standing, their statement with each
reason in words and each date on their own clock (an adjustment with the coordinator's written
note, a referral with the member it introduced), paged, and what earns points as the club
awards them. The entries are made by the services that make them in the club: the door's
award, the referral earned at enrolment, the birthday job, a coordinator's adjustment."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from club import clock
from club import urls as club_urls
from club.db import write_transaction
from club.jobs import award_birthday_points
from club.points import award
from club.referrals import AT_ENROLMENT, ReferralPolicy, earn_referral
from club.tables import Member, PointsReason
from events.urls import link
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.web.sign_in_steps import new_member, signed_in, text_of

# Friday 11 December 2026, 08:30 in Shanghai.
FRIDAY = datetime(2026, 12, 11, 0, 30, tzinfo=UTC)


def _rows(html: str) -> list[str]:
    """The statement's rows, as their text, top to bottom."""
    return [text_of(f"<main>{row}</main>") for row in re.findall(r'<tr id="entry-\d+">(.*?)</tr>', html, re.DOTALL)]


async def _referred_by(member_id: int, referrer_id: int) -> None:
    """The referral as a club paying at enrolment earns it (club.referrals)."""
    async with write_transaction():
        await Member.update({Member.referred_by: referrer_id}).where(Member.id == member_id)
        assert await earn_referral(member_id, AT_ENROLMENT, ReferralPolicy(AT_ENROLMENT, 500))


async def test_the_statement_says_each_reason_in_words_on_the_members_clock(server: LiveServer, coordinator: Caller) -> None:
    with clock.frozen_at(FRIDAY):
        async with signed_in(server, "王静", birthday=date(1990, 12, 11)) as (member, browser):
            assert member.member_id is not None
            await award(member.member_id, 100, PointsReason.attendance, "checkin-1", note="attended event 1")
            clock.advance(timedelta(hours=1))
            zhou, _ = await new_member("周婷")
            await _referred_by(zhou.member_id, member.member_id)  # type: ignore[arg-type]
            clock.advance(timedelta(hours=1))
            assert await award_birthday_points({}) == 1
            clock.advance(timedelta(hours=1))
            async with server.client(coordinator.token) as api:
                adjusted = await api.post(link(club_urls.MEMBER_ADJUSTMENTS, member_id=member.member_id),
                                          json={"delta": -30, "reason": "重复计入的到店积分，已更正"})
                assert adjusted.status_code == 201, adjusted.text

            answer = await browser.get("/points")
    assert answer.status_code == 200
    said = text_of(answer.text)
    assert "积分明细" in said
    # Their standing first: 100 + 500 + 100 - 30.
    assert "670 积分" in said and "距金卡还差 330 积分" in said
    # And what they are for, one tap away.
    assert '<a class="button quiet" href="/rewards" id="rewards-link">用积分兑换礼遇</a>' in answer.text
    assert _rows(answer.text) == [
        "俱乐部积分调整 重复计入的到店积分，已更正 2026年12月11日（周五）11:30 −30",
        "生日积分 2026年12月11日（周五）10:30 +100",
        "推荐积分 推荐会员：周婷 2026年12月11日（周五）09:30 +500",
        "活动出席积分 2026年12月11日（周五）08:30 +100",
    ]
    # The system's own English notes are never shown.
    assert "attended event" not in answer.text and "Happy birthday" not in answer.text


async def test_dates_follow_the_members_own_clock(server: LiveServer) -> None:
    with clock.frozen_at(FRIDAY):
        async with signed_in(server, "Camille Durand", time_zone="Europe/Paris") as (member, browser):
            await award(member.member_id, 100, PointsReason.attendance, "checkin-7")  # type: ignore[arg-type]
            answer = await browser.get("/points")
    # 00:30 UTC is 01:30 in Paris, the member's clock: no city named, it is their own.
    assert _rows(answer.text) == ["活动出席积分 2026年12月11日（周五）01:30 +100"]


async def test_what_earns_points_says_what_the_club_awards(server: LiveServer) -> None:
    async with signed_in(server, "王静", birthday=date(1990, 5, 20)) as (_, browser):
        with_birthday = text_of((await browser.get("/points")).text)
    async with signed_in(server, "周婷") as (_, browser):
        without = text_of((await browser.get("/points")).text)
    for said in (with_birthday, without):
        assert "如何获得积分" in said
        assert "出席会员活动" in said and "在入口扫描您的入场二维码后，积分即计入您的账户。" in said
        # settings.referral_points at its moment (the suite's club pays at the first attendance).
        assert server.settings.referral_points == 500
        assert "您推荐的会员出席首场会员活动时，您将获得 500 推荐积分。" in said
        assert "会员顾问可能会调整您的积分余额" in said
    assert "生日当天（按您所在时区）将为您计入 100 生日积分。" in with_birthday
    assert "俱乐部登记您的生日后，生日当天将为您计入 100 生日积分" in without
    # Nothing the club's code does not award is promised.
    assert "到店积分" not in with_birthday and "双倍积分" not in with_birthday


async def test_the_statement_is_paged_latest_first(server: LiveServer) -> None:
    with clock.frozen_at(FRIDAY):
        async with signed_in(server, "王静") as (member, browser):
            for n in range(25):
                await award(member.member_id, 10 + n, PointsReason.visit, f"boutique-{n}")  # type: ignore[arg-type]
                clock.advance(timedelta(minutes=1))
            first = await browser.get("/points")
            second = await browser.get("/points", params={"page": "2"})
            beyond = await browser.get("/points", params={"page": "3"})
            refused = await browser.get("/points", params={"page": "0"})
    rows = _rows(first.text)
    assert len(rows) == 20 and rows[0].startswith("到店积分") and rows[0].endswith("+34") and rows[-1].endswith("+15")
    assert "较早记录" in text_of(first.text) and "较新记录" not in text_of(first.text)
    rows = _rows(second.text)
    assert len(rows) == 5 and rows[0].endswith("+14") and rows[-1].endswith("+10")
    assert "较新记录" in text_of(second.text) and "较早记录" not in text_of(second.text)
    assert _rows(beyond.text) == [] and "没有更早的记录。" in text_of(beyond.text)
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("text/html")


async def test_a_member_sees_only_their_own_statement(server: LiveServer) -> None:
    other, _ = await new_member("周婷")
    await award(other.member_id, 900, PointsReason.visit, "boutique-1")  # type: ignore[arg-type]
    async with signed_in(server, "王静") as (_, browser):
        answer = await browser.get("/points")
    said = text_of(answer.text)
    assert _rows(answer.text) == [] and "您尚无积分记录。" in said and "900" not in said
    assert "0 积分" in said
