"""The console's fashion-week shows, through the real server in zh-Hans as a coordinator's session:
the shows with each category's seats; one show's invitations per category with their state and
reply-by on the show's clock, and the queue in the order seats will be offered (who is next, and
why); the offers about to expire on Today."""

from __future__ import annotations

import re

from events.shows import urls
from events.urls import link
from tests.conftest import LiveServer
from tests.console import console_client
from tests.console_pages.test_console_lists import ZH, words
from tests.factories import Caller
from tests.shows.helpers import invite, make_show, mine, tiered


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<section class="category" id="{element_id}".*?</section>', html, flags=re.DOTALL)
    assert found, element_id
    return found.group(0)


def line(html: str, invitation_id: int) -> str:
    found = re.search(rf'<tr id="invitation-{invitation_id}">.*?</tr>', html, flags=re.DOTALL)
    assert found, invitation_id
    return words(found.group(0))


async def test_a_shows_categories_invitations_and_queue_in_the_order_seats_will_be_offered(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await make_show(server, coordinator, title="高级定制发布会", venue="Grand Palais, Paris",
                           categories=[("Front row", 2), ("Second row", 4)])
    front, second = show["by_name"]["Front row"]["id"], show["by_name"]["Second row"]["id"]
    diamond, platinum = await tiered("赵敏", "Diamond"), await tiered("陈静", "Platinum")
    gold, silver = await tiered("王美", "Gold"), await tiered("李雅", None)
    offers = await invite(server, coordinator, show["id"], [gold, diamond, platinum], front, reply_within_hours=12)
    late = await invite(server, coordinator, show["id"], [silver], front)
    by_member = {i["member_id"]: i for i in offers + late}
    seated = by_member[diamond.member_id]
    async with server.client(diamond.token) as http:
        accepted = await http.post(link(urls.INVITATION_ACCEPT, invitation_id=seated["id"]), json={})
    assert accepted.status_code == 200, accepted.text
    [second_row] = await invite(server, coordinator, show["id"], [await tiered("周琳", "Gold")], second, reply_within_hours=72)

    async with await console_client(server.base_url, coordinator, **ZH) as console:
        listing = await console.get("/console/shows")
        assert listing.status_code == 200
        seen = words(listing.text)
        assert "高级定制发布会" in seen and "Front row" in seen and "Second row" in seen
        assert f'href="/console/shows/{show["id"]}"' in listing.text

        page = await console.get(f"/console/shows/{show['id']}")
        assert page.status_code == 200, page.text
        front_row = section(page.text, f"category-{front}")
        # The seats: the Diamond member accepted, the Platinum member's offer awaits a reply by a
        # time on the show's clock (Paris, named for a club that reads Paris time: the run's club zone).
        assert "已接受" in line(front_row, seated["id"])
        offered = line(front_row, by_member[platinum.member_id]["id"])
        assert "已发出，待回复" in offered and "回复期限" in offered and "还剩 11 小时" in offered
        # The queue, in the order seats will be offered: the Gold member (invited first) is next,
        # then the member with no tier; each says why.
        queued_gold = line(front_row, by_member[gold.member_id]["id"])
        queued_silver = line(front_row, late[0]["id"])
        assert queued_gold.startswith("1 王美 下一位")
        assert "等级优先：受邀时为金卡（第 2 级）" in queued_gold
        assert queued_silver.startswith("2 李雅") and "下一位" not in queued_silver and "暂无等级" in queued_silver
        assert front_row.index(f"invitation-{by_member[gold.member_id]['id']}") < front_row.index(f"invitation-{late[0]['id']}")
        assert "已发出，待回复" in line(section(page.text, f"category-{second}"), second_row["id"])

        # Today: the offer answering within a day is there with its time left; the 72-hour one is not.
        today = words((await console.get("/console")).text)
        assert "即将到期的发布会邀请" in today
        assert "陈静" in today and "周琳" not in today
        # A salon is not a show.
        assert (await console.get("/console/shows/999999")).status_code == 404


async def test_an_ended_offer_leaves_today_and_hands_its_seat_to_the_next_in_line(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, title="新锐设计师发布会", categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    first, next_one = await tiered("韩梅", "Diamond"), await tiered("许诺", "Gold")
    [offer] = await invite(server, coordinator, show["id"], [first], front, reply_within_hours=2)
    [queued] = await invite(server, coordinator, show["id"], [next_one], front, reply_within_hours=2)
    async with server.client(first.token) as http:
        assert (await http.post(link(urls.INVITATION_DECLINE, invitation_id=offer["id"]))).status_code == 200
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        html = (await console.get(f"/console/shows/{show['id']}")).text
        assert "已婉拒" in line(html, offer["id"])
        assert "已发出，待回复" in line(html, queued["id"])
        today = words((await console.get("/console")).text)
        assert "许诺" in today and "韩梅" not in today
    # The member sees the same offer on their side, with the same reply-by.
    [theirs] = await mine(server, next_one)
    assert theirs["status"] == "offered" and theirs["reply_by"] is not None


async def test_a_members_console_page_shows_their_show_invitations(server: LiveServer, coordinator: Caller) -> None:
    show = await make_show(server, coordinator, title="秋冬系列发布会", categories=[("Front row", 1)])
    front = show["by_name"]["Front row"]["id"]
    ahead, guest = await tiered("韩梅", "Diamond"), await tiered("许诺", "Gold")
    await invite(server, coordinator, show["id"], [ahead], front, reply_within_hours=30)
    [queued] = await invite(server, coordinator, show["id"], [guest], front)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        ahead_page = (await console.get(f"/console/members/{ahead.member_id}")).text
        guest_page = (await console.get(f"/console/members/{guest.member_id}")).text
        nobody = (await console.get(f"/console/members/{(await tiered('陈静', 'Gold')).member_id}")).text
    pattern = r'<section class="card console-panel show-invitations".*?</section>'
    offered = words(re.search(pattern, ahead_page, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
    assert "秋冬系列发布会" in offered and "已发出，待回复" in offered and "还剩 1 天 5 小时" in offered
    waiting = words(re.search(pattern, guest_page, flags=re.DOTALL).group(0))  # type: ignore[union-attr]
    assert "候补第 1 位" in waiting and f'#invitation-{queued["id"]}' in guest_page
    assert "show-invitations" not in nobody  # nothing to say: no panel
