"""arq jobs of events.shows: thin, they call services and are safe to repeat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from arq import cron

from events.shows.offers import expire_overdue

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "expire_show_offers"]


async def expire_show_offers(ctx: dict[str, Any], now: datetime | None = None) -> int:
    """Every minute: offers past their reply-by expire and their seats go to the next in line.
    Reads and answers expire a show's overdue offers too, so this is what catches the rest.
    (A cancelled show's open invitations end in the cancellation itself: offers.close_cancelled_show.)"""
    return await expire_overdue(now)


JOB_FUNCTIONS: list[Any] = [expire_show_offers]
CRON_JOBS: list[Any] = [cron(expire_show_offers, second=15, unique=True, run_at_startup=True)]
