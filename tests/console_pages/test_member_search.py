"""Finding members in the console (/console/members, club.member_search), in zh-Hans over real HTTP:
a part of a name, of a phone number as a coordinator types it, of an e-mail address, and a tier,
each finds the right members and no others; "next page" continues in name order without a repeat
or a gap; the box's own % and _ are letters. On PostgreSQL, the search's plan over 20,000 members
uses the trigram and (name, id) indexes the migration made, never a scan of the table.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from club.db import current_engine
from club.member_search import normalized, phone_digits, search_members, search_sql
from club.points import adjust
from club.tables import Member, Tier
from tests.concurrency.bulk import bulk_members
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.support import backend_name
from tests.web.sign_in_steps import ZH, text_of

_MEMBER_LINK = re.compile(r'href="/console/members/(\d+)"')
_NEXT = re.compile(r'href="(/console/members\?[^"]*after=\d+[^"]*)" rel="next"')


def found_ids(html: str) -> list[int]:
    """The members a results page lists, in its order."""
    return [int(n) for n in _MEMBER_LINK.findall(html)]


async def _club(coordinator: Caller) -> dict[str, int]:
    """A few members to find: two 王芳s, a 李静, Amélie, with phones and addresses of their own;
    王芳华 and Amélie are Gold (1,000 points, adjusted with a reason)."""
    made = {
        "王芳": await make_member("王芳", email="wang.fang@maison.example", phone="+8613800138000", language="zh-Hans"),
        "王芳华": await make_member("王芳华", email="fanghua@example.com", phone="+8613987654321", language="zh-Hans"),
        "李静": await make_member("李静", email="li.jing@example.com", phone="+85291234567", language="zh-Hant"),
        "Amélie": await make_member("Amélie Laurent", email="amelie@maison.example", phone="+33612345678"),
    }
    for name in ("王芳华", "Amélie"):
        member_id = made[name].member_id
        assert member_id is not None
        await adjust(member_id, 1000, "迁移自旧系统", coordinator.user_id)
    return {name: caller.member_id for name, caller in made.items() if caller.member_id is not None}


async def _search(server: LiveServer, coordinator: Caller, **params: str) -> tuple[int, str]:
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        answer = await console.get("/console/members", params=params)
    return answer.status_code, answer.text


async def test_a_part_of_a_name_finds_its_members_and_no_others(server: LiveServer, coordinator: Caller) -> None:
    ids = await _club(coordinator)
    status, html = await _search(server, coordinator, q="芳")
    assert status == 200
    assert found_ids(html) == [ids["王芳"], ids["王芳华"]]  # name order
    assert 'lang="zh-Hans"' in html and "会员" in text_of(html)
    # Latin names ignore case as people type them.
    _, html = await _search(server, coordinator, q="amélie")
    assert found_ids(html) == [ids["Amélie"]]


async def test_a_phone_number_as_typed_finds_its_member(server: LiveServer, coordinator: Caller) -> None:
    ids = await _club(coordinator)
    for typed in ("138 0013 8000", "+86 138-0013-8000", "13800138000", "１３８００１３８０００", "0013 8000"):
        _, html = await _search(server, coordinator, q=typed)
        assert found_ids(html) == [ids["王芳"]], typed
    # A Hong Kong number by its last digits, shown as people read it.
    _, html = await _search(server, coordinator, q="9123 4567")
    assert found_ids(html) == [ids["李静"]]
    assert "+852 9123 4567" in text_of(html)


async def test_a_part_of_an_email_address_finds_its_members(server: LiveServer, coordinator: Caller) -> None:
    ids = await _club(coordinator)
    _, html = await _search(server, coordinator, q="@maison.example")
    assert found_ids(html) == [ids["Amélie"], ids["王芳"]]
    _, html = await _search(server, coordinator, q="LI.JING@")  # addresses are matched in lower case
    assert found_ids(html) == [ids["李静"]]


async def test_the_tier_filter_alone_and_with_the_box(server: LiveServer, coordinator: Caller) -> None:
    ids = await _club(coordinator)
    tiers = {r["name"]: r["id"] for r in await Tier.select(Tier.id, Tier.name)}
    _, html = await _search(server, coordinator, tier=str(tiers["Gold"]))
    assert found_ids(html) == [ids["Amélie"], ids["王芳华"]]
    assert "金卡" in text_of(html)
    _, html = await _search(server, coordinator, q="王", tier=str(tiers["Gold"]))
    assert found_ids(html) == [ids["王芳华"]]
    _, html = await _search(server, coordinator, q="王", tier=str(tiers["Silver"]))
    assert found_ids(html) == [ids["王芳"]]
    # The tier is kept in the form for the next search.
    assert f'<option value="{tiers["Silver"]}" selected>' in html


async def test_no_match_says_so_and_wildcards_are_letters(server: LiveServer, coordinator: Caller) -> None:
    await _club(coordinator)
    for typed in ("%", "_", "王%", "zzz"):
        status, html = await _search(server, coordinator, q=typed)
        assert status == 200
        assert found_ids(html) == [], typed
        assert "没有符合条件的会员" in text_of(html), typed


async def test_next_page_continues_in_name_order_without_repeats(server: LiveServer, coordinator: Caller) -> None:
    made = await bulk_members(123)
    expected = [
        r["id"] for r in await Member.select(Member.id).where(
            Member.id.is_in([m.member_id for m in made])
        ).order_by(Member.name).order_by(Member.id)
    ]
    seen: list[int] = []
    pages = 0
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        url: str | None = "/console/members?q=member"
        while url is not None:
            answer = await console.get(url.replace("&amp;", "&"))
            assert answer.status_code == 200
            assert "OFFSET" not in url.upper()
            ids = found_ids(answer.text)
            assert 0 < len(ids) <= 50
            seen += ids
            pages += 1
            found = _NEXT.search(answer.text)
            url = found.group(1) if found else None
            if pages > 1:
                assert "第一页" in text_of(answer.text)
    assert pages == 3
    assert seen == expected  # every member once, in name order


async def test_a_member_enrolled_between_pages_neither_repeats_nor_hides_a_row(coordinator: Caller) -> None:
    """Keyset paging: the next page starts after the last member shown, whatever was added before it."""
    made = {name: (await make_member(name)).member_id for name in ("Anna", "Bea", "Cleo", "Dora", "Elsa")}
    first = await search_members("", limit=2)
    assert [h.name for h in first.hits] == ["Anna", "Bea"]
    await make_member("Aaron")  # sorts before the page already read
    await make_member("Cara")  # sorts after it
    rest: list[str] = []
    after = first.next_after
    while after is not None:
        page = await search_members("", after=after, limit=2)
        rest += [h.name for h in page.hits]
        after = page.next_after
    assert rest == ["Cara", "Cleo", "Dora", "Elsa"]
    assert made["Anna"] == first.hits[0].id


def test_the_box_reads_a_chinese_keyboard_and_tells_phones_from_names() -> None:
    assert normalized("  ＷＡＮＧ　Ｆａｎｇ＠Ｍａｉｓｏｎ ") == "wang fang@maison"
    assert phone_digits("+86 (138) 0013-8000") == "8613800138000"
    assert phone_digits("12") is None  # too short to be a phone: a part of a name or address
    assert phone_digits("王芳 138") is None
    assert phone_digits("m123@bulk.test") is None


# --- the plan on PostgreSQL ------------------------------------------------------------------

MEMBERS = 20_000


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]


async def _plan(sql: str, args: list[Any]) -> list[dict[str, Any]]:
    """Every node of the statement's plan."""
    rows = await Member.raw("EXPLAIN (FORMAT JSON) " + sql, *args)
    found = rows[0]["QUERY PLAN"]
    return _nodes((json.loads(found) if isinstance(found, str) else found)[0]["Plan"])


@pytest.mark.skipif(backend_name() != "postgres", reason="query plans are PostgreSQL's; SQLite's planner is not under test")
async def test_the_search_uses_its_indexes_over_twenty_thousand_members() -> None:
    engine = current_engine()
    await engine.run_ddl(
        "INSERT INTO member (name, email, phone, joined_on) SELECT "
        "'成员' || md5(g::text), 'm' || g || '@club.test', '+86139' || lpad(g::text, 8, '0'), DATE '2024-01-01' "
        f"FROM generate_series(1, {MEMBERS}) g"
    )
    await engine.run_ddl("ANALYZE member")
    row = await Member.select(Member.name).where(Member.email == "m777@club.test").first()
    assert row is not None
    cases = {
        "a part of a name": (search_sql(str(row["name"])[4:12]), "member_name_trgm"),
        "a part of an address": (search_sql("m1234@club"), "member_email_trgm"),
        "the last digits of a phone": (search_sql("0001 2345"), "member_phone_trgm"),
        "every member, the next page": (search_sql("", after=4321), "member_name_id"),
    }
    for label, ((sql, args), index) in cases.items():
        nodes = await _plan(sql, args)
        assert index in {n.get("Index Name") for n in nodes}, (label, nodes)
        scans = [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "member"]
        assert not scans, (label, nodes)
