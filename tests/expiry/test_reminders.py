"""Reminders before points expire: planned once per member per (date, days before), sent once in
the member's language with rewards they can afford, skipped where they turned such messages off,
and held past their night."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from club import clock
from club.expiry.reminding import plan_reminders
from club.expiry.tables import ExpiryReminder
from club.settings import Settings
from events.expiry_reminders import send_expiry_reminders
from events.reminders.preferences import MessageKind, set_preferences
from events.reminders.tables import Channel
from tests.conftest import LiveServer
from tests.expiry.helpers import entry, rolling_rule
from tests.factories import Caller, make_member
from tests.rewards.helpers import make_reward
from tests.segments.helpers import messages_of

OLD = datetime(2025, 3, 15, 10, tzinfo=UTC)
MARCH_1 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # 10:00 in Paris, 30 days before 31 March


async def test_each_member_is_told_once_per_reminder_in_their_language(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    ann = await make_member("安", language="zh-Hans")
    bo = await make_member("Bo", language="en")
    new = await make_member("Cy", language="en")
    await entry(ann.member_id, 1_000, OLD)
    await entry(bo.member_id, 800, OLD)
    await entry(new.member_id, 800, datetime(2026, 6, 1, tzinfo=UTC))  # nothing to expire on 31 March
    await make_reward(server, coordinator, price=500, stock=5, title_zh="真丝方巾")
    await make_reward(server, coordinator, price=5_000, title_zh="私享晚宴")  # beyond her balance
    await set_preferences(bo.member_id, {MessageKind.other: frozenset({Channel.sms})})  # type: ignore[arg-type]
    await rolling_rule()
    with clock.frozen_at(MARCH_1):
        assert await plan_reminders(settings.zone) == 2
        assert await plan_reminders(settings.zone) == 0
        assert await send_expiry_reminders(settings) == 1
        assert await send_expiry_reminders(settings) == 0
    [told] = await messages_of(ann.member_id)  # type: ignore[arg-type]
    assert told["subject"] == "您的 1,000 积分将于 2027年3月31日 到期"
    assert "尊敬的安，您有 1,000 积分将于 2027年3月31日 结束时到期（清零）。" in told["body"]  # type: ignore[operator]
    assert "- 真丝方巾：500 积分" in told["body"] and "私享晚宴" not in told["body"]  # type: ignore[operator]
    assert await messages_of(bo.member_id) == [] and await messages_of(new.member_id) == []  # type: ignore[arg-type]
    statuses = {r["member"]: r["status"] for r in await ExpiryReminder.select(ExpiryReminder.member, ExpiryReminder.status)}
    assert statuses == {ann.member_id: "sent", bo.member_id: "skipped"}
    # Between the two reminders nothing more is planned; on the 24th (7 days before), once more.
    with clock.frozen_at(datetime(2027, 3, 20, 9, tzinfo=UTC)):
        assert await plan_reminders(settings.zone) == 0
    with clock.frozen_at(datetime(2027, 3, 24, 9, tzinfo=UTC)):
        assert await plan_reminders(settings.zone) == 2
        assert await send_expiry_reminders(settings) == 1
    assert len(await messages_of(ann.member_id)) == 2  # type: ignore[arg-type]


async def test_the_night_holds_a_reminder_until_the_members_morning(settings: Settings) -> None:
    dora = await make_member("Dora", language="en")
    await entry(dora.member_id, 1_000, OLD)
    await rolling_rule()
    night = replace(settings, quiet_hours_start="21:00", quiet_hours_end="08:00")
    late = datetime(2027, 3, 1, 21, 30, tzinfo=UTC)  # 22:30 in Paris
    with clock.frozen_at(late):
        assert await plan_reminders(settings.zone) == 1
        assert await send_expiry_reminders(night) == 0
    [held] = await ExpiryReminder.select(ExpiryReminder.due_at, ExpiryReminder.status)
    assert held["status"] == "pending" and clock.aware(held["due_at"]) == datetime(2027, 3, 2, 7, 0, tzinfo=UTC)
    assert await send_expiry_reminders(night, datetime(2027, 3, 2, 6, 59, tzinfo=UTC)) == 0
    assert await send_expiry_reminders(night, datetime(2027, 3, 2, 7, 0, tzinfo=UTC)) == 1
    [told] = await messages_of(dora.member_id)  # type: ignore[arg-type]
    assert told["subject"] == "1,000 points will expire on March 31, 2027"
