"""Background jobs of the door (arq): thin, they call services and are safe to repeat."""

from __future__ import annotations

from typing import Any

from checkin.attendance import record_no_shows as record

__all__ = ["record_no_shows"]


async def record_no_shows(ctx: dict[str, Any]) -> int:
    """Every few minutes: no-shows of events whose doors have closed (keyed, so never twice)."""
    return await record()
