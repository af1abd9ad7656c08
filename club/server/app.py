"""The application factory: routes, auth, errors, OpenAPI, and the database and queue lifetimes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from arq import create_pool
from arq.connections import ArqRedis
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from checkin.ticket_tokens import TicketSigner
from club.auth import BearerTokenMiddleware
from club.db import connection_pool
from club.embedded_redis import EmbeddedRedis
from club.errors import exception_handlers
from club.i18n.http import ContentLanguage
from club.log_redaction import install_log_redaction
from club.request_guard import RequestGuard
from club.server.openapi_errors import document_errors
from club.server.routes import ROUTE_HANDLERS, TEMPLATE_FOLDERS
from club.server.schema_viewers import render_plugins, schema_assets
from club.server.wiring import configure_database
from club.server.worker import make_worker, redis_settings
from club.settings import Settings
from club.token_cache import listen
from club.web.sign_in import sends_settled
from club.web.templates import template_config
from events.reminders.delivery import quiet_hours_of
from events.reminders.scheduling import configure_quiet_hours

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("club")

MAX_BODY_BYTES = 64 * 1024
# Routes that never read a bearer token: docs, health, the door page and its script, the
# calendar feed (its secret is in the URL, since calendar apps cannot send headers), and the
# signed links a member opens from a message: the ticket page (/t/) and one-click unsubscribe (/u/).
# The pages' static files and service worker carry no secret either.
PUBLIC_PATHS = ["^/schema", "^/healthz$", "^/door/", "^/door-static/", "^/calendar/", "^/t/", "^/u/", "^/p/", "^/s/", "^/static/", "^/sw.js$"]
# CSRF tokens guard the member pages' forms, the only forms a session cookie signs. The API takes
# bearer tokens only (never the cookie); the signed-link pages' URL is their own credential.
NOT_PAGES = [*PUBLIC_PATHS, "^/api/"]


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings, *, run_worker: bool | None = None) -> Litestar:
    """The web app for `settings`.

    With no `settings.redis_url` the app starts an embedded Redis and runs an arq worker in
    its own event loop (one machine, nothing to install). `run_worker` overrides that choice.
    """
    # Before anything logs: feed tokens and other secrets in URLs never reach a log line.
    install_log_redaction()
    configure_database(settings)
    configure_quiet_hours(quiet_hours_of(settings))
    signer = TicketSigner(settings.secret_key)
    in_process_worker = settings.redis_url is None if run_worker is None else run_worker

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(connection_pool(max_size=20))
            redis_url = settings.redis_url
            if redis_url is None:
                embedded = EmbeddedRedis(settings.data_dir / "redis")
                redis_url = embedded.start()
                stack.callback(embedded.stop)
                log.info("embedded Redis at %s", redis_url)
            # A sign-in code being sent when the app stops still goes, before the database closes.
            stack.push_async_callback(sends_settled)
            queue: ArqRedis = await create_pool(redis_settings(redis_url))
            stack.push_async_callback(queue.aclose)
            app.state.queue = queue
            # Checked tokens are kept a few seconds while this process hears every revocation.
            listening = asyncio.create_task(listen(queue), name="token-cache")
            stack.push_async_callback(_cancel, listening)
            if in_process_worker:
                worker = make_worker(settings.with_redis(redis_url), in_process=True)
                task = asyncio.create_task(worker.async_run(), name="arq-worker")
                stack.push_async_callback(_stop_worker, worker, task)
            yield

    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, schema_assets()],
        lifespan=[lifespan],
        # The signer and the queue are provided after the settings (they ask for them, unused):
        # a handler's dependencies that ask for nothing are resolved concurrently, in a task group
        # of one task each, on every request, which cost a door scan a tenth of its CPU.
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False),
            "queue": Provide(_queue, sync_to_thread=False),
            "signer": Provide(_after_settings(signer), sync_to_thread=False),
        },
        # The guard refuses NUL text, deep JSON and out-of-range ids before any route runs.
        # Every answer names its language (Content-Language; problem answers name theirs).
        middleware=[ContentLanguage(), DefineMiddleware(BearerTokenMiddleware, exclude=PUBLIC_PATHS), RequestGuard()],
        exception_handlers=exception_handlers(),
        template_config=template_config(TEMPLATE_FOLDERS),
        csrf_config=CSRFConfig(
            secret=settings.secret_key, cookie_name="club_csrf", cookie_httponly=True, cookie_samesite="lax",
            cookie_secure=settings.public_base_url.startswith("https://"), exclude=NOT_PAGES,
        ),
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title=f"{settings.club_name} API",
            version="0.1.0",
            path="/schema",
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
            security=[{"bearer": []}],
            render_plugins=render_plugins(),
        ),
        state=State({"settings": settings}),
        # Logging is the process's business (the CLI configures it); Litestar's default would
        # put the root logger at INFO and log every outgoing HTTP call of every library.
        logging_config=None,
        debug=False,
    )
    document_errors(app, PUBLIC_PATHS)
    return app


def _queue(state: State, settings: Settings) -> ArqRedis:
    return state.queue


def _after_settings(signer: TicketSigner) -> Callable[[Settings], TicketSigner]:
    def provide_signer(settings: Settings) -> TicketSigner:
        return signer

    return provide_signer


async def _stop_worker(worker: Any, task: asyncio.Task[None]) -> None:
    task.cancel()
    try:
        await worker.close()
    except Exception:
        log.warning("the in-process worker did not close cleanly", exc_info=True)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def app_from_env() -> Litestar:
    """Entry point for `uvicorn --factory club.server.app:app_from_env` (several app processes)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app(Settings.from_env())
