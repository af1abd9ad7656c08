"""club.statements.fetch against the real database: the hot paths' hand-written statements run
in the caller's transaction when there is one, and see only what is committed otherwise."""

from __future__ import annotations

import pytest

from club import clock
from club.db import current_engine, write_transaction
from club.statements import _placeholders, fetch
from club.tables import PointsEntry, PointsReason
from tests.factories import make_member

_ENTRIES = "SELECT award_key FROM points_entry WHERE member = {} AND source = {} ORDER BY award_key"


def test_each_value_gets_the_engines_placeholder_in_order_and_doubled_braces_stay_text() -> None:
    template = "SELECT {} AS a, '{{x}}' AS b WHERE c = {}"
    assert _placeholders(template, "postgres") == "SELECT $1 AS a, '{x}' AS b WHERE c = $2"
    assert _placeholders(template, "sqlite") == "SELECT ? AS a, '{x}' AS b WHERE c = ?"
    with pytest.raises(ValueError, match="placeholders"):
        _placeholders("WHERE id = {member}", "postgres")


async def test_inside_a_transaction_a_statement_sees_its_writes_and_after_a_rollback_nobody_does() -> None:
    m = await make_member()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with write_transaction():
            await PointsEntry.insert(PointsEntry(
                member=m.member_id, delta=5, reason=PointsReason.adjustment.value, source="fetch-test",
                award_key="fetch-test:1", created_at=clock.now(),
            ))
            assert await fetch(_ENTRIES, m.member_id, "fetch-test") == [{"award_key": "fetch-test:1"}]
            raise Abandoned
    assert await fetch(_ENTRIES, m.member_id, "fetch-test") == []
    assert current_engine().current_transaction.get() is None
