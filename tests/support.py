"""What tests share besides fixtures and factories: which backend the run uses, a scratch
database for a child process of the run, and the app's own list of guarded routes."""

from __future__ import annotations

import asyncio
import os
import re

from litestar import Litestar

from events.tables import Event
from tests.scratch_db import create_scratch_database, drop_scratch_database

__all__ = [
    "PUBLIC_PATHS",
    "PUBLIC_PREFIXES",
    "backend_name",
    "console_routes",
    "create_run_database",
    "drop_run_database",
    "guarded_routes",
    "is_console_route",
    "is_page_route",
    "page_routes",
]

# Routes anyone may call without a token; every other route needs one.
PUBLIC_PATHS = {"/healthz", "/counter"}  # /counter: a store counter's page, its token on the device (club.visits.pages)
PUBLIC_PREFIXES = ("/schema", "/door/", "/door-static", "/calendar/", "/t/", "/u/", "/p/", "/s/", "/static", "/sw.js")


def is_page_route(route: object) -> bool:
    """A page's route (a member page or the console): refused by a redirect to sign in, not a 401."""
    return any(handler.opt.get("page") for handler in getattr(route, "route_handlers", ()))


def is_console_route(route: object) -> bool:
    """A console page's route (club.server.routes.CONSOLE_PAGES): for coordinators only."""
    return any(handler.opt.get("console") for handler in getattr(route, "route_handlers", ()))


def console_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every console page, path parameters filled with 1."""
    found = []
    for route in app.routes:
        if is_console_route(route):
            for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
                found.append((method, re.sub(r"\{[^}]+\}", "1", route.path_format)))
    return found


def page_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every member page, path parameters filled with 1."""
    found = []
    for route in app.routes:
        if is_page_route(route) and not is_console_route(route):
            for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
                found.append((method, re.sub(r"\{[^}]+\}", "1", route.path_format)))
    return found


def backend_name() -> str:
    """"postgres" when the run's DATABASE_URL names a PostgreSQL server, else "sqlite"."""
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


async def create_run_database(server_url: str) -> tuple[str, str]:
    """A new empty database named after this run on the PostgreSQL server: (its name, its URL)."""
    return await create_scratch_database(server_url, f"club_test_{os.getpid()}")


async def drop_run_database(server_url: str, name: str) -> None:
    await drop_scratch_database(server_url, name)


def guarded_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every route that needs a token, path parameters filled with 1.

    Read from the app itself, so a route added later is in the list without anyone adding it.
    """
    found = []
    for route in app.routes:
        path = route.path_format if hasattr(route, "path_format") else route.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) or is_page_route(route):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
            found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return found


async def until_a_statement_waits_for_a_lock() -> None:
    """Return once some statement of this run's PostgreSQL database waits for a lock (a request
    the test means to catch inside the window a held lock opens)."""
    for _ in range(500):
        waiting = await Event.raw(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if waiting[0]["n"]:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no statement ever waited for a lock")
