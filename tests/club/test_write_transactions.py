"""write_transaction on the real database: what one transaction writes lands whole or not at all,
foreign keys hold inside it, and a failed one leaves the next one (on SQLite, the same kept
writer connection) working."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from club import clock
from club.db import write_in_one_hop, write_transaction
from club.tables import PointsEntry, PointsReason
from tests.factories import make_member
from tests.support import backend_name


def _entry(member_id: int, key: str) -> PointsEntry:
    return PointsEntry(member=member_id, delta=10, reason=PointsReason.adjustment.value, source="test",
                       award_key=key, note="", created_at=clock.now())


async def _keys() -> set[str]:
    return {r["award_key"] for r in await PointsEntry.select(PointsEntry.award_key).where(PointsEntry.source == "test")}


async def test_a_row_naming_a_missing_member_is_refused_and_the_transaction_writes_nothing() -> None:
    m = await make_member()
    with pytest.raises(Exception, match="(?i)foreign key"):
        async with write_transaction():
            await PointsEntry.insert(_entry(m.member_id, "kept-with-the-bad-one"))  # type: ignore[arg-type]
            await PointsEntry.insert(_entry(10_000_000, "names-nobody"))
    assert await _keys() == set()


async def test_after_a_failed_transaction_the_next_one_commits_and_nothing_of_the_first_remains() -> None:
    m = await make_member()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with write_transaction():
            await PointsEntry.insert(_entry(m.member_id, "abandoned"))  # type: ignore[arg-type]
            raise Abandoned
    async with write_transaction():
        await PointsEntry.insert(_entry(m.member_id, "kept"))  # type: ignore[arg-type]
    async with write_transaction():  # and the one after sees it, on the same connection
        assert await _keys() == {"kept"}


def _insert(connection: sqlite3.Connection, member_id: int, key: str) -> None:
    connection.execute(
        "INSERT INTO points_entry (member, delta, reason, source, award_key, note, created_at) VALUES (?, 10, ?, 'test', ?, '', ?)",
        (member_id, PointsReason.adjustment.value, key, clock.now()),
    )


async def test_a_write_in_one_hop_lands_whole_or_not_at_all_even_for_a_cancelled_caller_and_the_next_writer_commits() -> None:
    if backend_name() != "sqlite":
        pytest.skip("write_in_one_hop is SQLite's")
    m = await make_member()

    def two_then_fail(connection: sqlite3.Connection) -> None:
        _insert(connection, m.member_id, "first-of-two")
        _insert(connection, 10_000_000, "names-nobody")  # a foreign key refuses it

    with pytest.raises(sqlite3.IntegrityError):
        await write_in_one_hop(two_then_fail)
    assert await _keys() == set()

    def slow(connection: sqlite3.Connection) -> None:
        _insert(connection, m.member_id, "slow")
        time.sleep(0.3)  # on the writer's thread: the caller is cancelled meanwhile

    caller = asyncio.create_task(write_in_one_hop(slow))
    await asyncio.sleep(0.1)
    caller.cancel()
    async with write_transaction():  # after the hop, on the connection as it left it
        await PointsEntry.insert(_entry(m.member_id, "after"))  # type: ignore[arg-type]
    assert caller.cancelled()
    assert await _keys() == {"slow", "after"}
