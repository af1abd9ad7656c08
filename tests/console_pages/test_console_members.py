"""A member in the console (club.web.console_members), as a coordinator reading zh-Hans meets it over
real HTTP: the member's page with tier, points, ledger and the record of changes; enrolling (a bad
or a taken e-mail address refused next to the field with what was typed kept, and nothing written);
editing, recorded as what changed; suspending, which signs the member out at once; adjusting points
with a reason, shown in the ledger and the record (and refused next to the field when it cannot be);
ending one of the member's sessions.
"""

from __future__ import annotations

import re

from club.audit import ActionKind
from club.tables import ConsoleAction, Member, PointsEntry, WebSession
from club.web.sessions import COOKIE
from tests.conftest import LiveServer
from tests.console import console_client, session_for
from tests.factories import Caller, make_member
from tests.pages import page_client, submit
from tests.web.sign_in_steps import ZH, text_of

NEW = "/console/members/new"


def page_of(member_id: int) -> str:
    return f"/console/members/{member_id}"


def field_error(html: str, field: str) -> str:
    """The problem shown under the field `field` of a member form ("" when none)."""
    found = re.search(rf'<p class="field-error" id="f-{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def section_text(html: str, section: str) -> str:
    """What a reader sees in the page's section `section` (its id): "points", "sessions", "record"."""
    start = html.find(f'id="{section}"')
    assert start >= 0, section
    return text_of("<main>" + html[start:html.find("</section>", start)] + "</main>")


def points_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


async def _counts() -> tuple[int, int, int]:
    return await Member.count(), await ConsoleAction.count(), await PointsEntry.count()


async def _member_cookie_works(server: LiveServer, cookie: str) -> bool:
    """Whether the member's browser, with its session cookie, still opens their home page."""
    async with page_client(server.base_url, **ZH) as browser:
        browser.cookies.set(COOKIE, cookie)
        answer = await browser.get("/")
    return answer.status_code == 200


async def test_a_members_page_shows_tier_points_ledger_and_the_record(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王芳", phone="+8613800138000", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        adjusted = await submit(console, page_of(member.member_id), f"{page_of(member.member_id)}/points",
                                {"delta": "1,200", "reason": "补录 2025 年精品店消费积分"})
        assert adjusted.status_code == 303
        assert adjusted.headers["location"] == f"{page_of(member.member_id)}?done=points#points"
        answer = await console.get(adjusted.headers["location"])
    assert answer.status_code == 200
    assert 'lang="zh-Hans"' in answer.text
    text = text_of(answer.text)
    assert "积分已调整。" in text
    assert "金卡" in text and "1,200" in text  # 1,000 points make Gold
    assert "+86 138 0013 8000" in text
    # The ledger: the entry, its reason in words and the coordinator's note.
    ledger = section_text(answer.text, "points")
    assert "俱乐部积分调整" in ledger and "补录 2025 年精品店消费积分" in ledger and "+1,200" in ledger
    # The record of changes: what, by whom, with the detail.
    record = section_text(answer.text, "record")
    assert "已调整积分" in record and "Test coordinator" in record
    assert "+1,200 积分：补录 2025 年精品店消费积分" in record


async def test_enrolling_with_a_bad_address_says_so_next_to_the_field_and_writes_nothing(
    server: LiveServer, coordinator: Caller,
) -> None:
    before = await _counts()
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        answer = await submit(console, NEW, NEW, {
            "name": "李静", "email": "li.jing@", "phone": "not a phone", "birthday": "1990-02-30",
            "language": "zh-Hant", "time_zone": "Asia/Hong_Kong", "referred_by": "",
        })
    assert answer.status_code == 400
    assert 'lang="zh-Hans"' in answer.text
    assert field_error(answer.text, "email") == "请填写有效的电子邮箱，例如 name@example.com。"
    # Every field the API would refuse is said at once, each beside its own field.
    assert field_error(answer.text, "phone").startswith("请填写带国家代码的手机号码")
    assert field_error(answer.text, "birthday") == "请填写 1900 年至今天之间的日期。"
    assert field_error(answer.text, "name") == ""
    assert 'id="f-email" name="email" value="li.jing@"' in answer.text  # what was typed is kept
    assert 'value="李静"' in answer.text
    assert "尚未保存" in text_of(answer.text)
    assert await _counts() == before


async def test_enrolling_with_a_taken_address_is_a_conflict_next_to_the_field(server: LiveServer, coordinator: Caller) -> None:
    await make_member("王芳", email="wang.fang@maison.example")
    before = await _counts()
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        answer = await submit(console, NEW, NEW, {
            "name": "王芳芳", "email": "Wang.Fang@Maison.example", "phone": "", "birthday": "",
            "language": "zh-Hans", "time_zone": "Asia/Shanghai", "referred_by": "",
        })
    assert answer.status_code == 409
    assert field_error(answer.text, "email") == "邮箱 wang.fang@maison.example 已属于另一位会员，未作更改。"
    assert 'value="王芳芳"' in answer.text
    assert await _counts() == before
    # A service's refusal of a field the Struct let through is said beside it too.
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        answer = await submit(console, NEW, NEW, {
            "name": "王芳芳", "email": "fangfang@maison.example", "time_zone": "Mars/Olympus", "language": "zh-Hans",
        })
    assert answer.status_code == 400
    assert "Mars/Olympus" in field_error(answer.text, "time_zone")
    assert await _counts() == before


async def test_enrolling_a_member_opens_their_page_with_the_record(server: LiveServer, coordinator: Caller) -> None:
    referrer = await make_member("Amélie Laurent")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        form = await console.get(NEW)
        assert form.status_code == 200
        assert '<label for="f-email">电子邮箱' in form.text or 'for="f-email"' in form.text
        answer = await submit(console, NEW, NEW, {
            "name": " 陈  雅 ", "email": "ｃｈｅｎ．ｙａ＠ｍａｉｓｏｎ．ｅｘａｍｐｌｅ", "phone": "138 0013 8000",
            "birthday": "1988-05-20", "language": "zh-Hans", "time_zone": "Asia/Shanghai",
            "referred_by": str(referrer.member_id),
        })
        assert answer.status_code == 303, answer.text
        opened = await console.get(answer.headers["location"])
    member = await Member.select(Member.id, Member.name, Member.email, Member.phone).where(
        Member.email == "chen.ya@maison.example").first()
    assert member is not None
    assert (member["name"], member["phone"]) == ("陈 雅", "+8613800138000")
    assert answer.headers["location"] == f"{page_of(member['id'])}?done=enrolled"
    text = text_of(opened.text)
    assert "新会员已登记。" in text and "银卡" in text and "1988年5月20日" in text and "Amélie Laurent" in text
    assert "已登记新会员" in section_text(opened.text, "record")


async def test_editing_records_what_changed(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王芳", phone="+8613800138000", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    edit = f"{page_of(member.member_id)}/edit"
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        form = await console.get(edit)
        assert 'value="+8613800138000"' in form.text
        email = re.search(r'id="f-email" name="email" value="([^"]+)"', form.text)
        assert email
        fields = {"name": "王芳", "email": email.group(1), "phone": "+852 9123 4567", "birthday": "",
                  "language": "zh-Hant", "time_zone": "Asia/Hong_Kong"}
        refused = await submit(console, edit, edit, {**fields, "time_zone": ""})
        assert refused.status_code == 400
        assert field_error(refused.text, "time_zone") == "请填写时区，例如 Asia/Shanghai。"
        saved = await submit(console, edit, edit, fields)
        assert saved.status_code == 303
        assert saved.headers["location"] == f"{page_of(member.member_id)}?done=saved"
        again = await submit(console, edit, edit, fields)
        assert again.headers["location"] == f"{page_of(member.member_id)}?done=unchanged"
        opened = await console.get(page_of(member.member_id))
    record = section_text(opened.text, "record")
    assert "已编辑会员资料" in record
    assert "手机号码：+8613800138000 → +85291234567" in record
    assert "语言：zh-Hans → zh-Hant" in record and "时区：Asia/Shanghai → Asia/Hong_Kong" in record
    assert await ConsoleAction.count().where(ConsoleAction.action == ActionKind.member_updated.value) == 1


async def test_suspending_signs_the_member_out_and_is_recorded(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王芳", language="zh-Hans")
    assert member.member_id is not None
    cookie = await session_for(member)
    assert await _member_cookie_works(server, cookie)
    path = page_of(member.member_id)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        before = await console.get(path)
        assert "test browser" in text_of(before.text)  # the member's session, listed
        suspended = await submit(console, path, f"{path}/suspend", {"reason": "会员本人来电要求暂停"})
        assert suspended.status_code == 303
        opened = await console.get(suspended.headers["location"])
        text = text_of(opened.text)
        assert "会籍已暂停，会员已退出所有设备。" in text and "未在任何设备上登录。" in text
        assert "已暂停会籍" in text and "会员本人来电要求暂停" in text
        assert not await _member_cookie_works(server, cookie)
        reactivated = await submit(console, path, f"{path}/reactivate", {"reason": ""})
        assert reactivated.headers["location"] == f"{path}?done=reactivated"
        opened = await console.get(reactivated.headers["location"])
    assert "会籍已恢复。" in text_of(opened.text)
    # Reactivating lifts the refusals, not the sessions a suspension ended.
    assert not await _member_cookie_works(server, cookie)
    kinds = [r["action"] for r in await ConsoleAction.select(ConsoleAction.action).order_by(ConsoleAction.id)]
    assert kinds == [ActionKind.member_suspended.value, ActionKind.member_reactivated.value]


async def test_a_points_adjustment_that_cannot_be_made_is_refused_next_to_its_field(
    server: LiveServer, coordinator: Caller,
) -> None:
    member = await make_member("王芳", language="zh-Hans")
    assert member.member_id is not None
    path = page_of(member.member_id)
    before = await _counts()
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        not_a_number = await submit(console, path, f"{path}/points", {"delta": "五百", "reason": "x"})
        assert not_a_number.status_code == 400
        assert points_error(not_a_number.text, "delta") == "请填写整数积分，例如 500 或 -200。"
        assert points_error(not_a_number.text, "reason").startswith("请填写说明（3 至 500 个字符）")
        assert 'name="delta" value="五百"' in not_a_number.text
        too_much = await submit(console, path, f"{path}/points", {"delta": "-500", "reason": "误加积分冲正"})
        assert too_much.status_code == 409
        assert points_error(too_much.text, "delta") == "该会员积分余额为 0，无法扣除 500 积分。"
        assert 'name="reason" maxlength="500" value="误加积分冲正"' in too_much.text
        zero = await submit(console, path, f"{path}/points", {"delta": "0", "reason": "测试一下"})
        assert zero.status_code == 400 and points_error(zero.text, "delta")
    assert await _counts() == before


async def test_ending_one_of_the_members_sessions(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王芳", language="zh-Hans")
    other = await make_member("李静", language="zh-Hans")
    assert member.member_id is not None and other.member_id is not None
    cookie, kept = await session_for(member), await session_for(member)
    others = await session_for(other)
    path = page_of(member.member_id)
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        opened = await console.get(path)
        ends = re.findall(rf'action="{path}/sessions/(\d+)/end"', opened.text)
        assert len(ends) == 2
        # Another member's session is not this member's to end: a 404 page, nothing ended.
        row = await WebSession.select(WebSession.id).where(WebSession.user == other.user_id).first()
        assert row is not None
        other_id = row["id"]
        refused = await submit(console, path, f"{path}/sessions/{other_id}/end", {})
        assert refused.status_code == 404
        assert await _member_cookie_works(server, others)
        sessions = [int(n) for n in ends]
        ended = await submit(console, path, f"{path}/sessions/{min(sessions)}/end", {})
        assert ended.status_code == 303
        opened = await console.get(ended.headers["location"])
    assert "该设备已退出登录。" in text_of(opened.text)
    assert not await _member_cookie_works(server, cookie)  # the first session made, the one ended
    assert await _member_cookie_works(server, kept)
    assert "已结束登录会话" in section_text(opened.text, "record")


async def test_an_unknown_member_is_a_404_page(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        answer = await console.get(page_of(999_999))
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
