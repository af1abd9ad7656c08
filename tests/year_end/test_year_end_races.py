"""A year's run raced over real HTTP against the live server, on SQLite and PostgreSQL: twenty
coordinators' runs at once over 200 members give each member one reward (the unique key on
(member, year) and ON CONFLICT DO NOTHING). The control drops that key and its clause, and on
PostgreSQL the runs, each reading that nobody has theirs yet, give some members several."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import pytest

from club import clock
from club.db import write_transaction
from club.tables import PointsEntry, PointsReason
from club.year_end import awarding, urls
from club.year_end.tables import YearEndAward
from tests.concurrency.bulk import bulk_members
from tests.conftest import LiveServer, backend_name
from tests.factories import Caller
from tests.year_end.helpers import DECEMBER, JANUARY, put_rules, standard_table

RUNS = 20
MEMBERS = 200
UNIQUE = "CREATE UNIQUE INDEX IF NOT EXISTS year_end_award_member_year ON year_end_award (member, year)"


async def _members_with_points() -> None:
    members = await bulk_members(MEMBERS)
    async with write_transaction():
        await PointsEntry.insert(*[
            PointsEntry(member=m.member_id, delta=10_000 + 200 * n, reason=PointsReason.adjustment.value,
                        source=f"ye-race-{m.member_id}", award_key=f"adjustment:ye-race-{m.member_id}", note="year",
                        created_at=DECEMBER)
            for n, m in enumerate(members)
        ])


async def _run_at_once(server: LiveServer, coordinator: Caller) -> list[int]:
    with clock.frozen_at(JANUARY):
        async with server.client(coordinator.token) as http:
            answers = await asyncio.gather(*[http.post(urls.link(urls.RUN, year=2026)) for _ in range(RUNS)])
    assert {a.status_code for a in answers} == {200}, [a.text for a in answers if a.status_code != 200][:2]
    return [a.json()["awarded"] for a in answers]


async def test_twenty_runs_at_once_give_each_member_one_reward(server: LiveServer, coordinator: Caller) -> None:
    await _members_with_points()
    await put_rules(server, coordinator, standard_table())
    awarded = await _run_at_once(server, coordinator)
    assert sum(awarded) == MEMBERS, awarded
    per_member = Counter(r["member"] for r in await YearEndAward.select(YearEndAward.member))
    assert len(per_member) == MEMBERS and set(per_member.values()) == {1}


@pytest.fixture
def without_the_key() -> Iterator[None]:
    """The control's table: no unique (member, year), and a statement without ON CONFLICT."""
    original = awarding.ON_CONFLICT
    awarding.ON_CONFLICT = ""
    yield
    awarding.ON_CONFLICT = original


async def test_control_without_the_unique_key_runs_at_once_award_members_twice(
    server: LiveServer, coordinator: Caller, without_the_key: None
) -> None:
    """On PostgreSQL each run's statement reads, in its own snapshot, that nobody has a reward
    yet, and inserts every member's: more than 200 rewards. On SQLite every write transaction is
    BEGIN IMMEDIATE behind one lock (club.db.write_transaction), so the second run reads the
    first's rows and the count stays exact without the key: each backend asserts its own mechanism."""
    await _members_with_points()
    await put_rules(server, coordinator, standard_table())
    await YearEndAward.raw("DROP INDEX IF EXISTS year_end_award_member_year")
    try:
        awarded = await _run_at_once(server, coordinator)
        rows = await YearEndAward.count()
        per_member = Counter(r["member"] for r in await YearEndAward.select(YearEndAward.member))
    finally:
        await YearEndAward.delete(force=True)
        await YearEndAward.raw(UNIQUE)
    assert sum(awarded) == rows
    if backend_name() == "postgres":
        assert rows > MEMBERS and max(per_member.values()) > 1, (rows, awarded)
    else:
        assert rows == MEMBERS and set(per_member.values()) == {1}
