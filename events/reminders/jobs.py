"""arq functions of reminders: thin, they call the delivery and the dispatcher.

Jobs may be called more than once (retries, duplicates, a worker killed mid-job): `deliver`
makes every send happen once whatever the number of calls.
"""

from __future__ import annotations

from typing import Any

from arq import Retry

from events.reminders.delivery import Outcome, deliver
from events.reminders.scheduling import dispatch

__all__ = ["dispatch_reminders", "send_reminder", "sweep_reminders"]

# Outcomes after which the row has a new timing (or none) whose job should be queued now.
_RETIMED = frozenset({Outcome.retry, Outcome.held, Outcome.stale, Outcome.cancelled, Outcome.dropped})


async def send_reminder(ctx: dict[str, Any], scheduled_id: int, generation: int) -> str:
    """Send one scheduled reminder (at most once, whatever calls this)."""
    settings = ctx["settings"]
    outcome = await deliver(scheduled_id, generation, settings)
    if outcome is Outcome.early:
        # Clocks disagree by a little: try again shortly under the same job id.
        raise Retry(defer=2)
    if outcome in _RETIMED:
        await dispatch(ctx["redis"], settings.reminder_horizon_s)
    return outcome.value


async def dispatch_reminders(ctx: dict[str, Any]) -> int:
    """Every few seconds: queue what the schedule changed (new, moved, cancelled rows, and
    sends whose worker died mid-send)."""
    result = await dispatch(ctx["redis"], ctx["settings"].reminder_horizon_s)
    return result.enqueued


async def sweep_reminders(ctx: dict[str, Any]) -> int:
    """Every minute: re-offer every scheduled reminder in the horizon, so jobs Redis lost come back."""
    result = await dispatch(ctx["redis"], ctx["settings"].reminder_horizon_s, full=True)
    return result.enqueued
