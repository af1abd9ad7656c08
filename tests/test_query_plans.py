"""The hot and polling queries use their indexes on a club with years of history (PostgreSQL).

The tables are filled with tens of thousands of rows, mostly history (sent reminders, delivered
messages, told referrals, answered offers) and a few live ones, as a club looks after a few
years; after ANALYZE, each query is EXPLAINed exactly as the code builds it. A sequential scan
of a large table, a sort where an index gives the order, or the query not using the index it
was given, fails the test with the plan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from checkin.attendance import ended_events_query
from checkin.scanning import _DOOR_SCAN_FACTS_SQL, _EVENT_FACTS_SQL
from club import clock
from club.birthday_greetings import untold_birthdays_query
from club.db import current_engine
from club.referrals import untold_referrals_query
from events.reminders.scheduling import (
    marked_rows_query,
    stale_steps_query,
    unadopted_outbox_query,
    unmarked_due_query,
)
from events.seats import seats_taken_query
from events.shows.offers import open_invitations_query, overdue_shows_query
from tests.support import backend_name

pytestmark = pytest.mark.skipif(
    backend_name() != "postgres", reason="query plans are PostgreSQL's; SQLite's planner is not under test"
)

MEMBERS = 20_000
EVENTS = 1_000
RSVPS = 40_000  # 40 per event: the event of a lookup is one of many
HISTORY = 40_000  # sent reminders, delivered messages, told referrals, answered offers, check-ins
LIVE = 50  # the few rows a poll is after
MARKED = 1_000  # rows marked for dispatch: an event of a thousand guests has just been moved

LARGE_TABLES = {
    "member", "rsvp", "events_outbox", "scheduled_reminder", "referral", "show_invitation", "check_in",
    "points_entry",
}

# Ids are those of the generate_series rows below (every sequence starts at 1 in a fresh club).
_FILL = [
    f"INSERT INTO member (name, email) SELECT 'Member ' || g, 'm' || g || '@club.test' FROM generate_series(1, {MEMBERS}) g",
    (f"INSERT INTO event (kind, title, venue, venue_time_zone, starts_at, ends_at, capacity, status) "
    f"SELECT 'salon', 'Salon ' || g, 'Salon', 'Europe/Paris', now() - (g || ' days')::interval, "
    f"now() - (g || ' days')::interval + interval '2 hours', 100, "
    f"CASE WHEN g % 50 = 0 THEN 'cancelled' ELSE 'published' END FROM generate_series(1, {EVENTS}) g"),
    (f"INSERT INTO rsvp (event, member, rsvp_key, status, seats) "
    f"SELECT 1 + g % {EVENTS}, 1 + g % {MEMBERS}, 'r' || g, "
    f"CASE WHEN g % 10 = 0 THEN 'cancelled' WHEN g % 10 = 1 THEN 'waitlisted' ELSE 'confirmed' END, 1 "
    f"FROM generate_series(1, {RSVPS}) g"),
    # Delivered messages, then the few undelivered at the end.
    (f"INSERT INTO events_outbox (member, event, rsvp, kind, payload, delivered_at) "
    f"SELECT 1 + g % {MEMBERS}, 1 + g % {EVENTS}, g, 'rsvp_confirmed', '{{}}', "
    f"CASE WHEN g > {HISTORY - LIVE} THEN NULL ELSE now() END FROM generate_series(1, {HISTORY}) g"),
    "INSERT INTO reminder_sequence (name) VALUES ('Bench')",
    "INSERT INTO reminder_step (sequence, position, anchor, channel, template) VALUES (1, 1, 'event_start', 'email', 'x')",
    # Mostly sent steps, some adopted outbox messages, and a few scheduled (a few marked).
    (f"INSERT INTO scheduled_reminder (schedule_key, rsvp, event, member, step, outbox, channel, due_at, "
    f"event_version, status, needs_dispatch) "
    f"SELECT 's' || g, g, 1 + g % {EVENTS}, 1 + g % {MEMBERS}, CASE WHEN g % 4 = 0 THEN NULL ELSE 1 END, "
    f"CASE WHEN g % 4 = 0 AND g <= {HISTORY - LIVE} THEN g ELSE NULL END, 'email', "
    f"now() + ((g - {HISTORY}) || ' minutes')::interval, 1, "
    f"CASE WHEN g > {HISTORY - LIVE} THEN 'scheduled' ELSE 'sent' END, g > {HISTORY - MARKED} "
    f"FROM generate_series(1, {HISTORY}) g"),
    (f"INSERT INTO referral (member, referrer, points, earned_by, earned_at, awarded_at, told_at) "
    f"SELECT g, 1 + g % 97, 500, 'first_attendance', now(), now(), "
    f"CASE WHEN g > {MEMBERS - LIVE} THEN NULL ELSE now() END FROM generate_series(1, {MEMBERS}) g"),
    # The ledger: a quarter birthday awards, all greeted but the last few; nothing to tell of the rest.
    (f"INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at, told_at) "
    f"SELECT 1 + g % {MEMBERS}, 100, CASE WHEN g % 4 = 0 THEN 'birthday' ELSE 'attendance' END, 's' || g, "
    f"'k' || g, '', now(), CASE WHEN g % 4 = 0 AND g <= {HISTORY - 4 * LIVE} THEN now() ELSE NULL END "
    f"FROM generate_series(1, {HISTORY}) g"),
    (f"INSERT INTO show_seat_category (show, name, category_key, seats) "
    f"SELECT g, 'Stalls', 'c' || g, 100 FROM generate_series(1, {EVENTS}) g"),
    (f"INSERT INTO show_invitation (show, member, category, invitation_key, status, reply_window_hours, reply_by) "
    f"SELECT 1 + g % {EVENTS}, 1 + g % {MEMBERS}, 1 + g % {EVENTS}, 'i' || g, "
    f"CASE WHEN g > {HISTORY - LIVE} THEN 'offered' WHEN g % 2 = 0 THEN 'accepted' ELSE 'expired' END, 48, "
    f"now() - (g || ' minutes')::interval FROM generate_series(1, {HISTORY}) g"),
    (f"INSERT INTO check_in (event, rsvp, member, admission_key, checked_in_at, reverted_at) "
    f"SELECT 1 + g % {EVENTS}, g, 1 + g % {MEMBERS}, g::text, now(), "
    f"CASE WHEN g % 20 = 0 THEN now() ELSE NULL END FROM generate_series(1, {RSVPS}) g"),
]


@dataclass
class Plan:
    tree: dict[str, Any]
    nodes: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.nodes = list(_walk(self.tree))

    def seq_scans(self) -> set[str]:
        return {n["Relation Name"] for n in self.nodes if n["Node Type"] == "Seq Scan"} & LARGE_TABLES

    def sorts(self) -> int:
        return sum(1 for n in self.nodes if n["Node Type"] in ("Sort", "Incremental Sort"))

    def indexes(self) -> set[str]:
        return {n["Index Name"] for n in self.nodes if "Index Name" in n}


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


async def _explain(sql: str, args: list[Any]) -> Plan:
    engine = current_engine()
    async with engine.pool.acquire() as conn:  # type: ignore[attr-defined]
        raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args)
    return Plan(json.loads(raw)[0]["Plan"])


async def _explain_query(query: Any) -> Plan:
    """The plan of a Piccolo query, compiled exactly as the code would send it."""
    (querystring,) = query.querystrings
    sql, args = querystring.compile_string(engine_type="postgres")
    return await _explain(sql, args)


def _numbered(raw_sql: str) -> str:
    """Piccolo's raw `{}` placeholders as PostgreSQL's $1, $2, …"""
    count = iter(range(1, 100))
    return re.sub(r"\{\}", lambda _: f"${next(count)}", raw_sql)


async def test_hot_and_polling_queries_use_their_indexes() -> None:
    engine = current_engine()
    for sql in _FILL:
        await engine.run_ddl(sql)
    for table in sorted(LARGE_TABLES | {"event"}):
        await engine.run_ddl(f"ANALYZE {table}")
    now = clock.now()
    horizon = now + timedelta(minutes=15)

    # name -> (plan, the index made for it if the older single-column ones cannot serve it,
    # whether that index must give the order without a sort)
    checks: dict[str, tuple[Plan, str | None, bool]] = {
        "adopt_outbox": (await _explain_query(unadopted_outbox_query()), "events_outbox_undelivered", True),
        "reconcile": (await _explain_query(stale_steps_query()), None, False),
        "dispatch": (await _explain_query(marked_rows_query(horizon)), "scheduled_reminder_to_dispatch", True),
        "dispatch (full sweep)": (await _explain_query(unmarked_due_query(horizon)), "scheduled_reminder_scheduled", True),
        "seats_taken": (await _explain_query(seats_taken_query(17)), "rsvp_event_status", False),
        "referral notices": (await _explain_query(untold_referrals_query()), "referral_untold", False),
        "birthday greetings": (await _explain_query(untold_birthdays_query()), "points_entry_birthday_untold", False),
        "show offers: overdue": (await _explain_query(overdue_shows_query(now)), None, False),
        "show cancelled: its open invitations": (await _explain_query(open_invitations_query(17)), "show_invitation_open", False),
        "door: event counts (kept in door_count)": (await _explain(_numbered(_EVENT_FACTS_SQL), [17]), "door_count_event_shard", False),
        "door: ticket and event facts": (
            await _explain(_numbered(_DOOR_SCAN_FACTS_SQL), [4242, "4242", "4242:nonce", 17]), "rsvp_pkey", False
        ),
    }
    no_shows = await _explain_query(ended_events_query(now))
    problems = []
    for name, (plan, index, ordered) in checks.items():
        if plan.seq_scans():
            problems.append(f"{name}: sequential scan of {sorted(plan.seq_scans())}")
        if index is not None and index not in plan.indexes():
            problems.append(f"{name}: does not use {index} (uses {sorted(plan.indexes())})")
        if ordered and plan.sorts():
            problems.append(f"{name}: sorts although {index} gives the order")
    # The events table stays small (a club holds a few thousand events); what matters is that
    # the no-show job reads no large table.
    assert not no_shows.seq_scans()
    assert not problems, "\n".join(problems)
