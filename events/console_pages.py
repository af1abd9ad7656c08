"""(stub: the console pages of this package; filled in by its helper)"""

from __future__ import annotations

from typing import Any

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS"]

CONSOLE_PAGES: list[Any] = []
TODAY_SECTIONS: list[Any] = []
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = []
