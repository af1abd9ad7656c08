"""What the database benchmarks share: a statement run, a seeding step timed, a median of runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from club.tables import Member

__all__ = ["median", "run_sql", "step", "timed"]


async def run_sql(sql: str, *values: Any) -> list[dict[str, Any]]:
    return list(await Member.raw(sql, *values))


async def step(label: str, sql: str, *values: Any) -> None:
    """One seeding statement, its time printed."""
    started = time.perf_counter()
    await run_sql(sql, *values)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


async def median(runs: int, call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    """The median time of `runs` calls after one to warm (the plan and the pages), and the last result."""
    await call()
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = await call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    """One call's time (a run that changes what a second would find), and its result."""
    started = time.perf_counter()
    result = await call()
    return time.perf_counter() - started, result
