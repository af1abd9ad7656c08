"""HTTP controllers of events: thin, they authorize, call one service and shape the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, route
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter

from club.accounts import Principal
from club.auth import coordinator_only, member_only, principal_of, requires
from club.bounds import INT32_MAX
from club.downloads import CSV, GET_AND_HEAD, ICS, XLSX, calendar_tag, file_response, get_or_head_operation
from club.examples import example_body
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.paging import Limit, Offset
from club.rate_limit import counting_failures
from club.settings import Settings
from club.tables import Role
from events import urls
from events.attendees import attendees
from events.calendar import FEED_TOKEN_PREFIX, feed_ics, invite_ics, issue_feed, organizer_of, revoke_feed
from events.catalog import (
    cancel_event,
    create_event,
    get_event,
    invite_members,
    list_events,
    list_invitations,
    load_listable_event,
    publish_event,
    update_event,
)
from events.eligibility import check_eligibility
from events.export import Sheet, attendees_sheet, csv_file, waitlist_sheet, xlsx_file
from events.rsvp import cancel_rsvp, get_rsvp, my_rsvps, rsvp
from events.schemas import (
    AttendeeOut,
    EligibilityOut,
    EventCreate,
    EventOut,
    EventUpdate,
    FeedOut,
    InvitationOut,
    InvitationsIn,
    RsvpIn,
    RsvpOut,
    WaitlistEntryOut,
)
from events.waitlist import waitlist_entries

__all__ = ["CalendarFeedController", "EventController", "RsvpController"]

member_or_coordinator = requires(Role.member, Role.coordinator)


def feed_token_shaped(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The feed URL is its own credential (calendar apps send no bearer token)."""
    if not str(connection.path_params.get("token", "")).startswith(FEED_TOKEN_PREFIX):
        raise NotAuthorizedException("A calendar feed URL needs its secret token.")


class EventController(Controller):
    tags = ["events"]

    @post(urls.EVENTS, guards=[coordinator_only], operation_id="createEvent", summary="Create an event (as a draft)")
    async def create(self, request: Request, data: Annotated[EventCreate, example_body("A salon in Shanghai for Gold and above", {
        "kind": "salon", "title": "高级珠宝鉴赏沙龙", "description": "与首席设计师共度的一个傍晚。", "venue": "上海 · 外滩源壹号",
        "venue_time_zone": "Asia/Shanghai", "starts_at": "2026-12-11T10:00:00Z", "ends_at": "2026-12-11T12:00:00Z",
        "capacity": 40, "max_guests": 1, "waitlist_policy": "tier_priority", "min_tier": "Gold",
    })]) -> EventOut:
        return await create_event(data, principal_of(request).user_id)

    # Door staff read an event only as the door shows it (checkin's door view), never these.
    @get(urls.EVENTS, guards=[member_or_coordinator], operation_id="listEvents", summary="Events I may see, soonest first")
    async def list_all(
        self, request: Request, include_past: bool = False, limit: Limit = 50, offset: Offset = 0
    ) -> list[EventOut]:
        return await list_events(principal_of(request), include_past, limit, offset)

    @get(urls.EVENT, guards=[member_or_coordinator], operation_id="getEvent", summary="One event")
    async def get_one(self, request: Request, event_id: int) -> EventOut:
        return await get_event(event_id, principal_of(request))

    @patch(urls.EVENT, guards=[coordinator_only], operation_id="updateEvent", summary="Edit, move or resize an event")
    async def update(self, event_id: int, data: EventUpdate) -> EventOut:
        return await update_event(event_id, data)

    @post(urls.EVENT_PUBLISH, guards=[coordinator_only], status_code=200, operation_id="publishEvent", summary="Publish a draft")
    async def publish(self, event_id: int) -> EventOut:
        return await publish_event(event_id)

    @post(urls.EVENT_CANCEL, guards=[coordinator_only], status_code=200, operation_id="cancelEvent", summary="Cancel an event and tell everyone")
    async def cancel(self, event_id: int) -> EventOut:
        return await cancel_event(event_id)

    @get(urls.EVENT_ELIGIBILITY, guards=[member_or_coordinator], operation_id="getEligibility", summary="May this member come, and if not why")
    async def eligibility(
        self, request: Request, event_id: int, member_id: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None
    ) -> EligibilityOut:
        return await check_eligibility(event_id, principal_of(request), member_id, request_language(request))

    @post(urls.EVENT_INVITATIONS, guards=[coordinator_only], status_code=200, operation_id="inviteMembers", summary="Invite named members")
    async def invite(self, request: Request, event_id: int, data: InvitationsIn) -> list[InvitationOut]:
        return await invite_members(event_id, data.member_ids, principal_of(request).user_id)

    @get(urls.EVENT_INVITATIONS, guards=[coordinator_only], operation_id="listInvitations", summary="Who is invited")
    async def invitations(self, event_id: int) -> list[InvitationOut]:
        return await list_invitations(event_id)

    @get(urls.EVENT_ATTENDEES, guards=[coordinator_only], operation_id="listAttendees", summary="Confirmed RSVPs")
    async def list_attendees(self, request: Request, event_id: int) -> list[AttendeeOut]:
        await load_listable_event(event_id)
        return await attendees(event_id, principal_of(request))

    @get(urls.EVENT_WAITLIST, guards=[coordinator_only], operation_id="listWaitlist", summary="The waitlist in order, with why")
    async def list_waitlist(self, request: Request, event_id: int) -> list[WaitlistEntryOut]:
        event = await load_listable_event(event_id)
        return await waitlist_entries(event_id, event.waitlist_policy, principal_of(request), request_language(request))

    @get(urls.EVENT_ATTENDEES_CSV, guards=[coordinator_only], operation_id="exportAttendees", summary="Attendees as CSV (UTF-8 with BOM, for Excel)")
    async def export_attendees(self, request: Request, event_id: int) -> Response[bytes]:
        return await sheet_download(request, event_id, attendees_sheet, "attendees", CSV)

    @get(urls.EVENT_ATTENDEES_XLSX, guards=[coordinator_only], operation_id="exportAttendeesXlsx", summary="Attendees as an Excel workbook")
    async def export_attendees_xlsx(self, request: Request, event_id: int) -> Response[bytes]:
        return await sheet_download(request, event_id, attendees_sheet, "attendees", XLSX)

    @get(urls.EVENT_WAITLIST_CSV, guards=[coordinator_only], operation_id="exportWaitlist", summary="Waitlist as CSV (UTF-8 with BOM, for Excel)")
    async def export_waitlist(self, request: Request, event_id: int) -> Response[bytes]:
        return await sheet_download(request, event_id, waitlist_sheet, "waitlist", CSV)

    @get(urls.EVENT_WAITLIST_XLSX, guards=[coordinator_only], operation_id="exportWaitlistXlsx", summary="Waitlist as an Excel workbook")
    async def export_waitlist_xlsx(self, request: Request, event_id: int) -> Response[bytes]:
        return await sheet_download(request, event_id, waitlist_sheet, "waitlist", XLSX)


SheetOf = Callable[[int, Principal, Language], Awaitable[Sheet]]


async def sheet_download(
    request: Request, event_id: int, sheet_of: SheetOf, name: str, media_type: str,
) -> Response[bytes]:
    """One of an event's lists as a file (CSV or .xlsx), for the coordinator who asked."""
    # A coordinator's file: their browser's language, else the club's (club.i18n.http's rule).
    language = request_language(request)
    sheet = await sheet_of(event_id, principal_of(request), language)
    if media_type == CSV:
        body, extension = csv_file(sheet, language), "csv"
    else:
        body, extension = xlsx_file(sheet, language), "xlsx"
    return file_response(request, body, media_type, filename=f"event-{event_id}-{name}.{extension}", language=language.tag)


class RsvpController(Controller):
    tags = ["rsvps"]

    @post(urls.EVENT_RSVP, guards=[member_only], operation_id="rsvp", summary="RSVP: a seat if one is free, else the waitlist")
    async def create(
        self, request: Request, event_id: int, data: Annotated[RsvpIn, example_body("Coming with one guest", {"guests": 1})]
    ) -> Response[RsvpOut]:
        me = principal_of(request)
        result = await rsvp(event_id, me.member_id, data.guests, me, language=request_language(request))  # type: ignore[arg-type]
        # 201 for a new RSVP; 200 with the one the member already has.
        return Response(result.rsvp, status_code=201 if result.created else 200)

    @get(urls.MY_RSVPS, guards=[member_only], operation_id="listMyRsvps", summary="My RSVPs")
    async def mine(self, request: Request) -> list[RsvpOut]:
        return await my_rsvps(principal_of(request).member_id, request_language(request))  # type: ignore[arg-type]

    @get(urls.RSVP, guards=[member_or_coordinator], operation_id="getRsvp", summary="One RSVP (mine, or any for coordinators)")
    async def get_one(self, request: Request, rsvp_id: int) -> RsvpOut:
        return await get_rsvp(rsvp_id, principal_of(request), request_language(request))

    @delete(urls.RSVP, guards=[member_or_coordinator], status_code=200, operation_id="cancelRsvp", summary="Cancel an RSVP; the waitlist moves up")
    async def cancel(self, request: Request, rsvp_id: int) -> RsvpOut:
        return await cancel_rsvp(rsvp_id, principal_of(request), language=request_language(request))

    @route(
        urls.RSVP_INVITE, http_method=GET_AND_HEAD, guards=[member_or_coordinator],
        operation_id=get_or_head_operation("getRsvpInvite"), summary="The calendar invite (.ics)",
    )
    async def invite(self, request: Request, rsvp_id: int, settings: Settings) -> Response[bytes]:
        body = await invite_ics(
            rsvp_id, principal_of(request), settings.public_base_url, request_language(request), organizer_of(settings)
        )
        return file_response(request, body, ICS, tag=calendar_tag(body), filename=f"rsvp-{rsvp_id}.ics")


class CalendarFeedController(Controller):
    tags = ["calendar"]

    @post(urls.MY_CALENDAR_FEED, guards=[member_only], operation_id="issueCalendarFeed", summary="A new private feed URL (the old one stops working)")
    async def issue(self, request: Request, settings: Settings) -> FeedOut:
        url, created_at = await issue_feed(principal_of(request).member_id, settings.public_base_url)  # type: ignore[arg-type]
        return FeedOut(url=url, webcal_url=webcal_url(url), created_at=created_at)

    @delete(urls.MY_CALENDAR_FEED, guards=[member_only], operation_id="revokeCalendarFeed", summary="Revoke my feed URL")
    async def revoke(self, request: Request) -> None:
        await revoke_feed(principal_of(request).member_id)  # type: ignore[arg-type]

    @route(
        urls.CALENDAR_FEED, http_method=GET_AND_HEAD, guards=[feed_token_shaped],
        operation_id=get_or_head_operation("getCalendarFeed"), summary="A member's confirmed events (secret URL)", security=[],
    )
    async def feed(self, request: Request, token: str, settings: Settings) -> Response[bytes]:
        # A feed URL that does not resolve is a failed authentication, counted like a bad token.
        async with counting_failures(request, settings.failed_auth_rate_limit):
            body = await feed_ics(token, settings.public_base_url, settings.club_locale, organizer_of(settings))
        return file_response(request, body, ICS, tag=calendar_tag(body), cache_control="private, no-store")


def webcal_url(url: str) -> str:
    """The feed's URL with the webcal scheme, which phones and desktop calendars open as
    "subscribe" (the https one downloads the file once)."""
    return "webcal://" + url.split("://", 1)[-1]
