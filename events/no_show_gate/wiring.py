"""What the wiring (club.server) takes from the no-show gate: its API and its console page
(the count it asks for is provided by club.server.wiring)."""

from __future__ import annotations

from typing import Any

from events.no_show_gate import console_pages
from events.no_show_gate.routes import ROUTES as RULE_ROUTES

__all__ = ["CONSOLE_PAGES", "ROUTES"]

ROUTES: list[Any] = list(RULE_ROUTES)
CONSOLE_PAGES: list[Any] = list(console_pages.CONSOLE_PAGES)
