"""Signing in on the pages, as a member on their phone would, over real HTTP: the code read
from the outbox, and every limit on it (its life, its tries, one use, the rate limits per client
and per address), the same answer for an address that is no member's, a suspended member
refused, the e-mail's one-click link, and `next` kept on this site. Words checked in zh-Hans.

The race at the end fires wrong codes at one code at once: every try is counted, so no more
than settings.sign_in_code_tries are ever compared; its control turns the code's row lock off
(club.locking.LOCKING) and shows, on PostgreSQL, that more guesses then get compared.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from html import unescape

import pytest

import club.locking
from club import clock
from club import urls as club_urls
from club.jobs import purge_dead_sign_in_codes
from club.tables import SignInCode
from club.web.sign_in import sends_settled
from events.reminders.tables import ReminderMessage
from events.urls import link
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.pages import csrf_of, latest_code, page_client
from tests.support import backend_name
from tests.web.sign_in_steps import ZH, ask, challenge_of, client_address, codes_sent, enter, new_member, other_code, text_of

ON_ITS_WAY = "六位验证码正在发送中"
DEAD = "此验证码已无法使用：已过期、已使用或尝试次数过多。"
TOO_MANY = "请求过于频繁"


def wrong_with(left: int) -> str:
    return f"验证码不正确，还可尝试 {left} 次。"


async def _signed_in_home(browser) -> str:  # type: ignore[no-untyped-def]
    home = await browser.get("/")
    assert home.status_code == 200, home.headers.get("location")
    return text_of(home.text)


async def test_the_code_from_the_outbox_signs_in(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email)
        assert asked.status_code == 200
        assert ON_ITS_WAY in text_of(asked.text) and "10 分钟内有效" in text_of(asked.text)
        assert await codes_sent(email) == 1
        answered = await enter(browser, asked.text, await latest_code(member.member_id))  # type: ignore[arg-type]
        assert answered.status_code == 303 and answered.headers["location"] == "/"
        assert "尊敬的王静" in await _signed_in_home(browser)


async def test_full_width_digits_and_at_sign_from_a_chinese_keyboard_are_read_as_typed(server: LiveServer) -> None:
    member, email = await new_member("王静")
    full_width = str.maketrans("0123456789@", "０１２３４５６７８９＠")
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email.translate(full_width))
        assert asked.status_code == 200 and await codes_sent(email) == 1
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        typed = f"{code[:3]} {code[3:]}".translate(full_width)  # "８１３ ２２３"
        assert (await enter(browser, asked.text, typed)).status_code == 303
        assert "尊敬的王静" in await _signed_in_home(browser)


async def test_a_code_lives_sign_in_code_minutes_and_the_daily_sweep_deletes_it_after(server: LiveServer) -> None:
    member, email = await new_member("王静")
    minutes = server.settings.sign_in_code_minutes
    async with page_client(server.base_url, **ZH) as late, page_client(server.base_url, **ZH) as in_time:
        with clock.frozen_at(clock.now()):
            asked_late = await ask(late, email)
            stale = await latest_code(member.member_id)  # type: ignore[arg-type]
            clock.advance(timedelta(minutes=minutes, seconds=1))
            answered = await enter(late, asked_late.text, stale)
            assert answered.status_code == 400
            assert DEAD in text_of(answered.text)
            assert (await late.get("/")).status_code == 303  # not signed in

            # The control: a code typed a second before its end still opens, and the daily sweep
            # in between deletes only the code past its end.
            asked = await ask(in_time, email)
            fresh = await latest_code(member.member_id)  # type: ignore[arg-type]
            assert await purge_dead_sign_in_codes({"settings": server.settings}) == 1
            assert await SignInCode.count() == 1
            assert DEAD in text_of((await enter(late, asked_late.text, stale)).text)  # deleted: as dead as before
            clock.advance(timedelta(minutes=minutes, seconds=-1))
            assert (await enter(in_time, asked.text, fresh)).status_code == 303
            assert "尊敬的王静" in await _signed_in_home(in_time)


async def test_a_code_opens_once(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as first, page_client(server.base_url, **ZH) as second:
        asked = await ask(first, email)
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        assert (await enter(first, asked.text, code)).status_code == 303
        # Someone else with the same challenge and code (read over the member's shoulder).
        opened = await second.get("/sign-in")
        again = await second.post("/sign-in/code", data={
            "_csrf_token": csrf_of(opened.text), "challenge": challenge_of(asked.text), "code": code, "next": "/",
        })
        assert again.status_code == 400
        assert DEAD in text_of(again.text)
        assert (await second.get("/")).status_code == 303


async def test_a_wrong_code_says_how_many_tries_are_left_and_the_right_one_still_opens(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email)
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        wrong = await enter(browser, asked.text, other_code(code))
        assert wrong.status_code == 400
        assert wrong_with(server.settings.sign_in_code_tries - 1) in text_of(wrong.text)
        assert 'aria-invalid="true"' in wrong.text
        # The page keeps the same code form, so the member simply types again.
        assert (await enter(browser, wrong.text, code)).status_code == 303


async def test_too_many_tries_end_the_code_and_then_the_right_one_fails_too(server: LiveServer) -> None:
    member, email = await new_member("王静")
    tries = server.settings.sign_in_code_tries
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email)
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        said = [text_of((await enter(browser, asked.text, other_code(code))).text) for _ in range(tries)]
        assert [wrong_with(left) in text for left, text in zip(range(tries - 1, 0, -1), said, strict=False)] == [True] * (tries - 1)
        assert DEAD in said[-1]
        right = await enter(browser, asked.text, code)
        assert right.status_code == 400 and DEAD in text_of(right.text)
        assert (await browser.get("/")).status_code == 303


def _assert_too_many(answer, window: int) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 429
    assert answer.headers["content-type"].startswith("text/html")
    assert TOO_MANY in text_of(answer.text)
    assert 0 < int(answer.headers["retry-after"]) <= window


async def test_the_per_client_rate_limit_answers_a_429_page(server: LiveServer) -> None:
    policy = server.settings.sign_in_rate_limit
    me, neighbour = client_address(), client_address()
    async with page_client(server.base_url, **ZH) as browser:
        with clock.frozen_at(clock.now()):  # one window
            for n in range(policy.limit):
                # Addresses of their own each time, so only the per-client count grows.
                assert (await ask(browser, f"nobody{n}@members.test", headers=me)).status_code == 200
            refused = await ask(browser, "nobody@members.test", headers=me)
            _assert_too_many(refused, policy.window_s)
            assert (await ask(browser, "nobody@members.test", headers=neighbour)).status_code == 200


async def test_the_per_address_rate_limit_stops_codes_to_one_address(server: LiveServer) -> None:
    _, email = await new_member("王静")
    policy = server.settings.sign_in_address_rate_limit
    async with page_client(server.base_url, **ZH) as browser:
        with clock.frozen_at(clock.now()):
            for _ in range(policy.limit):
                # From many clients: the address's own count is what stops them.
                assert (await ask(browser, email, headers=client_address())).status_code == 200
            refused = await ask(browser, email, headers=client_address())
            _assert_too_many(refused, policy.window_s)
            assert await codes_sent(email) == policy.limit  # no code went with the refusal
            _, other_email = await new_member("周婷")
            assert (await ask(browser, other_email, headers=client_address())).status_code == 200
            assert await codes_sent(other_email) == 1


def _without_secrets(html: str, address: str) -> str:
    """The page with what differs by nature taken out: its CSRF token, the challenge, the address typed."""
    html = re.sub(r'name="_csrf_token" value="[^"]+"', "", html)
    html = re.sub(r'name="challenge" value="[^"]+"', "", html)
    return html.replace(address, "ADDRESS")


async def test_an_address_that_is_no_members_gets_the_same_page_and_no_message(server: LiveServer) -> None:
    member, email = await new_member("王静")
    stranger = "stranger@elsewhere.test"
    async with page_client(server.base_url, **ZH) as a, page_client(server.base_url, **ZH) as b:
        for_member = await ask(a, email)
        for_stranger = await ask(b, stranger)
        assert for_member.status_code == for_stranger.status_code == 200
        assert _without_secrets(for_member.text, email) == _without_secrets(for_stranger.text, stranger)
        assert await codes_sent(stranger) == 0
        assert await ReminderMessage.count().where(ReminderMessage.recipient == stranger) == 0
        # A guess at the stranger's code is answered as a member's wrong code is.
        member_wrong = await enter(a, for_member.text, other_code(await latest_code(member.member_id)))  # type: ignore[arg-type]
        stranger_wrong = await enter(b, for_stranger.text, "123456")
        assert member_wrong.status_code == stranger_wrong.status_code == 400
        assert _without_secrets(member_wrong.text, email) == _without_secrets(stranger_wrong.text, stranger)


async def test_a_suspended_member_gets_no_code_and_cannot_sign_in(server: LiveServer, coordinator: Caller) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser, server.client(coordinator.token) as api:
        asked_before = await ask(browser, email)
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        suspended = await api.post(link(club_urls.MEMBER_SUSPEND, member_id=member.member_id))
        assert suspended.status_code == 200, suspended.text
        # The code sent before the suspension no longer opens.
        answered = await enter(browser, asked_before.text, code)
        assert answered.status_code == 400
        assert (await browser.get("/")).status_code == 303
        # Asking again: the page every address gets, and nothing sent.
        asked = await ask(browser, email)
        assert asked.status_code == 200 and ON_ITS_WAY in text_of(asked.text)
        assert await codes_sent(email) == 1


_LINK = re.compile(r"(https?://\S+?(/sign-in-link/[A-Za-z0-9_\-]+))")


async def _sign_in_link(member_id: int) -> str:
    await sends_settled()
    row = await ReminderMessage.select(ReminderMessage.body).where(
        (ReminderMessage.member == member_id) & ReminderMessage.delivery_key.like("sign-in:%")
    ).order_by(ReminderMessage.id, ascending=False).first()
    assert row is not None
    found = _LINK.search(row["body"])
    assert found, row["body"]
    return found.group(2)  # its path: the test server is not the club's public address


async def test_the_e_mail_link_signs_in_once_after_a_button(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser, page_client(server.base_url, **ZH) as another:
        await ask(browser, email)
        link = await _sign_in_link(member.member_id)  # type: ignore[arg-type]
        # Opening the link (as a mail scanner would, twice) signs no one in and spends nothing.
        for _ in range(2):
            opened = await another.get(link)
            assert opened.status_code == 200
            assert '<form method="post">' in opened.text and "登录" in text_of(opened.text)
        assert (await another.get("/")).status_code == 303
        opened = await browser.get(link)
        signed = await browser.post(link, data={"_csrf_token": csrf_of(opened.text)})
        assert signed.status_code == 303 and signed.headers["location"] == "/"
        assert "尊敬的王静" in await _signed_in_home(browser)
        # The second press, on any device, finds the link spent.
        opened = await another.get(link)
        again = await another.post(link, data={"_csrf_token": csrf_of(opened.text)})
        assert again.status_code == 400
        assert "此登录链接已无法使用" in text_of(again.text)
        assert (await another.get("/")).status_code == 303


@pytest.mark.parametrize("target", [
    "https://evil.example/points", "//evil.example/points", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)",
])
async def test_next_never_leads_to_another_host(server: LiveServer, target: str) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH, **client_address()) as browser:
        page = await browser.get("/sign-in", params={"next": target})
        assert 'name="next" value="/"' in page.text
        asked = await ask(browser, email, next=target)
        answered = await enter(browser, asked.text, await latest_code(member.member_id), next=target)  # type: ignore[arg-type]
        assert answered.status_code == 303 and answered.headers["location"] == "/"
        # Signed in already, the sign-in page sends the member on, still here.
        again = await browser.get("/sign-in", params={"next": target})
        assert again.status_code == 303 and again.headers["location"] == "/"


async def test_next_leads_back_to_the_page_that_asked_for_a_sign_in(server: LiveServer) -> None:
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser:
        refused = await browser.get("/points", params={"page": "2"})
        assert refused.status_code == 303
        target = refused.headers["location"]
        assert target.startswith("/sign-in?next=")
        opened = await browser.get(target)
        assert opened.status_code == 200
        found = re.search(r'name="next" value="([^"]+)"', opened.text)
        assert found and unescape(found.group(1)) == "/points?page=2"
        asked = await ask(browser, email, next=unescape(found.group(1)))
        answered = await enter(browser, asked.text, await latest_code(member.member_id), next="/points?page=2")  # type: ignore[arg-type]
        assert answered.status_code == 303 and answered.headers["location"] == "/points?page=2"


async def _storm_of_wrong_codes(server: LiveServer, size: int) -> tuple[list[str], int, str, str]:
    """`size` wrong codes typed at once against one code, each from its own client; what each
    answer said, the tries the code's row counted, the code page and the right code."""
    member, email = await new_member("王静")
    async with page_client(server.base_url, **ZH) as browser:
        asked = await ask(browser, email)
        code = await latest_code(member.member_id)  # type: ignore[arg-type]
        answers = await asyncio.gather(*[
            enter(browser, asked.text, other_code(code), headers=client_address()) for _ in range(size)
        ])
    assert {a.status_code for a in answers} == {400}, {a.status_code for a in answers}
    row = await SignInCode.select(SignInCode.tries).order_by(SignInCode.id, ascending=False).first()
    assert row is not None
    return [text_of(a.text) for a in answers], int(row["tries"]), asked.text, code


STORM = 30


async def test_concurrent_wrong_codes_are_each_counted(server: LiveServer) -> None:
    tries = server.settings.sign_in_code_tries
    said, counted, asked, code = await _storm_of_wrong_codes(server, STORM)
    compared = [text for text in said if "验证码不正确" in text]
    # The last try allowed answers that the code is spent; every other one says how many are left,
    # each number once: the tries were counted one after another.
    assert len(compared) == tries - 1
    assert sorted(re.search(r"还可尝试 (\d+) 次", t).group(1) for t in compared) == [str(n) for n in range(1, tries)]  # type: ignore[union-attr]
    assert counted == tries
    assert sum(DEAD in text for text in said) == STORM - (tries - 1)
    async with page_client(server.base_url, **ZH) as browser:
        opened = await browser.get("/sign-in")
        right = await browser.post("/sign-in/code", data={
            "_csrf_token": csrf_of(opened.text), "challenge": challenge_of(asked), "code": code, "next": "/",
        })
        assert right.status_code == 400 and DEAD in text_of(right.text)


async def test_control_without_the_codes_row_lock(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the lock, on PostgreSQL, tries read the same count at once and more guesses than
    allowed get compared: the race the lock prevents is real. SQLite's writers are serialized
    by club.db.write_transaction whatever the lock says, so there every try still counts."""
    tries = server.settings.sign_in_code_tries
    monkeypatch.setattr(club.locking, "LOCKING", False)
    said, counted, _, _ = await _storm_of_wrong_codes(server, STORM)
    compared = sum("验证码不正确" in text for text in said)
    if backend_name() == "postgres":
        assert compared > tries - 1, "without the lock more guesses should have been compared"
    else:
        assert compared == tries - 1 and counted == tries
