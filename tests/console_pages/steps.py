"""A coordinator's moves in the console, for the browser tests (Debian's Chromium at 1440x900, in
zh-Hans): a signed-in console tab, the new-event form typed on the venue's clock, a sequence
previewed for a member, a move proposed (the page says first whom it reaches), and what is due
done by a real worker. Each step drives the pages by their own fields and buttons, as a coordinator
does; what the page then says is asserted by the tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from arq.constants import default_queue_name

from club.server.worker import make_worker
from club.settings import Settings
from events.reminders.scheduling import dispatch
from events.reminders.tables import CallTask
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WHY_NO_CHROMIUM, signed_in_context
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller
from tests.reminders.helpers import awake, queue_of

if TYPE_CHECKING:
    from playwright.async_api import Page

__all__ = [
    "Console",
    "console_tab",
    "local_input",
    "preview_for",
    "propose_move",
    "publish",
    "save_draft",
    "type_salon",
    "work_the_queue",
]

# A coordinator's desk: a desktop window, in Chinese.


@dataclass
class Console:
    """An open console tab, signed in, every address it has asked for, and how each page it was
    photographed on was drawn (its language, and whether it was wider than the window)."""

    page: Page
    base_url: str
    requested: list[str] = field(default_factory=list)
    drawn: dict[str, tuple[str, int]] = field(default_factory=dict)  # shot -> (html lang, width)

    async def open(self, path: str) -> None:
        await self.page.goto(f"{self.base_url}{path}")

    async def shot(self, path: Path, *, part: str | None = None) -> None:
        """A screenshot of the whole page (or of the element `part`), to look at."""
        if part:
            await self.page.locator(part).screenshot(path=str(path))
        else:
            await self.page.screenshot(path=str(path), full_page=True)
        lang, width = await self.page.evaluate("[document.documentElement.lang, document.documentElement.scrollWidth]")
        self.drawn[path.name] = (lang, width)

    def not_in(self, language: str) -> dict[str, str]:
        """The pages photographed in another language than `language`."""
        return {name: lang for name, (lang, _) in self.drawn.items() if lang != language}

    def wider_than_the_window(self) -> dict[str, int]:
        """The pages photographed that scrolled sideways at the desk's width."""
        return {name: width for name, (_, width) in self.drawn.items() if width > DESKTOP["viewport"]["width"]}

    def fetched_elsewhere(self) -> list[str]:
        """What the pages fetched from another host (none may)."""
        return [url for url in self.requested if not url.startswith(self.base_url)]


@asynccontextmanager
async def console_tab(server: LiveServer, caller: Caller) -> AsyncIterator[Console]:
    """Chromium at a desk, signed in as `caller` (a session as signing in makes one)."""
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await signed_in_context(browser, server.base_url, await session_for(caller), **DESKTOP)
            page = await context.new_page()
            console = Console(page, server.base_url)
            page.on("request", lambda request: console.requested.append(request.url))
            yield console
        finally:
            await browser.close()


def local_input(instant: datetime) -> str:
    """An aware instant as a datetime-local field takes it, on the instant's own clock."""
    return instant.strftime("%Y-%m-%dT%H:%M")


async def type_salon(
    page: Page, *, title: str, description: str, venue: str, zone: str, starts: datetime, ends: datetime,
    capacity: int, max_guests: int = 0,
) -> None:
    """The new-event form filled for a salon (the form's default kind), times on the venue's
    clock (`starts` and `ends` on that clock); not saved."""
    await page.wait_for_selector("#title")
    await page.fill("#title", title)
    await page.fill("#description", description)
    await page.fill("#venue", venue)
    await page.fill("#venue_time_zone", zone)
    await page.fill("#starts_at", local_input(starts))
    await page.fill("#ends_at", local_input(ends))
    await page.fill("#capacity", str(capacity))
    await page.fill("#max_guests", str(max_guests))


async def save_draft(page: Page) -> int:
    """Save the new-event form; the event's id, read from the page it lands on."""
    await page.click("form.event-form button[type=submit]")
    await page.wait_for_selector(".notice[role=status]")
    return int(page.url.split("/console/events/")[1].split("?")[0])


async def publish(page: Page) -> None:
    """Publish the event whose page is open."""
    await page.click("form[action$='/publish'] button")
    await page.wait_for_selector(".status.good")


async def preview_for(page: Page, query: str, name: str) -> None:
    """On a sequence's page: find a member by `query` and open the preview for `name`."""
    await page.fill("#q", query)
    await page.click("form.preview-form button[type=submit]")
    await page.click(f"ul.found a:has-text('{name}')")
    await page.wait_for_selector("#preview-member")
    await page.wait_for_function(
        "(name) => document.getElementById('preview-member').textContent.includes(name)", arg=name
    )


async def propose_move(page: Page, starts: datetime, ends: datetime) -> str:
    """On an event's move page: the new times typed (on the venue's clock) and asked about; the
    words of what the move would reach, said before anything moves."""
    await page.wait_for_selector("form.move-form #starts_at")
    await page.fill("form.move-form #starts_at", local_input(starts))
    await page.fill("form.move-form #ends_at", local_input(ends))
    await page.click("form.move-form button[type=submit]")
    await page.wait_for_selector(".move-impact")
    return await page.inner_text(".move-impact")


async def work_the_queue(settings: Settings, *, calls: int = 0, timeout: float = 30.0) -> None:
    """A real arq worker does what is due now, as the club's worker would within seconds: a call
    step whose time has come becomes a call on the call list (this waits for `calls` of them),
    the notices members are owed (a seat confirmed, a move) are sent. The app has already queued
    its later steps for their time, so a burst worker would wait for them; this one is stopped
    once nothing due now is queued or running, and they stay queued."""
    # No cron jobs: they run on the system clock's minutes, and the one that matters here (the
    # dispatch every few seconds) is done below, once, on the club's clock.
    worker = make_worker(awake(settings), in_process=True, poll_delay=0.05, cron_jobs=[])
    run = asyncio.create_task(worker.async_run())
    try:
        async with queue_of(settings) as queue, asyncio.timeout(timeout):
            # The worker's own dispatch runs every few seconds; this one queues what is due at once.
            await dispatch(queue, settings.reminder_horizon_s)

            async def idle() -> bool:
                # arq scores a job by when it may run, on the system clock (ours may be frozen);
                # a job stays in the queue until it has finished.
                due = await queue.zcount(default_queue_name, "-inf", time.time() * 1000)
                return due == 0 and all(task.done() for task in worker.tasks.values())

            while not (await CallTask.count() >= calls and await idle()):
                if run.done():
                    run.result()  # a worker that stopped says why
                await asyncio.sleep(0.1)
    finally:
        run.cancel()
        with suppress(asyncio.CancelledError):
            await run
        await worker.close()
