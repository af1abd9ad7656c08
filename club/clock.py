"""The one clock of the service: every "now" and "today" comes from here, so tests can freeze it.

Production reads the system clock in UTC. A test freezes it at the moment that matters (03:00
in Shanghai, the evening before a check-up, a DST night) with `frozen_at(...)`, and moves it on
with `advance(...)`; the live test server runs in the tests' own process, so it sees the same
frozen time as the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["advance", "aware", "frozen_at", "now", "today"]

_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def aware(instant: datetime) -> datetime:
    """A stored instant with its zone: plain SQL on SQLite returns the stored UTC instants
    without one (PostgreSQL's come with theirs)."""
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def today(zone: ZoneInfo | str) -> date:
    """Today's date on the clock of `zone` (the club's, a venue's, a member's): "today" is
    always somewhere, never the server's own zone."""
    return now().astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Within the block, `now()` is `instant` until `advance()` moves it. Tests only."""
    global _frozen
    if instant.tzinfo is None:
        raise ValueError("freeze the clock at an aware datetime, not a naive one")
    previous, _frozen = _frozen, instant.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock on by `delta` and return the new instant. Tests only."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("the clock is not frozen")
    _frozen = _frozen + delta
    return _frozen
