"""The console's fashion-week shows: every show with its seat categories (/console/shows), and one
show's invitations per category (/console/shows/{id}): the seats accepted, the offers awaiting an
answer with their reply-by on the show's clock and the time left, the queue in the order seats
will be offered (who is next in line, and why), and the answered and ended ones. Today shows the
offers whose reply-by falls within a day; a member's console page shows their invitations.

Everything is read through the API's own services (events.shows.catalog, .invitations,
.shaping), which expire overdue offers before they answer, so no page shows an offer open past
its reply-by; the queue's order is theirs (events.shows.rules.offer_order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template

from club import clock
from club.accounts import Principal
from club.errors import Said, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.settings import Settings
from club.web.console import CONSOLE, TodaySection, console_page
from club.web.console_panels import MemberPanel
from events.shows.catalog import get_show, list_shows
from events.shows.countdown import time_left, time_left_text
from events.shows.invitations import my_invitations, show_invitations
from events.shows.schemas import CategoryOut, ShowInvitationOut
from events.shows.shaping import invitations_out
from events.shows.tables import InvitationStatus, ShowInvitation

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "SHOW", "SHOWS", "TODAY_SECTIONS", "show_path"]

SHOWS = f"{CONSOLE}/shows"
SHOW = f"{CONSOLE}/shows/{{event_id:int}}"
# Today lists the offers whose reply-by falls within this long.
EXPIRING_WITHIN = timedelta(hours=24)

_S = InvitationStatus


def show_path(event_id: int) -> str:
    return f"{CONSOLE}/shows/{event_id}"


def _reader_zone(request: Request[Any, Any, Any]) -> str:
    """Coordinators read times against the club's clock: a show elsewhere is named by its city."""
    settings: Settings = request.app.state.settings
    return settings.club_time_zone


def priority_text(language: Language, i: ShowInvitationOut, reader_zone: str) -> str:
    """Why an invitation stands where it does in its category's queue: the facts the order is
    decided by (events.shows.rules.offer_order: tier rank when invited, then time), in words."""
    tier = (
        Said(N_("{tier_name} (rank {tier_rank})"), {"tier_name": Said(i.tier_at_invite), "tier_rank": i.tier_rank_at_invite})
        if i.tier_at_invite is not None else Said(N_("no tier"))
    )
    invited = date_time_text(i.invited_at, i.venue_time_zone, language, reader_zone)
    return said_text(language, Said(N_("tier priority: {tier} when invited, then invited at {invited}"), {
        "tier": tier, "invited": invited,
    }))


def reply_by_text(language: Language, i: ShowInvitationOut, now: datetime, reader_zone: str) -> str:
    """An open offer's reply-by on the show's clock, with the time left."""
    if i.reply_by is None:
        return ""
    when = date_time_text(i.reply_by, i.venue_time_zone, language, reader_zone)
    left = time_left(now, i.reply_by)
    if left is None:
        return gettext(language, "Reply by {when} (passed)", when=when)
    return gettext(language, "Reply by {when} ({left} left)", when=when, left=time_left_text(language, left))


@dataclass(frozen=True, slots=True)
class Line:
    """One invitation as the show's page lists it: its reply-by or its place in line, in words."""

    invitation: ShowInvitationOut
    reply_by: str = ""
    why: str = ""
    next_in_line: bool = False


@dataclass(slots=True)
class CategoryLines:
    category: CategoryOut
    accepted: list[Line] = field(default_factory=list)
    offered: list[Line] = field(default_factory=list)
    queued: list[Line] = field(default_factory=list)
    ended: list[Line] = field(default_factory=list)


@get(SHOWS, name="console-shows")
async def shows_page(request: Request[Any, Any, Any], past: bool = False) -> Template:
    shows = await list_shows(include_past=past)
    return console_page(request, "shows/console_shows.html", shows=shows, past=past, show_path=show_path,
                        reader_zone=_reader_zone(request))


@get(SHOW, name="console-show")
async def show_page(request: Request[Any, Any, Any], event_id: int) -> Template:
    show = await get_show(event_id)  # 404 for what is not a show
    invitations = await show_invitations(event_id)
    language = request_language(request)
    reader_zone = _reader_zone(request)
    now = clock.now()
    by_category = {c.id: CategoryLines(c) for c in show.categories}
    for i in invitations:  # already by category, then accepted, offered, the queue in order, the ended
        lines = by_category[i.category_id]
        if i.status == _S.accepted:
            lines.accepted.append(Line(i))
        elif i.status == _S.offered:
            lines.offered.append(Line(i, reply_by=reply_by_text(language, i, now, reader_zone)))
        elif i.status == _S.queued:
            lines.queued.append(Line(i, why=priority_text(language, i, reader_zone), next_in_line=i.position == 1))
        else:
            lines.ended.append(Line(i))
    return console_page(
        request, "shows/console_show.html", show=show, categories=list(by_category.values()),
        invited=len(invitations), reader_zone=reader_zone, lists_path=f"{CONSOLE}/events/{event_id}/attendees",
    )


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
    reader_zone = _reader_zone(request)
    soon.sort(key=lambda i: (i.reply_by or now, i.id))
    return TodaySection("shows/console_today.html", order=40, values={
        "offers": [Line(i, reply_by=reply_by_text(language, i, now, reader_zone)) for i in soon],
        "show_path": show_path,
    })


async def invitations_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """A member's show invitations, soonest show first, with their state and reply-by."""
    found = await my_invitations(member_id)
    if not found:
        return None
    language = request_language(request)
    reader_zone = _reader_zone(request)
    now = clock.now()
    lines = [Line(i, reply_by=reply_by_text(language, i, now, reader_zone) if i.status == _S.offered else "") for i in found]
    return MemberPanel("shows/console_member_panel.html", order=40, values={"lines": lines, "show_path": show_path})


CONSOLE_PAGES: list[Any] = [shows_page, show_page]
TODAY_SECTIONS: list[Any] = [expiring_offers]
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = [invitations_panel]
