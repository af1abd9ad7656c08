"""arq jobs of health_programs."""

from __future__ import annotations

from typing import Any

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS"]

JOB_FUNCTIONS: list[Any] = []
CRON_JOBS: list[Any] = []
