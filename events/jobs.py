"""arq jobs of events outside the reminders: thin, they call the services, and are safe to
repeat (each referral is told under its own delivery key, each birthday greeted once)."""

from __future__ import annotations

from typing import Any

from arq import cron

from events.birthday_greetings import greet_birthdays as greet
from events.referral_notices import tell_referrers as tell
from events.year_end_messages import tell_year_end_awards as tell_year_end

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "greet_birthdays", "tell_referrers", "tell_year_end_awards"]


async def tell_referrers(ctx: dict[str, Any]) -> int:
    """Every minute: tell referrers whose referral has just earned its points."""
    return await tell(ctx["settings"])


async def greet_birthdays(ctx: dict[str, Any]) -> int:
    """Every minute: greet the members whose birthday points have just landed (club.jobs awards
    them hourly), each once."""
    return await greet(ctx["settings"])


async def tell_year_end_awards(ctx: dict[str, Any]) -> int:
    """Every minute: tell the members whose year-end reward a coordinator has just given, each once."""
    return await tell_year_end(ctx["settings"])


JOB_FUNCTIONS: list[Any] = [tell_referrers, greet_birthdays, tell_year_end_awards]
CRON_JOBS: list[Any] = [
    cron(tell_referrers, second=45, unique=True), cron(greet_birthdays, second=50, unique=True),
    cron(tell_year_end_awards, second=55, unique=True),
]
