"""Birthday greetings: the member whose birthday points landed is greeted once, in their own
language (zh-Hans, zh-Hant, English), naming the points; two runs at once greet once; a failed
channel gives the greeting back for the next run; birthdays awarded before the greetings existed
are not greeted late."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import Message
from importlib import import_module
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from club.jobs import award_birthday_points
from club.settings import Settings
from club.tables import PointsEntry
from events.birthday_greetings import greet_birthdays, greeting_key
from events.reminders.tables import ReminderMessage
from tests.factories import make_member
from tests.serving import free_port

# 17:30 UTC on 12 April: already 13 April in Shanghai and Taipei.
NOW = datetime(2027, 4, 12, 17, 30, tzinfo=UTC)


async def _birthday_members() -> dict[str, int]:
    made = {
        "王芳": await make_member("王芳", birthday=date(1988, 4, 13), time_zone="Asia/Shanghai", language="zh-Hans-CN"),
        "陳美玲": await make_member("陳美玲", birthday=date(1990, 4, 13), time_zone="Asia/Taipei", language="zh-TW"),
        "Mei Huang": await make_member("Mei Huang", birthday=date(1992, 4, 13), time_zone="Asia/Shanghai", language="en"),
    }
    assert await award_birthday_points({}, NOW) == 3
    return {name: caller.member_id for name, caller in made.items()}  # type: ignore[misc]


async def test_each_member_is_greeted_once_in_their_language_with_the_birthday_points(settings: Settings) -> None:
    members = await _birthday_members()
    assert await greet_birthdays(settings, NOW) == 3
    assert await greet_birthdays(settings, NOW) == 0  # told: nothing more
    kept = {r["member"]: r for r in await ReminderMessage.select()}
    assert len(kept) == 3
    hans, hant, en = (kept[members[n]] for n in ("王芳", "陳美玲", "Mei Huang"))
    assert hans["subject"] == "尊敬的王芳，谨祝您生日快乐"
    assert hans["body"] == "尊敬的王芳，值此生日之际，我们谨祝您生日快乐。100 生日积分已计入您的积分余额，敬请查收。"
    assert hant["subject"] == "尊敬的陳美玲，謹祝您生日快樂"
    assert hant["body"] == "尊敬的陳美玲，值此生日之際，我們謹祝您生日快樂。100 生日積分已計入您的積分餘額，敬請查收。"
    assert en["body"].startswith("Dear Mei Huang, everyone at the club wishes you a very happy birthday.")
    assert "100 birthday points" in en["body"]
    for message in (hans, hant):
        assert "!" not in message["body"] and "！" not in message["body"]
    entries = {r["member"]: r for r in await PointsEntry.select().where(PointsEntry.reason == "birthday")}
    assert {kept[m]["delivery_key"] for m in kept} == {greeting_key(entries[m]["id"]) for m in kept}
    assert all(e["told_at"] is not None for e in entries.values())


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.05)  # a slow server widens the window two runs could share
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


async def test_two_runs_at_once_greet_each_member_once(settings: Settings, smtp: Any) -> None:
    controller, inbox = smtp
    with_smtp = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test")
    await _birthday_members()
    counts = await asyncio.gather(*(greet_birthdays(with_smtp, NOW) for _ in range(4)))
    assert sum(counts) == 3
    assert len(inbox.messages) == 3 and len({m["To"] for m in inbox.messages}) == 3


async def test_a_failed_channel_gives_the_greeting_back_for_the_next_run(settings: Settings, smtp: Any) -> None:
    controller, inbox = smtp
    nowhere = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=free_port())
    await make_member("王芳", birthday=date(1988, 4, 13), time_zone="Asia/Shanghai", language="zh-Hans")
    await award_birthday_points({}, NOW)
    assert await greet_birthdays(nowhere, NOW) == 0
    assert (await PointsEntry.select(PointsEntry.told_at).where(PointsEntry.reason == "birthday").first())["told_at"] is None  # type: ignore[index]
    working = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test")
    assert await greet_birthdays(working, NOW) == 1
    [email] = inbox.messages
    assert email["Subject"] == "尊敬的王芳，谨祝您生日快乐"
    text = "".join(part.get_content() for part in email.walk() if part.get_content_type() == "text/plain")
    assert "100 生日积分已计入您的积分余额" in text


async def test_birthdays_awarded_before_the_greetings_are_not_greeted_late(settings: Settings) -> None:
    await make_member("王芳", birthday=date(1988, 4, 13), time_zone="Asia/Shanghai", language="zh-Hans")
    await award_birthday_points({}, NOW)
    migration = import_module("club.piccolo_migrations.club_2026_12_06t12_30_00_000000")
    await (await migration.forwards()).run()
    entry = await PointsEntry.select(PointsEntry.told_at, PointsEntry.created_at).where(PointsEntry.reason == "birthday").first()
    assert entry is not None and entry["told_at"] == entry["created_at"]
    assert await greet_birthdays(settings, NOW) == 0


async def test_control_without_the_claim_two_runs_at_once_greet_twice(
    settings: Settings, smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the claim prevents happens without it, so the test above proves something."""
    import events.birthday_greetings as greetings

    async def always(entry_id: int, now: datetime) -> bool:
        return True

    monkeypatch.setattr(greetings, "claim_greeting", always)
    controller, inbox = smtp
    with_smtp = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test")
    await _birthday_members()
    await asyncio.gather(*(greet_birthdays(with_smtp, NOW) for _ in range(4)))
    assert len(inbox.messages) > 3
