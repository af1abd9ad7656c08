"""arq functions of segment sends: thin, they call the delivery (safe to run any number of times)."""

from __future__ import annotations

from typing import Any

from checkin.segments.delivery import deliver_due

__all__ = ["deliver_segment_send", "sweep_segment_sends"]


async def deliver_segment_send(ctx: dict[str, Any], send_id: int) -> int:
    """Queued when a send starts (job id "segment-send:<id>": a send queued twice runs once)."""
    return await deliver_due(ctx["settings"], send_id=send_id)


async def sweep_segment_sends(ctx: dict[str, Any]) -> int:
    """Every minute: what the night held, a channel failed, or Redis lost."""
    return await deliver_due(ctx["settings"])
