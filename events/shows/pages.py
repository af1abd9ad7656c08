"""The member's fashion-week invitations (/invitations): each open offer with accept (with the
plus-one where the invitation includes one) or decline before its reply-by, the reply-by on the
member's own clock with the time left; a queued invitation's place in line; the seats accepted,
with their tickets; and the answered and ended invitations with their state. The home page
shows the offers awaiting an answer.

The forms call the API's own services (events.shows.invitations.accept and decline): the owner
check (another member's invitation is a 404 page), the reply-by and every refusal are theirs,
and a refusal is shown as a page (club.web.page_errors). Reading the list expires overdue offers
first, as the API's does, so an offer past its reply-by is never shown with its buttons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from markupsafe import Markup, escape

from club import clock
from club.accounts import Principal
from club.auth import member_only, principal_of
from club.i18n.catalogs import gettext
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page
from events.shows.countdown import time_left, time_left_text, unit_forms
from events.shows.invitations import accept, decline, my_invitations
from events.shows.schemas import ShowInvitationOut
from events.shows.tables import InvitationStatus
from events.tables import EventStatus
from events.urls import ticket_page

__all__ = ["ACCEPT_PAGE", "DECLINE_PAGE", "HOME_SECTIONS", "INVITATIONS_PAGE", "PAGES"]

INVITATIONS_PAGE = "/invitations"
ACCEPT_PAGE = "/invitations/{invitation_id:int}/accept"
DECLINE_PAGE = "/invitations/{invitation_id:int}/decline"

_S = InvitationStatus


class AcceptForm(msgspec.Struct):
    # A checkbox: sent ("1") when ticked, absent otherwise.
    plus_one: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    """One invitation as the page shows it; `reply_by` is the sentence with the time left
    (an open offer only), its countdown in a span the page's script ticks."""

    invitation: ShowInvitationOut
    reply_by: Markup | None
    ended: bool



def _reply_by(language: Language, deadline: datetime, zone: str, now: datetime) -> Markup | None:
    left = time_left(now, deadline)
    if left is None:
        return None
    countdown = Markup('<span class="left" data-deadline="{}">{}</span>').format(
        int(deadline.timestamp() * 1000), time_left_text(language, left)
    )
    sentence = escape(gettext(language, "Please reply by {when} ({left} left)"))
    return sentence.format(when=date_time_text(deadline, zone, language), left=countdown)


def _card(invitation: ShowInvitationOut, language: Language, zone: str, now: datetime) -> Card:
    ended = (
        invitation.status not in (_S.offered, _S.queued, _S.accepted)
        or invitation.show_status == EventStatus.cancelled
        or invitation.starts_at <= now
    )
    offered = invitation.status == _S.offered and not ended and invitation.reply_by is not None
    reply_by = _reply_by(language, invitation.reply_by, zone, now) if offered and invitation.reply_by else None
    return Card(invitation, reply_by, ended)


async def _cards(request: Request[Any, Any, Any], member_id: int) -> tuple[list[Card], str, Language, datetime]:
    language = request_language(request)
    zone = principal_of(request).time_zone or "UTC"
    now = clock.now()
    return [_card(i, language, zone, now) for i in await my_invitations(member_id)], zone, language, now


def _me(request: Request[Any, Any, Any]) -> tuple[Principal, int]:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    return me, me.member_id


@get(INVITATIONS_PAGE, guards=[member_only], name="invitations")
async def invitations_page(request: Request[Any, Any, Any], answered: int | None = None) -> Template:
    _, member_id = _me(request)
    cards, zone, language, now = await _cards(request, member_id)
    live = [c for c in cards if not c.ended]
    return page(
        request, "shows/invitations.html",
        awaiting=[c for c in live if c.invitation.status == _S.offered],
        waiting=[c for c in live if c.invitation.status == _S.queued],
        seats=[c for c in live if c.invitation.status == _S.accepted],
        earlier=[c for c in cards if c.ended],
        answered=next((c.invitation for c in cards if c.invitation.id == answered), None),
        zone=zone, ticket_page=ticket_page, now_ms=int(now.timestamp() * 1000),
        units=json.dumps(unit_forms(language), ensure_ascii=False), reader_zone=zone,
    )


def _back_to(invitation_id: int) -> Redirect:
    return Redirect(f"{INVITATIONS_PAGE}?answered={invitation_id}#invitation-{invitation_id}", status_code=303)


@post(ACCEPT_PAGE, guards=[member_only], status_code=303)
async def accept_page(
    request: Request[Any, Any, Any], invitation_id: int, data: Annotated[AcceptForm, FORM]
) -> Redirect:
    me, _ = _me(request)
    await accept(invitation_id, me, plus_one=bool(data.plus_one))
    return _back_to(invitation_id)


@post(DECLINE_PAGE, guards=[member_only], status_code=303)
async def decline_page(request: Request[Any, Any, Any], invitation_id: int) -> Redirect:
    me, _ = _me(request)
    await decline(invitation_id, me)
    return _back_to(invitation_id)


async def invitations_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The home page's part: the offers that need the member's answer, with the time left."""
    if me.member_id is None:
        return None
    cards, _, _, _ = await _cards(request, me.member_id)
    awaiting = [c for c in cards if c.reply_by is not None]
    if not awaiting:
        return None
    return HomeSection("shows/home_section.html", order=20, values={"awaiting": awaiting})


PAGES: list[Any] = [invitations_page, accept_page, decline_page]
HOME_SECTIONS: list[Any] = [invitations_section]
