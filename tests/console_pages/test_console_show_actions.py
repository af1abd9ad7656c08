"""Running a fashion-week show from the console, through the real server in zh-Hans as a
coordinator's session: a show created with two seat categories from /console/shows/new (times on
the venue's clock), a refused form saying each problem beside its field and writing nothing;
members invited to a category by number and by e-mail (offered a seat or queued, as the API
decides; the member's own invitations page says so), a refused invitation beside its field;
a category added and resized (more seats offered to its queue at once), an invitation withdrawn
after its confirmation (its seat offered to the next in line); each change in the show's record
of changes; and a member's session refused every one of these forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from club import clock
from club.audit import ActionKind
from club.tables import ConsoleAction, Member, MemberStatus
from events.shows.tables import InvitationStatus, SeatCategory, ShowInvitation
from events.tables import Event, EventKind, EventStatus, OutboxMessage
from tests.conftest import LiveServer
from tests.console import console_client
from tests.console_pages.test_console_lists import ZH, words
from tests.factories import Caller
from tests.pages import csrf_of
from tests.shows.helpers import make_show, tiered

SHANGHAI = ZoneInfo("Asia/Shanghai")


def show_of(location: str) -> int:
    found = re.match(r"^/console/shows/(\d+)\?", location)
    assert found, location
    return int(found.group(1))


def field_error(html: str, field: str) -> str:
    """The problem said beside a field (its id is the field's, as aria-describedby names it)."""
    found = re.search(rf'<p class="field-error" id="{re.escape(field)}-error"[^>]*>(.*?)</p>', html, flags=re.DOTALL)
    assert found, f"no problem beside {field}"
    return words(found.group(1))


def value_of(html: str, field: str) -> str:
    found = re.search(rf'id="{re.escape(field)}"[^>]*value="([^"]*)"', html)
    assert found, field
    return found.group(1)


async def post_form(console: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]) -> httpx.Response:
    opened = await console.get(page)
    assert opened.status_code == 200, opened.text
    return await console.post(action, data={"_csrf_token": csrf_of(opened.text), **fields})


def a_day(days: int = 30) -> str:
    """A day some weeks ahead on Shanghai's clock, as a datetime-local input writes its date."""
    return (clock.now() + timedelta(days=days)).astimezone(SHANGHAI).date().isoformat()


def show_fields(day: str, **overrides: str) -> dict[str, str]:
    fields = {
        "title": "2027 春夏高级定制发布会", "description": "本季新作首秀。", "venue": "上海 · 外滩源壹号",
        "venue_time_zone": "Asia/Shanghai", "starts_at": f"{day}T19:30", "ends_at": f"{day}T21:00",
        "min_tier": "Gold", "attendance_points": "300", "rows": "2",
        "c0-name": "前排", "c0-seats": "4", "c1-name": "二排", "c1-seats": "12", "action": "save",
    }
    fields.update(overrides)
    return fields


async def counts() -> tuple[int, int, int, int]:
    return (await Event.count(), await SeatCategory.count(), await ShowInvitation.count(), await ConsoleAction.count())


async def test_a_show_is_created_with_two_categories_on_the_venues_clock(server: LiveServer, coordinator: Caller) -> None:
    day = a_day()
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        listing = await console.get("/console/shows")
        assert 'href="/console/shows/new"' in listing.text and "新建时装发布会" in words(listing.text)
        blank = await console.get("/console/shows/new")
        assert blank.status_code == 200 and 'lang="zh-Hans"' in blank.text
        assert value_of(blank.text, "venue_time_zone") == "Europe/Paris"  # the club's clock, until typed
        assert 'id="c0-name"' in blank.text and 'id="c1-name"' in blank.text and 'id="c2-name"' not in blank.text

        # Another row: the form again with what was typed, nothing saved.
        more = await post_form(console, "/console/shows/new", "/console/shows/new", {**show_fields(day), "action": "add-row"})
        assert more.status_code == 200
        assert 'id="c2-name"' in more.text and value_of(more.text, "c1-name") == "二排" and value_of(more.text, "title") == "2027 春夏高级定制发布会"
        assert await Event.count() == 0

        saved = await console.post("/console/shows/new", data={
            "_csrf_token": csrf_of(more.text), **show_fields(day), "rows": "3", "c2-name": "", "c2-seats": "",
        })
        assert saved.status_code == 303, saved.text
        show_id = show_of(saved.headers["location"])

        event = await Event.select().where(Event.id == show_id).first()
        assert event is not None
        assert event["kind"] == EventKind.fashion_week.value and event["status"] == EventStatus.draft.value
        assert event["booked_through"] == "shows" and event["invitation_only"] and event["capacity"] == 16
        assert event["attendance_points"] == 300
        # 19:30 typed on Shanghai's clock is 11:30 UTC.
        assert event["starts_at"].astimezone(UTC) == datetime.fromisoformat(f"{day}T19:30").replace(tzinfo=SHANGHAI).astimezone(UTC)
        categories = await SeatCategory.select(SeatCategory.name, SeatCategory.seats).where(SeatCategory.show == show_id).order_by(SeatCategory.id)
        assert [(c["name"], c["seats"]) for c in categories] == [("前排", 4), ("二排", 12)]

        page = await console.get(saved.headers["location"])
        seen = words(page.text)
        assert "发布会已连同席位类别保存为草稿" in seen and "草稿" in seen
        assert "此发布会尚为草稿" in seen and f'href="/console/events/{show_id}"' in page.text
        assert f'action="/console/shows/{show_id}/invitations"' not in page.text  # nobody is invited to a draft
        # The record of changes, on the show's page and on its event page.
        assert "时装发布会已创建" in seen and "前排：4；二排：12" in seen
        assert "时装发布会已创建" in words((await console.get(f"/console/events/{show_id}")).text)

        # Published on the event's page, the show takes invitations.
        published = await post_form(console, f"/console/events/{show_id}", f"/console/events/{show_id}/publish", {})
        assert published.status_code == 303
        page = await console.get(f"/console/shows/{show_id}")
        assert f'action="/console/shows/{show_id}/invitations"' in page.text and "前排：4 个席位中尚余 4 个" in words(page.text)


async def test_a_refused_show_says_each_problem_beside_its_field_and_writes_nothing(server: LiveServer, coordinator: Caller) -> None:
    day = a_day()
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        before = await counts()
        # No category at all, an end before the start, no title.
        empty = await post_form(console, "/console/shows/new", "/console/shows/new", show_fields(
            day, title=" ", ends_at=f"{day}T18:00", **{"c0-name": "", "c0-seats": "", "c1-name": "", "c1-seats": ""},
        ))
        assert empty.status_code == 400
        assert "尚未保存" in words(empty.text)
        assert field_error(empty.text, "categories") == "发布会至少需要一个席位类别：请填写类别名称及席位数。"
        assert field_error(empty.text, "title") == "请填写此项。"
        assert "活动结束时间须晚于开始时间" in field_error(empty.text, "ends_at")
        assert value_of(empty.text, "venue") == "上海 · 外滩源壹号"  # what was typed is kept

        # A category of no seats, one with seats but no name, a time zone nobody knows, points out of range.
        bad = await post_form(console, "/console/shows/new", "/console/shows/new", show_fields(
            day, venue_time_zone="Asia/Atlantis", attendance_points="-5", **{"c0-seats": "0", "c1-name": ""},
        ))
        assert bad.status_code == 400
        assert field_error(bad.text, "c0-seats") == "至少 1。"
        assert field_error(bad.text, "c1-name") == "请填写此项。"
        assert "Asia/Atlantis" in field_error(bad.text, "venue_time_zone")
        assert field_error(bad.text, "attendance_points") == "至少 0。"
        assert value_of(bad.text, "c0-name") == "前排" and value_of(bad.text, "c0-seats") == "0"

        # Two categories of one name: the service's own refusal, above the rows.
        twice = await post_form(console, "/console/shows/new", "/console/shows/new", show_fields(day, **{"c1-name": " 前排 "}))
        assert twice.status_code == 400
        assert field_error(twice.text, "categories") == "同一场发布会的席位类别不能重名。"
        assert await counts() == before


async def published_show(server: LiveServer, coordinator: Caller, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": "高级定制发布会", "min_tier": "Gold", "categories": [("前排", 1), ("二排", 4)], **overrides}
    return await make_show(server, coordinator, **fields)


async def test_members_are_invited_by_number_and_e_mail_and_hear_of_their_seat(server: LiveServer, coordinator: Caller) -> None:
    # Three front-row seats: a plus-one's offer holds two, so the second invitation waits.
    show = await published_show(server, coordinator, categories=[("前排", 3), ("二排", 4)])
    front = show["by_name"]["前排"]["id"]
    diamond, gold = await tiered("赵敏", "Diamond"), await tiered("王美", "Gold")
    gold_email = (await Member.select(Member.email).where(Member.id == gold.member_id).first())["email"]  # type: ignore[index]
    page = f"/console/shows/{show['id']}"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        invited = await post_form(console, page, f"{page}/invitations", {
            "category_id": str(front), "members": f"#{diamond.member_id}，{gold_email.upper()}",
            "plus_one_allowed": "on", "reply_within_hours": "48",
        })
        assert invited.status_code == 303, invited.text
        after = await console.get(invited.headers["location"])
        seen = words(after.text)
        # The Diamond member is offered two seats (theirs and their plus-one's); the Gold member waits next in line.
        assert "邀请已发出：1 位会员已获席位邀请，1 位正在排队等候席位。" in seen
        rows = {r["member"]: r for r in await ShowInvitation.select().where(ShowInvitation.show == show["id"])}
        assert rows[diamond.member_id]["status"] == InvitationStatus.offered.value
        assert rows[gold.member_id]["status"] == InvitationStatus.queued.value
        assert rows[diamond.member_id]["plus_one_allowed"] and rows[diamond.member_id]["reply_window_hours"] == 48
        front_row = re.search(rf'<section class="category" id="category-{front}".*?</section>', after.text, flags=re.DOTALL)
        assert front_row and "3 席位 0 已接受 2 待回复 1 空余 1 排队中" in words(front_row.group(0))
        assert "下一位" in seen and "王美" in seen
        # Each invitation in the record, under its member.
        recorded = await ConsoleAction.select(ConsoleAction.member, ConsoleAction.detail).where(
            ConsoleAction.action == ActionKind.show_invited.value
        ).order_by(ConsoleAction.member)
        assert sorted(r["member"] for r in recorded) == sorted([diamond.member_id, gold.member_id])
        assert "已邀请出席发布会" in seen and "可携一位同伴" in seen

        # The same members again: nobody is invited twice, nothing new is recorded.
        again = await post_form(console, page, f"{page}/invitations", {"category_id": str(front), "members": str(diamond.member_id)})
        assert again.status_code == 303
        assert "所列会员均已受邀。" in words((await console.get(again.headers["location"])).text)
        assert await ConsoleAction.count().where(ConsoleAction.action == ActionKind.show_invited.value) == 2

    # The member hears of it: the offer is on their own invitations page.
    async with await console_client(server.base_url, diamond, **ZH) as theirs:
        mine = words((await theirs.get("/invitations")).text)
        assert "高级定制发布会" in mine and "前排" in mine
    kinds = [r["kind"] for r in await OutboxMessage.select(OutboxMessage.kind).where(
        (OutboxMessage.event == show["id"]) & (OutboxMessage.member == diamond.member_id)
    )]
    assert kinds == ["show_invited"]


async def test_a_refused_invitation_is_said_beside_its_field_and_invites_nobody(server: LiveServer, coordinator: Caller) -> None:
    show = await published_show(server, coordinator)
    front = show["by_name"]["前排"]["id"]
    gold, silver = await tiered("王美", "Gold"), await tiered("李雅", "Silver")
    suspended = await tiered("陈静", "Platinum")
    await Member.update({Member.status: MemberStatus.suspended.value}).where(Member.id == suspended.member_id)
    page = f"/console/shows/{show['id']}"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        before = await counts()
        # A reply-by that would already have passed: no hours to answer.
        no_time = await post_form(console, page, f"{page}/invitations", {
            "category_id": str(front), "members": str(gold.member_id), "reply_within_hours": "0",
        })
        assert no_time.status_code == 400
        assert field_error(no_time.text, "reply_within_hours") == "至少 1。"
        assert "尚未保存" in words(no_time.text)
        assert f">{gold.member_id}</textarea>" in no_time.text  # what was typed is kept

        nobody = await post_form(console, page, f"{page}/invitations", {"category_id": str(front), "members": "  "})
        assert nobody.status_code == 400
        assert field_error(nobody.text, "members") == "请至少填写一位会员，每次最多 500 位。"

        unknown = await post_form(console, page, f"{page}/invitations", {"category_id": str(front), "members": f"{gold.member_id} nobody@members.test"})
        assert unknown.status_code == 400
        assert field_error(unknown.text, "members") == "没有会员使用地址 nobody@members.test。"

        missing = await post_form(console, page, f"{page}/invitations", {"category_id": str(front), "members": f"{gold.member_id}, 999999"})
        assert missing.status_code == 400
        assert "以下会员不存在" in field_error(missing.text, "members")

        # Below the show's tier, and a suspended member: the service refuses all of them, and says who.
        refused = await post_form(console, page, f"{page}/invitations", {
            "category_id": str(front), "members": f"{gold.member_id} {silver.member_id} {suspended.member_id}",
        })
        assert refused.status_code == 409
        said = field_error(refused.text, "members")
        assert said.startswith("所列会员中有 2 位不符合此发布会的邀请条件，因此未发出任何邀请。")
        assert f"李雅（#{silver.member_id}）：银卡。" in said
        assert f"陈静（#{suspended.member_id}）：白金卡；会籍已暂停。" in said
        assert "王美" not in said

        another = await post_form(console, page, f"{page}/invitations", {"category_id": "999999", "members": str(gold.member_id)})
        assert another.status_code == 404
        assert field_error(another.text, "category_id")
        assert await counts() == before


async def test_categories_are_added_and_resized_and_an_invitation_withdrawn_gives_its_seat_on(
    server: LiveServer, coordinator: Caller
) -> None:
    show = await published_show(server, coordinator)
    front = show["by_name"]["前排"]["id"]
    page = f"/console/shows/{show['id']}"
    diamond, platinum, gold = await tiered("赵敏", "Diamond"), await tiered("陈静", "Platinum"), await tiered("王美", "Gold")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        invited = await post_form(console, page, f"{page}/invitations", {
            "category_id": str(front), "members": f"{diamond.member_id} {platinum.member_id} {gold.member_id}",
        })
        assert invited.status_code == 303
        by_member = {r["member"]: r for r in await ShowInvitation.select(ShowInvitation.id, ShowInvitation.member, ShowInvitation.status).where(
            ShowInvitation.show == show["id"]
        )}
        assert by_member[diamond.member_id]["status"] == "offered" and by_member[platinum.member_id]["status"] == "queued"

        # A second seat for the front row: offered at once to the next in line (Platinum before Gold).
        resized = await post_form(console, page, f"{page}/categories/{front}", {"seats": "2"})
        assert resized.status_code == 303, resized.text
        assert (await ShowInvitation.select(ShowInvitation.status).where(ShowInvitation.id == by_member[platinum.member_id]["id"]).first())["status"] == "offered"  # type: ignore[index]
        html = (await console.get(resized.headers["location"])).text
        assert "该类别的席位数已更改" in words(html) and "前排：1 → 2 个席位（发布会共 6 个席位）" in words(html)
        assert value_of(html, f"c{front}-seats") == "2"

        # Fewer seats than are on offer: the service's refusal beside that category's seats.
        before = await counts()
        smaller = await post_form(console, page, f"{page}/categories/{front}", {"seats": "1"})
        assert smaller.status_code == 409
        assert field_error(smaller.text, f"c{front}-seats") == "此类别已有 2 个席位被接受或正在邀请中，容量不能低于此数。"
        none = await post_form(console, page, f"{page}/categories/{front}", {"seats": ""})
        assert none.status_code == 400 and field_error(none.text, f"c{front}-seats") == "请填写此项。"
        assert await counts() == before

        # A new category, and one whose name the show has already.
        added = await post_form(console, page, f"{page}/categories", {"name": " 包厢 ", "seats": "6"})
        assert added.status_code == 303
        assert [r["seats"] for r in await SeatCategory.select(SeatCategory.seats).where(SeatCategory.name == "包厢")] == [6]
        assert (await Event.select(Event.capacity).where(Event.id == show["id"]).first())["capacity"] == 12  # type: ignore[index]
        dup = await post_form(console, page, f"{page}/categories", {"name": "前排", "seats": "3"})
        assert dup.status_code == 409
        assert field_error(dup.text, "new-name") == "此发布会已有名为“前排”的席位类别。"
        assert value_of(dup.text, "new-seats") == "3"
        zero = await post_form(console, page, f"{page}/categories", {"name": "站席", "seats": "0"})
        assert zero.status_code == 400 and field_error(zero.text, "new-seats") == "至少 1。"

        # Withdrawing the Diamond member's offer: first what it will do, then done; their seat goes to the Gold member.
        offered_id = by_member[diamond.member_id]["id"]
        confirm_path = f"{page}/invitations/{offered_id}/withdraw"
        confirm = await console.get(confirm_path)
        assert confirm.status_code == 200
        said = words(confirm.text)
        assert "赵敏" in said and "发给该会员的席位邀请将收回，并通知其本人。" in said
        assert "空出的席位将依次邀请排队会员，首先是王美" in said
        assert await ShowInvitation.select(ShowInvitation.status).where(ShowInvitation.id == offered_id).first() == {"status": "offered"}
        withdrawn = await console.post(confirm_path, data={"_csrf_token": csrf_of(confirm.text)})
        assert withdrawn.status_code == 303, withdrawn.text
        states = {r["member"]: r["status"] for r in await ShowInvitation.select(ShowInvitation.member, ShowInvitation.status).where(
            ShowInvitation.show == show["id"]
        )}
        assert states == {diamond.member_id: "withdrawn", platinum.member_id: "offered", gold.member_id: "offered"}
        notices = [(r["kind"], r["member"]) for r in await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.member).where(
            OutboxMessage.event == show["id"]
        ).order_by(OutboxMessage.id)]
        assert ("show_invitation_withdrawn", diamond.member_id) in notices and notices[-1] == ("show_offered", gold.member_id)

        # Withdrawn already: the confirmation says there is nothing left to do; posting again records nothing.
        assert "此邀请已结束，无需撤回。" in words((await console.get(confirm_path)).text)
        again = await console.post(confirm_path, data={"_csrf_token": csrf_of(confirm.text)})
        assert again.status_code == 303
        # Another show's invitation is not this show's to withdraw.
        other = await published_show(server, coordinator, title="另一场")
        assert (await console.get(f"/console/shows/{other['id']}/invitations/{offered_id}/withdraw")).status_code == 404

        # The record lists each change, in the coordinator's words.
        record = await ConsoleAction.select(ConsoleAction.action, ConsoleAction.member).where(ConsoleAction.event_id == show["id"]).order_by(ConsoleAction.id)
        assert [r["action"] for r in record] == [
            "show_invited", "show_invited", "show_invited", "show_category_changed", "show_category_changed", "show_invitation_withdrawn",
        ]
        assert record[-1]["member"] == diamond.member_id
        seen = words((await console.get(page)).text)
        for label in ("已邀请出席发布会", "席位类别已变更", "发布会邀请已撤回", "新增包厢：6 个席位（发布会共 12 个席位）", "前排：原为已发出，待回复"):
            assert label in seen, label


async def test_a_members_session_is_refused_every_show_form_and_nothing_changes(server: LiveServer, coordinator: Caller) -> None:
    show = await published_show(server, coordinator)
    front = show["by_name"]["前排"]["id"]
    guest = await tiered("赵敏", "Diamond")
    await Member.update({Member.language: "zh-Hans"}).where(Member.id == guest.member_id)  # a member reads their own language
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        invited = await post_form(console, f"/console/shows/{show['id']}", f"/console/shows/{show['id']}/invitations",
                                  {"category_id": str(front), "members": str(guest.member_id)})
        assert invited.status_code == 303
    invitation = await ShowInvitation.select(ShowInvitation.id).where(ShowInvitation.member == guest.member_id).first()
    assert invitation is not None
    before = await counts()
    async with await console_client(server.base_url, guest, **ZH) as browser:
        token = csrf_of((await browser.get("/invitations")).text)
        page = f"/console/shows/{show['id']}"
        for path, fields in (
            ("/console/shows/new", show_fields(a_day())),
            (f"{page}/categories", {"name": "包厢", "seats": "6"}),
            (f"{page}/categories/{front}", {"seats": "9"}),
            (f"{page}/invitations", {"category_id": str(front), "members": str(guest.member_id)}),
            (f"{page}/invitations/{invitation['id']}/withdraw", {}),
        ):
            answer = await browser.post(path, data={"_csrf_token": token, **fields})
            assert answer.status_code == 403, (path, answer.status_code)
            assert "此操作需要会员顾问身份。" in words(answer.text)
        for path in ("/console/shows/new", page, f"{page}/invitations/{invitation['id']}/withdraw"):
            assert (await browser.get(path)).status_code == 403, path
    assert await counts() == before
