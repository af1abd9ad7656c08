"""What one admission at the door sends to PostgreSQL and Redis.

The door's speed is mostly its round trips, and a busy machine changes timings, not counts; so
the counts are held here (bench/door_counts.py prints them all). Statements are seen by
wrapping asyncpg's Connection (simple queries through `execute`, every other statement through
`_execute`) and Redis commands by wrapping `Redis.execute_command`, for one request to the live
server running in this process. Nothing is faked: each wrapper calls the real method.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from redis.asyncio.client import Redis

from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.support import backend_name


@contextlib.contextmanager
def sent() -> Iterator[tuple[list[str], list[str]]]:
    """(SQL statements to PostgreSQL, Redis command names) sent while the block runs."""
    statements: list[str] = []
    commands: list[str] = []
    real_execute, real_extended = asyncpg.Connection.execute, asyncpg.Connection._execute
    real_command = Redis.execute_command

    async def execute(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        if not args:  # with arguments it goes through _execute, counted there
            statements.append(query)
        return await real_execute(self, query, *args, **kwargs)

    async def extended(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(query)
        return await real_extended(self, query, *args, **kwargs)

    async def command(self: Any, *args: Any, **kwargs: Any) -> Any:
        commands.append(str(args[0]).upper())
        return await real_command(self, *args, **kwargs)

    asyncpg.Connection.execute, asyncpg.Connection._execute = execute, extended  # type: ignore[method-assign]
    Redis.execute_command = command  # type: ignore[method-assign]
    try:
        yield statements, commands
    finally:
        asyncpg.Connection.execute, asyncpg.Connection._execute = real_execute, real_extended  # type: ignore[method-assign]
        Redis.execute_command = real_command  # type: ignore[method-assign]


@pytest.mark.skipif(backend_name() == "sqlite", reason="round trips to PostgreSQL are counted")
async def test_an_admission_asks_redis_once_and_sets_no_lock_timeout_of_its_own(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    warm, member = await make_member("Warm-up"), await make_member("Camille Roux")  # neither was referred
    _, warm_token = await rsvp_and_ticket(server, warm, event["id"])
    _, token = await rsvp_and_ticket(server, member, event["id"])
    async with server.client(staff.token) as http:
        await scan(http, event["id"], warm_token)  # type: ignore[arg-type]  # the script is loaded, statements prepared
        with sent() as (statements, commands):
            answer = await scan(http, event["id"], token)  # type: ignore[arg-type]
    assert answer["result"] == "admitted"
    # The failed-token check and the device's count, in one script.
    assert commands == ["EVALSHA"], commands
    # Every connection starts with the settings' lock_timeout: no SET LOCAL per transaction.
    assert not [s for s in statements if "lock_timeout" in s], statements
    # Nothing asked of the referrals for a member nobody referred.
    assert not [s for s in statements if "referral" in s], statements
    # No transaction held across round trips (the token was checked seconds ago: club.token_cache
    # keeps it): the ticket's and the event's facts in one read, then the admission, its points and
    # the remembered answer in one statement under the RSVP's and the member's locks
    # (checkin.quick_admission). Before issue 12: 14, the token's check among them; then 11.
    assert len(statements) == 2, statements
    assert not [s for s in statements if s.strip().upper() in ("BEGIN", "COMMIT")], statements
