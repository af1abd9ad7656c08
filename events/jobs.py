"""arq jobs of events outside the reminders: thin, they call the services, and are safe to
repeat (each referral is told under its own delivery key)."""

from __future__ import annotations

from typing import Any

from arq import cron

from events.referral_notices import tell_referrers as tell

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "tell_referrers"]


async def tell_referrers(ctx: dict[str, Any]) -> int:
    """Every minute: tell referrers whose referral has just earned its points."""
    return await tell(ctx["settings"])


JOB_FUNCTIONS: list[Any] = [tell_referrers]
CRON_JOBS: list[Any] = [cron(tell_referrers, second=45, unique=True)]
