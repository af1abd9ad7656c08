"""arq jobs of health_programs: thin, they call the services.

Jobs may be called more than once: the re-invitation keeps every check-up to one invitation
whatever the number of calls.
"""

from __future__ import annotations

from typing import Any

from arq import cron

from health_programs.reinvitation import send_reinvitations

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "invite_for_next_checkup"]


async def invite_for_next_checkup(ctx: dict[str, Any]) -> int:
    """Daily: invite members whose check-up was twelve months ago to book the next one."""
    return await send_reinvitations(ctx["settings"])


JOB_FUNCTIONS: list[Any] = [invite_for_next_checkup]
# Mid-morning UTC: Asia's afternoon, Europe's morning; the email waits in no one's night.
CRON_JOBS: list[Any] = [cron(invite_for_next_checkup, hour=9, minute=15, unique=True)]
