"""The console's fashion-week shows: every show with its seat categories (/console/shows), a new
show with its categories (events.shows.console_new_show), and one show's page where it is run
(events.shows.console_show: its invitations per category, adding and resizing categories,
inviting and withdrawing). Today shows the offers whose reply-by falls within a day; a member's
console page shows their invitations.

Everything is read through the API's own services (events.shows.catalog, .invitations,
.shaping), which expire overdue offers before they answer, so no page shows an offer open past
its reply-by; the queue's order is theirs (events.shows.rules.offer_order).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template

from club import clock
from club.accounts import Principal
from club.i18n.http import request_language
from club.web.console import TodaySection, club_zone, console_page
from club.web.console_panels import MemberPanel
from events.shows.catalog import list_shows
from events.shows.console_new_show import NEW_SHOW_PAGES
from events.shows.console_show import SHOW_PAGES
from events.shows.console_words import NEW_SHOW, SHOW, SHOWS, Line, reply_by_text, show_path
from events.shows.invitations import my_invitations
from events.shows.shaping import invitations_out
from events.shows.tables import InvitationStatus, ShowInvitation

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "SHOW", "SHOWS", "TODAY_SECTIONS", "show_path"]

# Today lists the offers whose reply-by falls within this long.
EXPIRING_WITHIN = timedelta(hours=24)

_S = InvitationStatus


@get(SHOWS, name="console-shows")
async def shows_page(request: Request[Any, Any, Any], past: bool = False) -> Template:
    shows = await list_shows(include_past=past)
    return console_page(request, "shows/console_shows.html", shows=shows, past=past, show_path=show_path,
                        new_show=NEW_SHOW)


async def expiring_offers(request: Request[Any, Any, Any], me: Principal) -> TodaySection | None:
    """Today's part: offers whose reply-by falls within a day, soonest first, with the time left."""
    now = clock.now()
    soon = await invitations_out(
        (ShowInvitation.status == _S.offered.value) & (ShowInvitation.reply_by > now)
        & (ShowInvitation.reply_by <= now + EXPIRING_WITHIN)
    )
    if not soon:
        return None
    language = request_language(request)
    zone = club_zone(request)
    soon.sort(key=lambda i: (i.reply_by or now, i.id))
    return TodaySection("shows/console_today.html", order=40, values={
        "offers": [Line(i, reply_by=reply_by_text(language, i, now, zone)) for i in soon],
        "show_path": show_path,
    })


async def invitations_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """A member's show invitations, soonest show first, with their state and reply-by."""
    found = await my_invitations(member_id)
    if not found:
        return None
    language = request_language(request)
    zone = club_zone(request)
    now = clock.now()
    lines = [Line(i, reply_by=reply_by_text(language, i, now, zone) if i.status == _S.offered else "") for i in found]
    return MemberPanel("shows/console_member_panel.html", order=40, values={"lines": lines, "show_path": show_path})


CONSOLE_PAGES: list[Any] = [shows_page, *NEW_SHOW_PAGES, *SHOW_PAGES]
TODAY_SECTIONS: list[Any] = [expiring_offers]
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = [invitations_panel]
