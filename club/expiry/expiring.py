"""Points expiry over the ledger: what the next date would take (the console's preview), running a
date that has come (the job and coordinators), and what a member will lose next and when.

What each member owes a date is one aggregate statement over the whole ledger (`_OWED_SQL`):
their points earned before the cutoff less everything taken from them so far, capped by their
balance (club.expiry.rules.to_expire, FIFO). Running a date writes one ledger entry per member
with an INSERT ... SELECT of that statement, keyed "expiry:<member>:<date>", so a second run, or
two workers at once, expire once. On PostgreSQL each chunk of members is locked first
(club.locking.lock_objects, its own statement) and summed after, so a redemption committing
meanwhile is either counted or waits: an expiry never takes a balance below zero.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from club import clock
from club.db import is_sqlite, write_transaction
from club.expiry.policy import RuleRow, load_rule
from club.expiry.rules import (
    ExpiryMode,
    ExpiryPolicy,
    cutoff_of,
    expiry_moment,
    last_expiry_before,
    local_midnight,
    next_expiry_on_or_after,
    to_expire,
)
from club.expiry.schemas import ExpiryPreviewOut, ExpiryRunOut, MyExpiryOut
from club.expiry.tables import ExpiryRun
from club.ledger import balance_of
from club.locking import lock_objects
from club.tables import Member, PointsEntry, PointsReason

__all__ = ["CHUNK", "KEYED", "DueDate", "due_date", "expire", "member_expiry", "next_date", "owed_sql", "preview", "run_due", "typed"]

# Members locked and written per transaction on PostgreSQL: a redemption waits for at most one
# chunk (its lock timeout is 3 s), never for the whole club.
CHUNK = 5_000
# Only the control test turns this off: each entry's key then carries a run's own token, to show
# that without the key two runs at once expire twice.
KEYED = True
_ALL = (0, 2**31 - 1)

# Per member: the points earned before the cutoff (positive entries, a returned redemption's
# points aside: they give back what was taken) less everything taken (negative entries, net of
# those returns), capped by the balance. Placeholders: the cutoff instant, the first and last
# member id, then `extra` conditions' own.
_OWED = (
    "CASE WHEN p.delta < 0 OR p.reason = '" + PointsReason.returned.value + "' THEN p.delta "
    "WHEN p.created_at < {} THEN p.delta ELSE 0 END"
)


def owed_sql(extra: str = "") -> str:
    """The statement of (member, points) every member owes a date (see the module's docstring)."""
    return (
        "SELECT m.id AS member, CASE WHEN f.owed < m.points_balance THEN f.owed ELSE m.points_balance END AS points "
        f"FROM (SELECT p.member AS member, SUM({_OWED}) AS owed FROM points_entry p "
        "WHERE p.member BETWEEN {} AND {} GROUP BY p.member) f "
        f"JOIN member m ON m.id = f.member WHERE f.owed > 0 AND m.points_balance > 0{extra}"
    )


_PREVIEW_SQL = "SELECT COUNT(*) AS members, COALESCE(SUM(d.points), 0) AS points FROM (" + owed_sql() + ") d"
_CANDIDATES_SQL = owed_sql() + " ORDER BY m.id"


def typed(sql_type: str) -> str:
    """A placeholder PostgreSQL is told the type of: in an INSERT ... SELECT's list it would take
    it for text. SQLite keeps dates and instants as the text it is given."""
    return "{}" if is_sqlite() else f"CAST({{}} AS {sql_type})"


def _insert_sql() -> str:
    return (
        "INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_by, created_at) "
        f"SELECT d.member, -d.points, '{PointsReason.expiry.value}', CAST(d.member AS VARCHAR) || {{}}, "
        f"{{}} || CAST(d.member AS VARCHAR) || {{}}, {{}}, NULL, {typed('TIMESTAMPTZ')} "
        "FROM (" + owed_sql() + ") d WHERE d.points > 0 "
        "ON CONFLICT (award_key) DO NOTHING RETURNING delta"
    )


@dataclass(frozen=True, slots=True)
class DueDate:
    """An expiry date and its cutoff, as instants of the club's clock."""

    expires_on: date
    cutoff_day: date
    cutoff: datetime  # points created before this instant expire
    at: datetime  # when they are gone: the end of expires_on


def _date(policy: ExpiryPolicy, expires_on: date, zone: ZoneInfo) -> DueDate:
    cutoff_day = cutoff_of(policy, expires_on)
    return DueDate(expires_on, cutoff_day, local_midnight(cutoff_day, zone), expiry_moment(expires_on, zone))


def next_date(rule: RuleRow, zone: ZoneInfo, now: datetime) -> DueDate | None:
    """The next expiry date not yet come (None: the rule is off)."""
    expires_on = next_expiry_on_or_after(rule.policy, now.astimezone(zone).date())
    return None if expires_on is None else _date(rule.policy, expires_on, zone)


def due_date(rule: RuleRow, zone: ZoneInfo, now: datetime) -> DueDate | None:
    """The latest expiry date whose end has passed, if the rule applied to it (a rule applies from
    the first date after it was set)."""
    expires_on = last_expiry_before(rule.policy, now.astimezone(zone).date())
    if expires_on is None or rule.effective_from is None:
        return None
    found = _date(rule.policy, expires_on, zone)
    return found if found.at > clock.aware(rule.effective_from) else None


async def preview(zone: ZoneInfo, now: datetime | None = None) -> ExpiryPreviewOut:
    """How many members would lose how many points at the next date, on today's ledger."""
    now = now or clock.now()
    rule = await load_rule()
    upcoming = next_date(rule, zone, now)
    if upcoming is None:
        return ExpiryPreviewOut(expires_on=None, cutoff=None, members=0, points=0)
    row = (await Member.raw(_PREVIEW_SQL, upcoming.cutoff, *_ALL))[0]
    return ExpiryPreviewOut(expires_on=upcoming.expires_on, cutoff=upcoming.cutoff_day,
                            members=int(row["members"]), points=int(row["points"] or 0))


async def expire(due: DueDate, now: datetime | None = None) -> tuple[int, int]:
    """Write the date's expiry entries: (members, points) this call wrote. Safe to repeat and to race."""
    now = now or clock.now()
    candidates = [int(r["member"]) for r in await Member.raw(_CANDIDATES_SQL, due.cutoff, *_ALL)]
    suffix = f":{due.expires_on.isoformat()}" + ("" if KEYED else f":{uuid.uuid4().hex[:8]}")
    note = f"points earned before {due.cutoff_day.isoformat()} expired on {due.expires_on.isoformat()}"
    members = points = 0
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        async with write_transaction():
            await lock_objects((Member, chunk))
            written = await PointsEntry.raw(
                _insert_sql(), suffix, f"{PointsReason.expiry.value}:", suffix, note, now, due.cutoff, chunk[0], chunk[-1]
            )
        members += len(written)
        points += -sum(int(r["delta"]) for r in written)
    return members, points


async def run_due(zone: ZoneInfo, now: datetime | None = None) -> ExpiryRunOut:
    """Run the expiry date that has come, once: the job's hourly call, and a coordinator's."""
    now = now or clock.now()
    rule = await load_rule()
    if rule.mode is ExpiryMode.off:
        return ExpiryRunOut(expires_on=None, members=0, points=0)
    due = due_date(rule, zone, now)
    if due is None:
        return ExpiryRunOut(expires_on=None, members=0, points=0)
    if await ExpiryRun.exists().where(ExpiryRun.expires_on == due.expires_on):
        return ExpiryRunOut(expires_on=due.expires_on, members=0, points=0)
    members, points = await expire(due, now)
    async with write_transaction():
        await ExpiryRun.raw(
            "INSERT INTO expiry_run (expires_on, cutoff, members, points, finished_at) VALUES ({}, {}, {}, {}, {}) "
            "ON CONFLICT (expires_on) DO NOTHING", due.expires_on, due.cutoff_day, members, points, clock.now(),
        )
    return ExpiryRunOut(expires_on=due.expires_on, members=members, points=points)


# A member's next dates at once: what they took so far, and what they earned before each cutoff.
_LOOK_AHEAD = 12


async def member_expiry(member_id: int, zone: ZoneInfo, now: datetime | None = None) -> MyExpiryOut:
    """What of the member's balance goes first, and when (the next date that takes anything,
    within a year of rolling dates or the next two clearing days)."""
    now = now or clock.now()
    rule = await load_rule()
    balance = await balance_of(member_id)
    nothing = MyExpiryOut(balance=balance, points=0, expires_on=None, at=None)
    first = next_date(rule, zone, now)
    if first is None or balance <= 0:
        return nothing
    dates = [first]
    while len(dates) < (_LOOK_AHEAD if rule.mode is ExpiryMode.rolling else 2):
        following = next_expiry_on_or_after(rule.policy, dates[-1].expires_on + timedelta(days=1))
        assert following is not None
        dates.append(_date(rule.policy, following, zone))
    earned = ", ".join(
        f"COALESCE(SUM(CASE WHEN p.delta > 0 AND p.reason <> '{PointsReason.returned.value}' AND p.created_at < {{}} "
        f"THEN p.delta ELSE 0 END), 0) AS e{n}" for n in range(len(dates))
    )
    row = (await PointsEntry.raw(
        "SELECT COALESCE(SUM(CASE WHEN p.delta < 0 OR p.reason = '" + PointsReason.returned.value + "' "
        f"THEN -p.delta ELSE 0 END), 0) AS taken, {earned} FROM points_entry p WHERE p.member = {{}}",
        *[d.cutoff for d in dates], member_id,
    ))[0]
    for n, d in enumerate(dates):
        points = to_expire(int(row[f"e{n}"]), int(row["taken"]), balance)
        if points > 0:
            return MyExpiryOut(balance=balance, points=points, expires_on=d.expires_on, at=d.at)
    return nothing
