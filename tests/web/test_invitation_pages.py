"""The member's fashion-week invitations page (/invitations) and its home section, through the
real server in zh-Hans: the reply-by on her clock with the time left, accept with her plus-one,
decline, too late once the reply-by has passed (the clock frozen there), a plus-one the
invitation does not include, and another member's invitation is a 404 page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from club import clock
from club.i18n.languages import Language
from events.shows.countdown import TimeLeft, time_left, time_left_text, unit_forms
from events.shows.tables import ShowInvitation
from events.tables import Rsvp
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.pages import csrf_of, submit
from tests.shows.helpers import invite, make_show, mine, with_tier
from tests.web.signed_in_member import signed_in


def _hour() -> datetime:
    """Now, on the hour: the frozen instant the tests count from."""
    return clock.now().replace(minute=0, second=0, microsecond=0)


def _shanghai(instant: datetime) -> str:
    local = instant.astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{local.year}年{local.month}月{local.day}日"


def test_the_time_left_is_whole_minutes_rounded_down_in_the_readers_words() -> None:
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert time_left(now, now + timedelta(days=2, hours=5, minutes=59, seconds=59)) == TimeLeft(2, 5, 59)
    assert time_left(now, now) is None and time_left(now, now - timedelta(seconds=1)) is None
    zh, en = Language.zh_hans, Language.en
    assert time_left_text(zh, TimeLeft(2, 5, 59)) == "2 天 5 小时"  # minutes only under a day
    assert time_left_text(zh, TimeLeft(3, 0, 10)) == "3 天"
    assert time_left_text(zh, TimeLeft(0, 4, 12)) == "4 小时 12 分钟"
    assert time_left_text(Language.zh_hant, TimeLeft(0, 1, 1)) == "1 小時 1 分鐘"
    assert time_left_text(en, TimeLeft(1, 1, 0)) == "1 day 1 hour"
    assert time_left_text(en, TimeLeft(0, 0, 2)) == "2 minutes"
    assert time_left_text(zh, TimeLeft(0, 0, 0)) == "不到 1 分钟"
    # The page's script gets the same words, unfilled.
    assert unit_forms(en) == {"day": ["{n} day", "{n} days"], "hour": ["{n} hour", "{n} hours"],
                              "minute": ["{n} minute", "{n} minutes"], "less": "less than a minute"}
    assert unit_forms(zh)["hour"] == ["{n} 小时", "{n} 小时"]


async def test_she_reads_the_reply_by_on_her_clock_and_accepts_with_her_plus_one(server: LiveServer, coordinator: Caller) -> None:
    start = _hour()
    with clock.frozen_at(start):
        show = await make_show(server, coordinator, title="高级定制发布会", venue="Grand Palais", categories=[("Front row", 2)])
        async with signed_in(server, "王美") as (member, client):
            await with_tier(member, "Gold")
            [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"],
                                   plus_one_allowed=True, reply_within_hours=53)
            opened = await client.get("/invitations")
            assert opened.status_code == 200
            html = opened.text
            # Her clock (Shanghai), the time left as she reads it; the show on Paris's clock, named.
            reply_by = start + timedelta(hours=53)
            local = reply_by.astimezone(ZoneInfo("Asia/Shanghai"))
            assert f"请于 {_shanghai(reply_by)}" in html and f"{local:%H:%M} 前回复（还剩" in html
            assert "2 天 5 小时</span>）" in html
            assert "（巴黎时间）" in html and "待您回复" in html and "可携一位同伴" in html
            assert "我将携一位同伴出席" in html

            # A minute and a half later the server says a minute less.
            clock.advance(timedelta(minutes=90))
            assert "2 天 3 小时</span>" in (await client.get("/invitations")).text

            home = await client.get("/")
            assert "待您回复的邀请" in home.text and "高级定制发布会" in home.text and "（还剩 " in home.text

            accepted = await client.post(f"/invitations/{offer['id']}/accept", data={"_csrf_token": csrf_of(html), "plus_one": "1"})
            assert accepted.status_code == 303
            assert accepted.headers["location"] == f"/invitations?answered={offer['id']}#invitation-{offer['id']}"
            after = await client.get(accepted.headers["location"])
            home_after = await client.get("/")
    assert "您在高级定制发布会的席位已确认。" in after.text
    assert "您与同伴的席位已确认。" in after.text and "已接受" in after.text
    [seat] = await mine(server, member)
    assert seat["status"] == "accepted" and seat["plus_one"] is True and seat["seats_held"] == 2
    assert f'href="/tickets/{seat["rsvp_id"]}"' in after.text
    assert (await Rsvp.select(Rsvp.guests).where(Rsvp.id == seat["rsvp_id"]).first())["guests"] == 1  # type: ignore[index]
    # Nothing awaits her answer any more: the home page says nothing of invitations.
    assert "待您回复的邀请" not in home_after.text


async def test_she_declines_and_the_page_says_so(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, title="成衣发布会", categories=[("Front row", 1)])
    async with signed_in(server, "李娜") as (member, client):
        [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"])
        declined = await submit(client, "/invitations", f"/invitations/{offer['id']}/decline", {})
        assert declined.status_code == 303
        after = await client.get(declined.headers["location"])
    assert "您已婉拒成衣发布会的邀请。" in after.text
    assert "以往的邀请" in after.text and "已婉拒" in after.text
    assert f'/invitations/{offer["id"]}/accept"' not in after.text and f'/invitations/{offer["id"]}/decline"' not in after.text
    assert (await mine(server, member))[0]["status"] == "declined"


async def test_after_the_reply_by_the_page_says_so_offers_no_buttons_and_a_late_answer_is_refused_as_a_page(
    server: LiveServer, coordinator: Caller
) -> None:
    start = _hour()
    with clock.frozen_at(start):
        show = await make_show(server, coordinator, title="晚装发布会", categories=[("Front row", 1)])
        async with signed_in(server, "陈静") as (member, client):
            [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"], reply_within_hours=2)
            opened = (await client.get("/invitations")).text
            assert "2 小时</span>" in opened and f'action="/invitations/{offer["id"]}/accept"' in opened

            # The page was left open past the reply-by; then she answers.
            clock.advance(timedelta(hours=2, seconds=1))
            late = await client.post(f"/invitations/{offer['id']}/accept", data={"_csrf_token": csrf_of(opened)})
            assert late.status_code == 409
            assert late.headers["content-type"].startswith("text/html")
            assert "此邀请已过回复期限，席位已转给下一位宾客。" in late.text

            again = (await client.get("/invitations")).text
    assert "已过回复期限" in again
    assert f"您未在{_shanghai(start + timedelta(hours=2))}" in again
    assert f'action="/invitations/{offer["id"]}/accept"' not in again
    assert f'/invitations/{offer["id"]}/decline"' not in again
    assert (await mine(server, member))[0]["status"] == "expired"


async def test_a_plus_one_the_invitation_does_not_include_is_refused_as_a_page(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2)])
    async with signed_in(server, "赵敏") as (member, client):
        [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"])
        html = (await client.get("/invitations")).text
        assert "我将携一位同伴出席" not in html  # no box to tick
        refused = await client.post(f"/invitations/{offer['id']}/accept", data={"_csrf_token": csrf_of(html), "plus_one": "1"})
    assert refused.status_code == 400 and "此专属邀请函仅限您本人，不含同伴席位。" in refused.text
    assert (await mine(server, member))[0]["status"] == "offered"


async def test_another_members_invitation_is_a_404_page_and_stays_as_it_was(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2)])
    async with signed_in(server, "Owner") as (owner, _):
        [theirs] = await invite(server, coordinator, show["id"], [owner], show["by_name"]["Front row"]["id"])
    async with signed_in(server, "周雪") as (_, client):
        html = (await client.get("/invitations")).text
        assert "Couture show" not in html and "您目前没有待处理的邀请" in html
        token = csrf_of(html)
        accepted = await client.post(f"/invitations/{theirs['id']}/accept", data={"_csrf_token": token})
        declined = await client.post(f"/invitations/{theirs['id']}/decline", data={"_csrf_token": token})
        home = (await client.get("/")).text
    for answer in (accepted, declined):
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
        assert "Couture show" not in answer.text
    assert "待您回复的邀请" not in home
    row = await ShowInvitation.select(ShowInvitation.status).where(ShowInvitation.id == theirs["id"]).first()
    assert row is not None and row["status"] == "offered"


async def test_an_answer_without_the_forms_token_is_refused(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 2)])
    async with signed_in(server, "林晓") as (member, client):
        [offer] = await invite(server, coordinator, show["id"], [member], show["by_name"]["Front row"]["id"])
        forged = await client.post(f"/invitations/{offer['id']}/accept", data={"plus_one": ""})
    assert forged.status_code == 403
    assert (await mine(server, member))[0]["status"] == "offered"


async def test_a_queued_invitation_shows_its_place_and_may_be_declined(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, categories=[("Front row", 1)])
    first = await with_tier(await make_member("First"), "Diamond")
    async with signed_in(server, "孙丽") as (member, client):
        await with_tier(member, "Silver")
        invited = await invite(server, coordinator, show["id"], [first, member], show["by_name"]["Front row"]["id"])
        queued = next(i for i in invited if i["member_id"] == member.member_id)
        html = (await client.get("/invitations")).text
        assert "候补席位" in html and "候补第 1 位" in html and "此类席位目前已满" in html
        assert f'action="/invitations/{queued["id"]}/accept"' not in html
        assert "待您回复的邀请" not in (await client.get("/")).text  # nothing to answer yet
        declined = await submit(client, "/invitations", f"/invitations/{queued['id']}/decline", {})
    assert declined.status_code == 303
    assert (await mine(server, member))[0]["status"] == "declined"



async def test_she_gives_back_an_accepted_seat_and_it_goes_to_the_next_in_line(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, title="高级定制发布会", categories=[("Front row", 1)])
    after = await with_tier(await make_member("Next in line"), "Silver")
    async with signed_in(server, "吴佳") as (member, client):
        await with_tier(member, "Platinum")
        invited = await invite(server, coordinator, show["id"], [member, after], show["by_name"]["Front row"]["id"])
        mine_first = next(i for i in invited if i["member_id"] == member.member_id)
        accepted = await submit(client, "/invitations", f"/invitations/{mine_first['id']}/accept", {})
        assert accepted.status_code == 303
        html = (await client.get("/invitations")).text
        assert "无法出席？" in html and "交还席位" in html
        given_back = await submit(client, "/invitations", f"/invitations/{mine_first['id']}/decline", {})
        assert given_back.status_code == 303
        shown = (await client.get(given_back.headers["location"])).text
    assert "您已婉拒高级定制发布会的邀请。" in shown and "已婉拒" in shown and "/tickets/" not in shown
    [mine_now] = await mine(server, member)
    assert mine_now["status"] == "declined"
    rsvp = await Rsvp.select(Rsvp.status).where(Rsvp.member == member.member_id).first()
    assert rsvp is not None and rsvp["status"] == "cancelled"
    assert (await mine(server, after))[0]["status"] == "offered"  # the seat went on
