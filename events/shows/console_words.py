"""What the console's show pages share: their paths, and an invitation in words (its reply-by on
the show's clock with the time left, its place in its category's queue and why), for the show's
page, Today and a member's console page alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from club.errors import Said, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.formats import date_time_text
from club.i18n.languages import Language
from club.web.console import CONSOLE
from events.shows.countdown import time_left, time_left_text
from events.shows.schemas import CategoryOut, ShowInvitationOut, ShowOut
from events.shows.tables import InvitationStatus

__all__ = [
    "CATEGORIES",
    "CATEGORY",
    "INVITATIONS",
    "NEW_SHOW",
    "SHOW",
    "SHOWS",
    "WITHDRAW",
    "CategoryLines",
    "Line",
    "category_lines",
    "event_path",
    "priority_text",
    "reply_by_text",
    "show_path",
    "withdraw_path",
]

SHOWS = f"{CONSOLE}/shows"
NEW_SHOW = f"{CONSOLE}/shows/new"
SHOW = f"{CONSOLE}/shows/{{event_id:int}}"
CATEGORIES = f"{CONSOLE}/shows/{{event_id:int}}/categories"
CATEGORY = f"{CONSOLE}/shows/{{event_id:int}}/categories/{{category_id:int}}"
INVITATIONS = f"{CONSOLE}/shows/{{event_id:int}}/invitations"
WITHDRAW = f"{CONSOLE}/shows/{{event_id:int}}/invitations/{{invitation_id:int}}/withdraw"

_S = InvitationStatus


def show_path(event_id: int) -> str:
    return f"{CONSOLE}/shows/{event_id}"


def withdraw_path(event_id: int, invitation_id: int) -> str:
    return f"{CONSOLE}/shows/{event_id}/invitations/{invitation_id}/withdraw"


def event_path(event_id: int) -> str:
    """The show's event page (events.console_pages): where it is published, edited, moved, cancelled."""
    return f"{CONSOLE}/events/{event_id}"


def priority_text(language: Language, i: ShowInvitationOut, zone: str) -> str:
    """Why an invitation stands where it does in its category's queue: the facts the order is
    decided by (events.shows.rules.offer_order: tier rank when invited, then time), in words."""
    tier = (
        Said(N_("{tier_name} (rank {tier_rank})"), {"tier_name": Said(i.tier_at_invite), "tier_rank": i.tier_rank_at_invite})
        if i.tier_at_invite is not None else Said(N_("no tier"))
    )
    invited = date_time_text(i.invited_at, i.venue_time_zone, language, zone)
    return said_text(language, Said(N_("tier priority: {tier} when invited, then invited at {invited}"), {
        "tier": tier, "invited": invited,
    }))


def reply_by_text(language: Language, i: ShowInvitationOut, now: datetime, zone: str) -> str:
    """An open offer's reply-by on the show's clock, with the time left."""
    if i.reply_by is None:
        return ""
    when = date_time_text(i.reply_by, i.venue_time_zone, language, zone)
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

    @property
    def next_in_line(self) -> ShowInvitationOut | None:
        """Who a seat of this category goes to when one comes free."""
        return self.queued[0].invitation if self.queued else None


def category_lines(
    show: ShowOut, invitations: list[ShowInvitationOut], language: Language, now: datetime, zone: str,
) -> list[CategoryLines]:
    """The show's invitations by category (as show_invitations orders them: accepted, offered,
    the queue in the order seats will be offered, the ended)."""
    by_category = {c.id: CategoryLines(c) for c in show.categories}
    for i in invitations:
        lines = by_category[i.category_id]
        if i.status == _S.accepted:
            lines.accepted.append(Line(i))
        elif i.status == _S.offered:
            lines.offered.append(Line(i, reply_by=reply_by_text(language, i, now, zone)))
        elif i.status == _S.queued:
            lines.queued.append(Line(i, why=priority_text(language, i, zone), next_in_line=i.position == 1))
        else:
            lines.ended.append(Line(i))
    return list(by_category.values())
