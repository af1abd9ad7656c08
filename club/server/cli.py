"""The `club` command: serve, migrate, worker, users, tiers, demo."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from club import clock
from club.i18n.catalogs import gettext
from club.log_redaction import install_log_redaction
from club.settings import Settings, SettingsError

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _run_with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run one coroutine with the database bound (and pooled on PostgreSQL).

    In embedded mode (SQLite) the schema is brought up to date first, so every command works
    on a fresh checkout; on PostgreSQL that is `club migrate`'s job."""
    from club.db import connection_pool
    from club.server.migrate import migrate
    from club.server.wiring import configure_database

    async def main() -> T:
        configure_database(settings)
        async with connection_pool(max_size=4):
            if settings.is_sqlite:
                await migrate()
            return await work()

    return asyncio.run(main())


@click.group()
def main() -> None:
    """Run and administer the club service. Settings come from environment variables."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Every command's process (serve, worker, ...): secrets in URLs never reach a log line.
    install_log_redaction()
    os.environ.setdefault("PICCOLO_CONF", "club.server.piccolo_conf")


@main.command()
def migrate() -> None:
    """Apply database migrations (on PostgreSQL, creating the database if it does not exist)."""
    from club.server.migrate import DatabaseUnavailable, ensure_database
    from club.server.migrate import migrate as run

    settings = _settings()
    if not settings.is_sqlite:
        try:
            created = asyncio.run(ensure_database(settings.database_url))
        except DatabaseUnavailable as exc:
            raise click.ClickException(str(exc)) from None
        if created:
            click.echo(created)
    _run_with_database(settings, run)
    click.echo(gettext(settings.club_locale, "database is up to date ({url})", url=_safe_url(settings.database_url)))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="App processes (needs REDIS_URL).")
@click.option("--demo", is_flag=True, help="Load demo data first and print tokens to try.")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Migrate, then serve the API (embedded Redis and worker when REDIS_URL is unset)."""
    import uvicorn

    from club.server.migrate import migrate as run_migrations

    if not os.environ.get("PUBLIC_BASE_URL"):
        # Links (door page, calendar feeds) name where this server listens; set in the
        # environment, so the app processes uvicorn starts for --workers read it too.
        os.environ["PUBLIC_BASE_URL"] = _listening_url(host, port)
    settings = _settings()
    if workers > 1 and settings.redis_url is None:
        raise click.ClickException(gettext(
            settings.club_locale, "several app processes need a shared Redis: set REDIS_URL and run `club worker` too"
        ))
    if workers > 1 and settings.database_url.startswith("sqlite"):
        # SQLite takes one writer at a time: a second process only queues its writes behind the
        # first's on the busy timeout (measured: p99 2.7 s at 32 door scanners, worse than one
        # process), so several processes are for PostgreSQL.
        raise click.ClickException(gettext(
            settings.club_locale,
            "SQLite takes one writer at a time, so several app processes only wait on each other: "
            "serve one, or set DATABASE_URL to PostgreSQL for several",
        ))

    async def prepare() -> None:
        await run_migrations()
        if demo:
            from club.server.demo import demo_salon_id, load_demo

            _print_demo(await load_demo(settings), await demo_salon_id())

    _run_with_database(settings, prepare)
    click.echo(gettext(settings.club_locale, "serving on http://{host}:{port}  (OpenAPI: http://{host}:{port}/schema)", host=host, port=port))
    if workers > 1:
        uvicorn.run("club.server.app:app_from_env", factory=True, host=host, port=port, workers=workers)
    else:
        from club.server.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port)


@main.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
def worker(burst: bool) -> None:
    """Run an arq worker against REDIS_URL (start as many as you need)."""
    from club.server.worker import make_worker

    settings = _settings()
    if settings.redis_url is None:
        raise click.ClickException(gettext(settings.club_locale, "set REDIS_URL: in embedded mode `club serve` runs the worker itself"))
    make_worker(settings, in_process=False, burst=burst).run()


@main.command()
def demo() -> None:
    """Load demo data (idempotent) and print tokens for a member, door staff and a coordinator."""
    from club.server.demo import demo_salon_id, load_demo
    from club.server.migrate import migrate as run_migrations

    settings = _settings()

    async def work() -> Any:
        await run_migrations()
        return await load_demo(settings), await demo_salon_id()

    _print_demo(*_run_with_database(settings, work))


@main.group()
def users() -> None:
    """Accounts."""


@users.command("add")
@click.option("--role", type=click.Choice(["coordinator", "staff"]), required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
def users_add(role: str, name: str, email: str) -> None:
    """Create an account and print its first token (shown once)."""
    from club.accounts import create_user, issue_token
    from club.errors import DomainError
    from club.tables import Role

    async def work() -> str:
        user_id = await create_user(Role(role), name.strip(), email.strip().lower())
        return (await issue_token(user_id, label="cli")).token

    settings = _settings()
    try:
        token = _run_with_database(settings, work)
    except DomainError as exc:
        raise click.ClickException(exc.detail_in(settings.club_locale)) from exc
    click.echo(token)


@main.group()
def tiers() -> None:
    """The tier ladder."""


@tiers.command("review")
def tiers_review() -> None:
    """The review date: lower members whose points no longer hold their tier."""
    from club.tiers import review_tiers

    settings = _settings()
    changes = _run_with_database(settings, lambda: review_tiers(clock.now()))
    for c in changes:
        click.echo(gettext(settings.club_locale, "member {member_id}: {old} -> {new}", member_id=c.member_id, old=c.old or "-", new=c.new or "-"))
    click.echo(gettext(settings.club_locale, "{count} tier changes", count=len(changes)))


@main.command()
def reseal() -> None:
    """Re-encrypt stored passport numbers under SECRET_KEY (after a rotation; then the old key
    can leave SECRET_KEY_PREVIOUS). Safe to run again, and while the service runs."""
    from travel.travelers import reseal_passports

    settings = _settings()
    count = _run_with_database(settings, reseal_passports)
    click.echo(gettext(settings.club_locale, "{count} passport numbers re-encrypted under the current key", count=count))


def _print_demo(tokens: dict[str, str], salon_id: int | None) -> None:
    settings = _settings()
    click.echo("\n" + gettext(settings.club_locale, "Demo tokens (use as 'Authorization: Bearer <token>'):"))
    for role, token in tokens.items():
        click.echo(f"  {role:<12} {token}")
    if salon_id is not None:
        door = f"{settings.public_base_url}/door/{salon_id}#token={tokens['staff']}"
        click.echo("\n" + gettext(settings.club_locale, "The door page of the demo salon: {url}", url=door))
    sign_in = settings.public_base_url + "/sign-in"
    click.echo(gettext(
        settings.club_locale, "The member pages: {url} (sign in as {address}; in embedded mode the code is printed here)",
        url=sign_in, address="member00@demo.club",
    ) + "\n")


def _listening_url(host: str, port: int) -> str:
    """The server's own base URL; a wildcard address is none a browser opens, so it names
    this machine's loopback (set PUBLIC_BASE_URL for links that work from elsewhere)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _safe_url(url: str) -> str:
    """The URL without its password, fit for a log line."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
