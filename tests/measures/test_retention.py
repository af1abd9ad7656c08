"""Renewal per tier per year from the tier history and the members' rows, and members active one
year who came again the next, over hand-built histories whose figures the test counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checkin.measures.retention import retention_of
from checkin.measures.tables import TierChangeEntry
from tests.measures.builders import admit, event, member, rsvp, tier_id

NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)


def _utc(y: int, mo: int, d: int, h: int = 12) -> datetime:
    return datetime(y, mo, d, h, tzinfo=UTC)


async def _change(member_id: int, old: str | None, new: str | None, when: datetime) -> None:
    """A change as the trigger records it, at a moment of the test's choosing."""
    await TierChangeEntry.insert(TierChangeEntry(
        member=member_id, from_tier=await tier_id(old) if old else None, to_tier=await tier_id(new) if new else None,
        changed_at=when))


async def _visit(member_id: int, when: datetime, reverted: bool = False) -> None:
    e = await event(when)
    r = await rsvp(e, member_id, created=when, confirmed=when)
    await admit(e, r, member_id, when, reverted=reverted)


async def _club() -> dict[str, int]:
    # Each member's tier on their row is where their history ends (the row is what the trigger follows).
    m = {
        "a": await member("a", tier="Gold"),  # Gold throughout
        "b": await member("b", tier="Platinum"),  # Gold, up to Platinum in June 2025
        "c": await member("c", tier="Silver"),  # Gold, down to Silver in September 2025
        "d": await member("d", tier="Gold"),  # Gold, down in March 2025 and back in November
        "e": await member("e", tier="Gold"),  # Silver until February 2026
        "f": await member("f", tier="Gold", joined_on=date(2025, 3, 1)),  # joined during 2025
        "g": await member("g", tier=None),  # Gold, off the ladder in July 2025
        "h": await member("h", tier="Platinum"),  # Gold, Platinum exactly as 2026 began
    }
    await _change(m["b"], "Gold", "Platinum", _utc(2025, 6, 1))
    await _change(m["c"], "Gold", "Silver", _utc(2025, 9, 1))
    await _change(m["d"], "Silver", "Gold", _utc(2024, 5, 1))
    await _change(m["d"], "Gold", "Silver", _utc(2025, 3, 1))
    await _change(m["d"], "Silver", "Gold", _utc(2025, 11, 1))
    await _change(m["e"], "Silver", "Gold", _utc(2026, 2, 1))
    await _change(m["g"], "Gold", None, _utc(2025, 7, 1))
    await _change(m["h"], "Gold", "Platinum", datetime(2026, 1, 1, tzinfo=UTC))
    return m


def _by_tier(found: object) -> dict[str, tuple[int, int, int, int, int]]:
    return {t.tier_name: (t.held_at_start, t.kept, t.moved_up, t.moved_down, t.left_ladder)
            for t in found.tiers}  # type: ignore[attr-defined]


async def test_renewal_per_tier_in_a_year_gone_by() -> None:
    await _club()
    found = await retention_of(2025, NOW, "UTC")
    # Gold at the start of 2025: a, b, c, d, g, h (f joined later); at its end a and d still Gold,
    # b and h higher (h's change at the very end counts), c lower, g on none.
    assert _by_tier(found) == {"Gold": (6, 4, 2, 1, 1), "Silver": (1, 1, 0, 0, 0)}
    assert [t.tier_name for t in found.tiers] == ["Gold", "Silver"]
    gold = found.tiers[0]
    assert gold.kept_rate == 4 / 6
    assert (found.starts_at, found.measured_until) == (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))


async def test_the_running_year_is_measured_until_now() -> None:
    await _club()
    found = await retention_of(2026, NOW, "UTC")
    # Start of 2026: b and h Platinum; a, d, f Gold; c and e Silver (e up to Gold in February).
    assert _by_tier(found) == {"Platinum": (2, 2, 0, 0, 0), "Gold": (3, 3, 0, 0, 0), "Silver": (2, 2, 1, 0, 0)}
    assert found.measured_until == NOW and found.activity.next_year_measured_until is None


async def test_members_active_one_year_and_again_the_next() -> None:
    m = await _club()
    await _visit(m["a"], _utc(2025, 5, 1))
    await _visit(m["a"], _utc(2026, 3, 1))
    await _visit(m["b"], _utc(2025, 12, 31, 23))
    await _visit(m["c"], _utc(2025, 2, 1))
    await _visit(m["c"], _utc(2025, 8, 1))
    await _visit(m["d"], _utc(2025, 4, 1), reverted=True)  # undone: not active
    await _visit(m["e"], _utc(2024, 12, 31))  # the year before
    await _visit(m["e"], _utc(2026, 6, 1))
    found = await retention_of(2025, NOW, "UTC")
    assert (found.activity.active, found.activity.active_again, found.activity.rate) == (3, 1, 1 / 3)
    assert found.activity.next_year_measured_until == NOW
    # A year before anyone joined: nothing to divide.
    empty = await retention_of(2019, NOW, "UTC")
    assert empty.tiers == [] and (empty.activity.active, empty.activity.rate) == (0, None)
