"""Reminders before points expire, planned: on the day a reminder is due (club.expiry.rules.
reminder_due: 30 and 7 days before a date, as the rule says), one row per member who would lose
points at that date, written by one INSERT ... SELECT keyed "<member>:<date>:<days>", so planning
again, or twice at once, adds nobody twice.

Sending them is events.expiry_reminders' job (the reminders' channels live above this layer):
it claims each due row (one UPDATE only one run wins) and hands it over once.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from club import clock
from club.db import write_transaction
from club.expiry.expiring import next_date, owed_sql, typed
from club.expiry.policy import load_rule
from club.expiry.rules import reminder_due
from club.expiry.tables import ExpiryReminder, ExpiryReminderStatus
from club.rows import Row, rows_as
from club.tables import MemberStatus

__all__ = ["DueReminder", "claim", "due_reminders", "plan_reminders", "settle"]

_ALL = (0, 2**31 - 1)


def _plan_sql() -> str:
    return (
        "INSERT INTO expiry_reminder (member, expires_on, days_before, points, reminder_key, status, due_at, reason, created_at) "
        f"SELECT d.member, {typed('DATE')}, {typed('INTEGER')}, d.points, CAST(d.member AS VARCHAR) || {{}}, "
        f"'{ExpiryReminderStatus.pending.value}', {typed('TIMESTAMPTZ')}, '', {typed('TIMESTAMPTZ')} FROM ("
        + owed_sql(f" AND m.status = '{MemberStatus.active.value}'")
        + ") d WHERE d.points > 0 ON CONFLICT (reminder_key) DO NOTHING RETURNING id"
    )


async def plan_reminders(zone: ZoneInfo, now: datetime | None = None) -> int:
    """Plan today's reminders for the next expiry date, if one is due today. Returns how many are new."""
    now = now or clock.now()
    rule = await load_rule()
    upcoming = next_date(rule, zone, now)
    if upcoming is None:
        return 0
    days = reminder_due(rule.policy.reminder_days, upcoming.expires_on, now.astimezone(zone).date())
    if days is None:
        return 0
    async with write_transaction():
        planned = await ExpiryReminder.raw(
            _plan_sql(), upcoming.expires_on, days, f":{upcoming.expires_on.isoformat()}:{days}", now, now,
            upcoming.cutoff, *_ALL,
        )
    return len(planned)


class DueReminder(Row, frozen=True):
    id: int
    member: int
    expires_on: date
    days_before: int
    points: int
    reminder_key: str
    due_at: datetime
    member_name: str
    email: str
    language: str | None
    tz: str
    balance: int


_X = ExpiryReminder


async def due_reminders(now: datetime, limit: int = 500) -> list[DueReminder]:
    """Pending reminders due by `now`, oldest first, with whom to tell."""
    return rows_as(DueReminder, await _X.select(
        _X.id, _X.member, _X.expires_on, _X.days_before, _X.points, _X.reminder_key, _X.due_at,
        _X.member.name.as_alias("member_name"), _X.member.email.as_alias("email"),
        _X.member.language.as_alias("language"), _X.member.time_zone.as_alias("tz"),
        _X.member.points_balance.as_alias("balance"),
    ).where((_X.status == ExpiryReminderStatus.pending.value) & (_X.due_at <= now)).order_by(_X.id).limit(limit))


async def claim(reminder_id: int, now: datetime) -> bool:
    """Take a due reminder for this run; False when another run has it."""
    async with write_transaction():
        won = await _X.update({_X.status: ExpiryReminderStatus.sending.value}).where(
            (_X.id == reminder_id) & (_X.status == ExpiryReminderStatus.pending.value) & (_X.due_at <= now)
        ).returning(_X.id)
    return bool(won)


async def settle(reminder_id: int, status: ExpiryReminderStatus, *, reason: str = "", due_at: datetime | None = None,
                 sent_at: datetime | None = None) -> None:
    """Record what became of a claimed reminder (pending again with a later due_at: held or retried)."""
    values: dict[object, object] = {_X.status: status.value, _X.reason: reason[:200]}
    if due_at is not None:
        values[_X.due_at] = due_at
    if sent_at is not None:
        values[_X.sent_at] = sent_at
    async with write_transaction():
        await _X.update(values).where(_X.id == reminder_id)  # type: ignore[arg-type]
