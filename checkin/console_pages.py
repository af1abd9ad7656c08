"""(stub: the console pages of this package; filled in by its helper)"""

from __future__ import annotations

from typing import Any

from checkin.console_today import today_events_fragment, today_events_section

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS"]

CONSOLE_PAGES: list[Any] = [
    today_events_fragment,  # the counts Today's events poll (checkin.console_today)
]
TODAY_SECTIONS: list[Any] = [today_events_section]
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = []
