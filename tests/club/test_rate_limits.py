"""Rate limits over real HTTP: failed bearer tokens per client address, scans per device token,
the per-client guard the sign-in pages will use, and counts shared by every app process.

These servers run the real app with lower limits set through Settings (the suite's own server
keeps the production defaults, which no legitimate client meets). The clock is frozen so a test
never straddles two windows; clients are told apart by X-Forwarded-For, which uvicorn trusts
from loopback as it would from a reverse proxy on the same machine.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
import redis.asyncio as aioredis
from litestar import Litestar, post
from litestar.datastructures import State

from checkin import urls as door
from club import clock, urls
from club.errors import exception_handlers
from club.rate_limit import _FRESH_S, RateLimiter, per_client
from club.server.app import create_app
from club.settings import RatePolicy, Settings
from club.tables import Role
from events import urls as events_urls
from events.urls import link
from tests.checkin.helpers import door_open_event, nonce
from tests.conftest import LiveServer
from tests.factories import Caller, make_user
from tests.serving import free_port, serving

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def client_address() -> dict[str, str]:
    """A client of its own (a fresh address per call)."""
    return {"X-Forwarded-For": next(_addresses)}


def tight(settings: Settings) -> Settings:
    return replace(
        settings,
        failed_auth_rate_limit=RatePolicy("failed-auth", 5, 60),
        scan_rate_limit=RatePolicy("scans", 10, 30),
    )


@contextmanager
def one_window() -> Iterator[None]:
    with clock.frozen_at(clock.now()):
        yield


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[str]:
    async with serving(create_app(tight(settings), run_worker=False)) as base_url:
        yield base_url


async def _me(http: httpx.AsyncClient, token: str, client: dict[str, str]) -> httpx.Response:
    return await http.get(urls.ME, headers={**client, "Authorization": f"Bearer {token}"})


def _assert_too_many(response: httpx.Response, policy: str, limit: int, window: int) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/too-many-requests"
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= window
    assert response.headers["ratelimit-policy"] == f'"{policy}";q={limit};w={window}'
    assert response.headers["ratelimit"] == f'"{policy}";r=0;t={retry_after}'
    return retry_after


async def test_a_client_sending_bad_tokens_gets_429_then_nothing_is_checked_until_its_window_ends(
    limited: str, coordinator: Caller
) -> None:
    guesser, neighbour = client_address(), client_address()
    with one_window():
        async with httpx.AsyncClient(base_url=limited) as http:
            for n in range(5):
                assert (await _me(http, f"club_guess-{n}", guesser)).status_code == 401
            retry_after = _assert_too_many(await _me(http, "club_guess-6", guesser), "failed-auth", 5, 60)
            # Guessing stops: even a valid token from that client is not looked at now.
            _assert_too_many(await _me(http, coordinator.token, guesser), "failed-auth", 5, 60)
            assert (await http.get("/healthz", headers=guesser)).status_code == 200  # no token, not refused
            # Another client is unaffected, for its good and its bad tokens alike.
            assert (await _me(http, coordinator.token, neighbour)).status_code == 200
            assert (await _me(http, "club_typo", neighbour)).status_code == 401
            clock.advance(timedelta(seconds=retry_after))
            assert (await _me(http, coordinator.token, guesser)).status_code == 200


async def test_a_success_does_not_wipe_the_failures_before_it(limited: str, coordinator: Caller) -> None:
    client = client_address()
    with one_window():
        async with httpx.AsyncClient(base_url=limited) as http:
            for n in range(4):
                assert (await _me(http, f"club_guess-{n}", client)).status_code == 401
            # A guesser holding one valid token cannot reset the count with it.
            assert (await _me(http, coordinator.token, client)).status_code == 200
            assert (await _me(http, "club_guess-4", client)).status_code == 401
            _assert_too_many(await _me(http, "club_guess-5", client), "failed-auth", 5, 60)


async def test_guessed_feed_urls_count_as_failed_authentication(limited: str, server: LiveServer, member: Caller) -> None:
    async with server.client(member.token) as http:
        real = "/calendar/" + (await http.post(events_urls.MY_CALENDAR_FEED)).json()["url"].split("/calendar/", 1)[1]
    guesser, subscriber = client_address(), client_address()
    with one_window():
        async with httpx.AsyncClient(base_url=limited) as http:
            for n in range(5):
                assert (await http.get(f"/calendar/feed_guess{n}", headers=guesser)).status_code == 404
            _assert_too_many(await http.get(real, headers=guesser), "failed-auth", 5, 60)
            _assert_too_many(await _me(http, member.token, guesser), "failed-auth", 5, 60)  # one count for both
            assert (await http.get(real, headers=subscriber)).status_code == 200


async def test_failures_counted_by_one_app_process_hold_in_another(settings: Settings, coordinator: Caller) -> None:
    """Two app instances, each with its own Redis connection: the count lives in Redis."""
    client = client_address()
    with one_window():
        async with serving(create_app(tight(settings), run_worker=False)) as first, serving(
            create_app(tight(settings), run_worker=False)
        ) as second, httpx.AsyncClient(base_url=first) as a, httpx.AsyncClient(base_url=second) as b:
            for n in range(5):
                assert (await _me(a if n % 2 else b, f"club_guess-{n}", client)).status_code == 401
            _assert_too_many(await _me(a, coordinator.token, client), "failed-auth", 5, 60)
            _assert_too_many(await _me(b, coordinator.token, client), "failed-auth", 5, 60)


async def test_scans_are_limited_per_device_token(
    limited: str, server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    north, south = await make_user(Role.staff), await make_user(Role.staff)
    path = link(door.SCANS, event_id=event["id"])
    # Its own address too: the failed tokens other tests sent from loopback count against it.
    door_address = client_address()

    async def scan(http: httpx.AsyncClient, staff: Caller) -> httpx.Response:
        return await http.post(
            path, json={"token": "NOTATICKET", "nonce": nonce(), "gate": "A"}, headers={**staff.headers, **door_address}
        )

    with one_window():
        async with httpx.AsyncClient(base_url=limited) as http:
            burst = await asyncio.gather(*[scan(http, north) for _ in range(10)])  # a fast door
            assert [r.status_code for r in burst] == [200] * 10
            assert {r.json()["result"] for r in burst} == {"invalid"}
            _assert_too_many(await scan(http, north), "scans", 10, 30)
            # Another device at the same door scans on; the first one resumes in the next window.
            assert (await scan(http, south)).status_code == 200
            clock.advance(timedelta(seconds=30))
            assert (await scan(http, north)).status_code == 200


async def test_the_per_client_guard_limits_a_sign_in_style_route(settings: Settings, redis_url: str) -> None:
    """The piece the sign-in pages will use: a guard on the route, counted per client address."""

    @post("/sign-in", guards=[per_client(lambda s: s.sign_in_rate_limit)], status_code=200)
    async def sign_in() -> dict[str, str]:
        return {"sent": "a sign-in link, if the address is known"}

    queue = aioredis.Redis.from_url(redis_url)
    app = Litestar(
        route_handlers=[sign_in], exception_handlers=exception_handlers(),
        state=State({"settings": replace(settings, sign_in_rate_limit=RatePolicy("sign-in", 3, 600)), "queue": queue}),
    )
    person, other = client_address(), client_address()
    try:
        with one_window():
            async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as http:
                for _ in range(3):
                    assert (await http.post("/sign-in", headers=person)).status_code == 200
                _assert_too_many(await http.post("/sign-in", headers=person), "sign-in", 3, 600)
                assert (await http.post("/sign-in", headers=other)).status_code == 200
    finally:
        await queue.aclose()


async def test_without_redis_requests_are_let_through_not_refused() -> None:
    """A Redis outage must not stop the door: nothing is counted, nothing refused."""
    gone = aioredis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    try:
        usage = await RateLimiter(gone).hit(RatePolicy("scans", 1, 30), "device")
        again = await RateLimiter(gone).hit(RatePolicy("scans", 1, 30), "device")
    finally:
        await gone.aclose()
    assert not usage.exceeded and not again.exceeded


async def test_a_per_token_request_is_counted_in_the_round_trip_that_reads_the_clients_failures(redis_url: str) -> None:
    """The bearer middleware's one Redis call on a route limited per token (the door's scans):
    the client's failed tokens read and the token's request counted, unless the failures are
    spent; then the request is refused and nothing is counted against the token."""
    queue = aioredis.Redis.from_url(redis_url)
    failed, scans = RatePolicy("failed-auth", 2, 60), RatePolicy("scans", 10, 30)
    limiter = RateLimiter(queue)
    try:
        with one_window():
            failures, usage = await limiter.peek_then_hit(failed, "client", scans, "device")
            assert failures.count == 0 and usage is not None and usage.count == 1
            for _ in range(2):
                await limiter.hit(failed, "client")
            failures, usage = await limiter.peek_then_hit(failed, "client", scans, "device")
            assert failures.spent and usage is None
            assert (await limiter.peek(scans, "device")).count == 1
    finally:
        await queue.aclose()


async def test_failures_counted_elsewhere_refuse_here_within_a_second(redis_url: str) -> None:
    """The middleware's read of a client's failed tokens may be a second old (`peek_recent`):
    a failure this process counts is seen at once, one another process counts (here: written to
    Redis by a limiter of its own) within `_FRESH_S`."""
    queue = aioredis.Redis.from_url(redis_url)
    failed = RatePolicy("failed-auth", 2, 60)
    here, elsewhere = RateLimiter(queue), RateLimiter(queue)
    client = client_address()["X-Forwarded-For"]
    try:
        with one_window():
            assert not (await here.peek_recent(failed, client)).spent
            await here.hit(failed, client)
            assert (await here.peek_recent(failed, client)).count == 1  # its own failure: read again
            key, _ = elsewhere._window(failed, client)
            await queue.incr(key)  # another process's failure, counted without this process
            await asyncio.sleep(_FRESH_S)
            assert (await here.peek_recent(failed, client)).spent
    finally:
        await queue.aclose()
