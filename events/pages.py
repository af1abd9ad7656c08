"""The member's event pages: the events open to them (each with its eligibility inline), one
event with their seat or waitlist place first (RSVP, cancel, the calendar invite), and their next
events on the home page.

They call the services the API routes call (events.rsvp, events.calendar) and read lists through
events.open_to_me, which gathers a member's facts once for a whole list.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club.accounts import Principal
from club.auth import member_only, principal_of
from club.downloads import ICS, calendar_tag, file_response
from club.errors import InvalidInput, NotFound, Said, SaidList, said_text
from club.i18n.http import request_language
from club.settings import Settings
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page
from events.calendar import invite_ics, organizer_of
from events.errors import BookedElsewhere, EventCancelled, EventPast, NotEligible, RsvpClosed, RsvpNotOpen
from events.open_to_me import OpenEvent, events_open_to, my_event, my_next_places, my_place, my_rsvp_id
from events.rsvp import cancel_rsvp, rsvp
from events.tables import RsvpStatus
from events.urls import ticket_page

__all__ = ["HOME_SECTIONS", "PAGES"]

EVENTS_PAGE = "/events"
EVENT_PAGE = "/events/{event_id:int}"
EVENT_RSVP_PAGE = "/events/{event_id:int}/rsvp"
EVENT_CANCEL_PAGE = "/events/{event_id:int}/cancel"
EVENT_INVITE_PAGE = "/events/{event_id:int}/invite.ics"
EVENT_STATUS_PAGE = "/events/{event_id:int}/my-status"
# Events a domain books its own way are answered on that domain's pages.
ELSEWHERE = {"shows": "/invitations", "health_programs": "/check-ups"}
# A refused RSVP is said on the event's page itself, with the refusal's status.
REFUSALS = (NotEligible, EventPast, RsvpClosed, RsvpNotOpen, EventCancelled, BookedElsewhere, InvalidInput)



class RsvpForm(msgspec.Struct):
    guests: Annotated[int, msgspec.Meta(ge=0, le=20)] = 0


def _event_path(event_id: int) -> str:
    return f"/events/{event_id}"


def _me(request: Request[Any, Any, Any]) -> Principal:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    return me



def _sayer(request: Request[Any, Any, Any]) -> Any:
    language = request_language(request)

    def said(value: Said | SaidList | None) -> str:
        return said_text(language, value) if value is not None else ""

    return said


def _state_of(status: RsvpStatus | None, position: int | None) -> str:
    """What a waiting member's page polls for and compares: their status and waitlist place."""
    return "none" if status is None else f"{status.value}:{position or ''}"


def _state(item: OpenEvent) -> str:
    return _state_of(item.place.status, item.place.position) if item.place else "none"


@get(EVENTS_PAGE, guards=[member_only], name="events")
async def events_page(request: Request[Any, Any, Any]) -> Template:
    me = _me(request)
    assert me.member_id is not None
    events = await events_open_to(me)
    return page(
        request, "events/events.html", events=events, said=_sayer(request),
    )


async def _event_page(request: Request[Any, Any, Any], event_id: int, *, refused: str | None = None, status_code: int = 200) -> Template:
    me = _me(request)
    assert me.member_id is not None
    item = await my_event(event_id, me)
    return page(
        request, "events/event.html", status_code=status_code, item=item, said=_sayer(request), refused=refused,
        state=_state(item), elsewhere=ELSEWHERE.get(item.event.booked_through or ""),
        ticket=ticket_page(item.place.rsvp_id) if item.place else None,
    )


@get(EVENT_PAGE, guards=[member_only], name="event")
async def event_page(request: Request[Any, Any, Any], event_id: int) -> Template:
    return await _event_page(request, event_id)


@post(EVENT_RSVP_PAGE, guards=[member_only], status_code=303)
async def rsvp_page(request: Request[Any, Any, Any], event_id: int, data: Annotated[RsvpForm, FORM]) -> Response[Any]:
    me = _me(request)
    try:
        await rsvp(event_id, me.member_id, data.guests, me, language=request_language(request))  # type: ignore[arg-type]
    except REFUSALS as refusal:
        # Said on the event's own page, where the member can read why and what is left to do.
        return await _event_page(request, event_id, refused=refusal.detail_in(request_language(request)), status_code=refusal.status_code)
    return Redirect(_event_path(event_id), status_code=303)


async def _my_place(event_id: int, me: Principal) -> int:
    """The member's RSVP to the event; 404 when they have none (nobody else's is ever addressed)."""
    assert me.member_id is not None
    rsvp_id = await my_rsvp_id(event_id, me.member_id)
    if rsvp_id is None:
        raise NotFound("You have no RSVP for event {event_id}.", text_values={"event_id": event_id})
    return rsvp_id


@get(EVENT_CANCEL_PAGE, guards=[member_only], name="event-cancel")
async def cancel_confirm_page(request: Request[Any, Any, Any], event_id: int) -> Response[Any]:
    me = _me(request)
    item = await my_event(event_id, me)
    if item.place is None or item.place.status == RsvpStatus.cancelled:
        return Redirect(_event_path(event_id), status_code=303)
    assert me.member_id is not None
    return page(request, "events/cancel.html", item=item)


@post(EVENT_CANCEL_PAGE, guards=[member_only], status_code=303)
async def cancel_page(request: Request[Any, Any, Any], event_id: int) -> Response[Any]:
    me = _me(request)
    rsvp_id = await _my_place(event_id, me)
    try:
        await cancel_rsvp(rsvp_id, me, language=request_language(request))
    except (EventPast, BookedElsewhere) as refusal:
        return await _event_page(request, event_id, refused=refusal.detail_in(request_language(request)), status_code=refusal.status_code)
    return Redirect(_event_path(event_id), status_code=303)


@get(EVENT_INVITE_PAGE, guards=[member_only], name="event-invite")
async def invite_page(request: Request[Any, Any, Any], event_id: int, settings: Settings) -> Response[bytes]:
    """The calendar invite of the member's seat, as the API's RSVP_INVITE gives it."""
    me = _me(request)
    rsvp_id = await _my_place(event_id, me)
    body = await invite_ics(rsvp_id, me, settings.public_base_url, request_language(request), organizer_of(settings))
    return file_response(request, body, ICS, tag=calendar_tag(body), filename=f"event-{event_id}.ics")


@get(EVENT_STATUS_PAGE, guards=[member_only], name="event-my-status")
async def my_status_page(request: Request[Any, Any, Any], event_id: int) -> Response[dict[str, Any]]:
    """The member's place in a few bytes, which a waiting member's page polls to show a promotion."""
    place = await my_place(event_id, _me(request))
    status, position = place if place is not None else (None, None)
    return Response(
        {"state": _state_of(status, position), "status": status.value if status else None, "position": position},
        headers={"Cache-Control": "no-store"},
    )


async def next_events_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The home page's "your next events": seats with their ticket, waitlist places with their number."""
    if me.member_id is None:
        return None
    places = await my_next_places(me.member_id)
    if not places:
        return None
    return HomeSection("events/home_section.html", order=10, values={"places": places, "ticket_page": ticket_page})


PAGES: list[Any] = [events_page, event_page, rsvp_page, cancel_confirm_page, cancel_page, invite_page, my_status_page]
HOME_SECTIONS: list[Any] = [next_events_section]
