"""arq jobs of travel: thin, they call services."""

from __future__ import annotations

from typing import Any

from arq import cron

from travel.passports import flag_passport_problems

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "flag_passports"]


async def flag_passports(ctx: dict[str, Any]) -> int:
    """Every hour: trips leaving within eight weeks put each failing passport on the call list, once."""
    return await flag_passport_problems()


JOB_FUNCTIONS: list[Any] = [flag_passports]
CRON_JOBS: list[Any] = [cron(flag_passports, minute=20, unique=True)]
