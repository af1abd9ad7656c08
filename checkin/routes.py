"""The door API (staff scan, coordinators revert), members' tickets, and the door page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.static_files import create_static_files_router

from checkin import urls
from checkin.attendance import figures
from checkin.door import door_event
from checkin.door_app import DOOR_APP_ROUTES
from checkin.door_conflicts import DoorConflictOut, door_conflicts
from checkin.door_list import build_door_list, encode_door_list
from checkin.door_page import door_html
from checkin.offline_sync import sync_offline_scans
from checkin.qr import MEDIA_TYPES, render_ticket
from checkin.scanning import ScanRequest, revert_check_in, scan
from checkin.schemas import (
    CheckInFigures,
    CheckInReverted,
    DoorEventOut,
    DoorListOut,
    OfflineBatchIn,
    OfflineBatchOut,
    RevertIn,
    ScanAnswer,
    ScanIn,
    TicketOut,
)
from checkin.tables import NoShow
from checkin.ticket_issuing import IssuedTicket, current_ticket, reissue_ticket
from checkin.ticket_page import invalid_page_html, open_ticket_page, ticket_page_html
from checkin.ticket_tokens import TicketSigner, key_fingerprint, public_key_pem
from club import clock
from club.auth import coordinator_only, principal_of, requires, staff_or_coordinator
from club.examples import example_body
from club.i18n.http import request_language
from club.i18n.languages import reader_language
from club.rate_limit import per_token
from club.referrals import ReferralPolicy
from club.settings import Settings
from club.tables import Role
from events.catalog import load_listable_event
from events.urls import link

__all__ = ["CHECKIN_ROUTES"]

STATIC = Path(__file__).parent / "static"
# Counted per device token, in Redis (every app process shares the count).
scans_per_device = per_token(lambda settings: settings.scan_rate_limit)


def _ticket_out(ticket: IssuedTicket) -> TicketOut:
    return TicketOut(
        rsvp_id=ticket.rsvp_id, event_id=ticket.event_id, version=ticket.version, token=ticket.token,
        svg_url=link(urls.TICKET_SVG, rsvp_id=ticket.rsvp_id), png_url=link(urls.TICKET_PNG, rsvp_id=ticket.rsvp_id),
    )


class DoorController(Controller):
    tags = ["check-in"]
    guards = [staff_or_coordinator]

    @post(urls.SCANS, status_code=200, guards=[scans_per_device], operation_id="scanTicket", summary="Scan a ticket at the door")
    async def scan_ticket(
        self, request: Request, event_id: int,
        data: Annotated[ScanIn, example_body("A ticket scanned at gate A", {
            "token": "<the code read from the member's QR>", "nonce": "3f9c2a7e41b04d1f", "gate": "A",
        })],
        signer: TicketSigner, settings: Settings,
    ) -> ScanAnswer:
        staff = principal_of(request)
        gate = (data.gate or "").strip()
        return await scan(ScanRequest(event_id, data.token, data.nonce, gate, staff, data.item, ReferralPolicy.of(settings)), signer)

    @get(urls.DOOR_EVENT, operation_id="getDoorEvent", summary="What the door shows of an event: title, place, times, a trip's meeting points")
    async def door_view(self, request: Request, event_id: int) -> DoorEventOut:
        return await door_event(event_id, principal_of(request))

    @get(
        urls.DOOR_LIST, operation_id="getDoorList",
        summary="The door list: what a gate needs to decide scans offline",
        description=(
            "The ticket public key, each ticket that admits (its current version, the holder's name and tier), "
            "each that must not (cancelled, not confirmed, suspended; a lower version than listed was reissued), "
            "and who is in already. Door staff may fetch it from a day before check-in opens until it closes. "
            "Gzipped for a client that accepts it; send the ETag back in If-None-Match for a 304 while nothing changed."
        ),
        responses={200: ResponseSpec(data_container=DoorListOut, description="The door list", generate_examples=False)},
    )
    async def door_list(self, request: Request, event_id: int, signer: TicketSigner) -> Response[bytes]:
        encoded = encode_door_list(await build_door_list(event_id, principal_of(request), signer, clock.now()))
        headers = {"ETag": encoded.etag, "Cache-Control": "private, no-cache", "Vary": "Accept-Encoding"}
        if encoded.etag in request.headers.get("if-none-match", ""):
            return Response(b"", status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(encoded.gzipped, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"})
        return Response(encoded.body, media_type="application/json", headers=headers)

    @post(
        urls.SCAN_BATCHES, status_code=200, guards=[scans_per_device], operation_id="sendOfflineScans",
        summary="Send the scans a gate decided offline",
        description=(
            "Each scan with its nonce, its time on the device and what the gate answered. Safe to retry: a nonce "
            "already sent gets its first outcome. Two gates that admitted the same ticket give one admission, the "
            "earliest; the other is recorded as a duplicate. A ticket let in after it was revoked, or outside the "
            "door's hours, is recorded as such for the coordinators (GET .../door-conflicts)."
        ),
    )
    async def send_offline_scans(
        self, request: Request, event_id: int,
        data: Annotated[OfflineBatchIn, example_body("Two scans a gate made offline", {"scans": [
            {"token": "<the code read from the member's QR>", "nonce": "3f9c2a7e41b04d1f", "gate": "A",
             "scanned_at": "2026-12-11T19:02:11+08:00", "result": "admitted"},
            {"token": "<another code>", "nonce": "8b1e0c55d2a94f60", "gate": "A",
             "scanned_at": "2026-12-11T19:03:40+08:00", "result": "not_confirmed"},
        ]})],
        signer: TicketSigner, settings: Settings,
    ) -> OfflineBatchOut:
        return await sync_offline_scans(event_id, data.scans, principal_of(request), signer, ReferralPolicy.of(settings))

    @get(urls.FIGURES, operation_id="checkInFigures", summary="Checked in vs confirmed, and no-shows")
    async def live_figures(self, event_id: int) -> CheckInFigures:
        return await figures(event_id)

    @get(urls.PUBLIC_KEY, operation_id="ticketPublicKey", summary="The key that verifies tickets offline")
    async def public_key(self, signer: TicketSigner) -> dict[str, str]:
        return {"algorithm": "Ed25519", "pem": public_key_pem(signer.public_key),
                "fingerprint": key_fingerprint(signer.public_key)}


class AttendanceController(Controller):
    tags = ["check-in"]
    guards = [coordinator_only]

    @post(urls.CHECK_IN_REVERT, status_code=200, operation_id="revertCheckIn", summary="Undo an admission and its points")
    async def revert(self, request: Request, check_in_id: int, data: RevertIn) -> CheckInReverted:
        return await revert_check_in(check_in_id, data.reason.strip(), principal_of(request))

    @get(urls.DOOR_CONFLICTS, operation_id="listDoorConflicts",
         summary="Scans the gates admitted that do not stand: duplicates, and tickets let in after they were revoked")
    async def conflicts(self, event_id: int) -> list[DoorConflictOut]:
        await load_listable_event(event_id)  # 404 for an unknown event; a clinic slot's are private
        return await door_conflicts(event_id)

    @get(urls.NO_SHOWS, operation_id="listNoShows", summary="Confirmed members who never came")
    async def no_shows(self, event_id: int) -> list[dict[str, object]]:
        await load_listable_event(event_id)  # 404 for an unknown event; a clinic slot's are private
        return await NoShow.select(
            NoShow.member, NoShow.member.name.as_alias("name"), NoShow.rsvp, NoShow.recorded_at
        ).where(NoShow.event == event_id).order_by(NoShow.member)


class TicketController(Controller):
    """A member's own ticket (coordinators may fetch any, to resend it; door staff none)."""

    tags = ["tickets"]
    guards = [requires(Role.member, Role.coordinator)]

    @get(urls.TICKET, operation_id="getTicket", summary="My ticket's code and image links")
    async def ticket(self, request: Request, rsvp_id: int, signer: TicketSigner) -> TicketOut:
        return _ticket_out(await current_ticket(rsvp_id, principal_of(request), signer))

    @get(urls.TICKET_SVG, operation_id="getTicketSvg", summary="My ticket as an SVG QR code")
    async def ticket_svg(self, request: Request, rsvp_id: int, signer: TicketSigner) -> Response[bytes]:
        ticket = await current_ticket(rsvp_id, principal_of(request), signer)
        return _image(ticket.token, "svg")

    @get(urls.TICKET_PNG, operation_id="getTicketPng", summary="My ticket as a PNG QR code")
    async def ticket_png(self, request: Request, rsvp_id: int, signer: TicketSigner) -> Response[bytes]:
        ticket = await current_ticket(rsvp_id, principal_of(request), signer)
        return _image(ticket.token, "png")

    @post(urls.TICKET_REISSUE, status_code=200, operation_id="reissueTicket", summary="A new code; older ones stop working")
    async def reissue(self, request: Request, rsvp_id: int, signer: TicketSigner) -> TicketOut:
        return _ticket_out(await reissue_ticket(rsvp_id, principal_of(request), signer))


def _image(token: str, image_format: str) -> Response[bytes]:
    # Private: the image is the ticket. Never cached by shared proxies.
    return Response(render_ticket(token, image_format), media_type=MEDIA_TYPES[image_format],  # type: ignore[arg-type]
                    headers={"Cache-Control": "private, max-age=300"})


@get(urls.DOOR_PAGE, include_in_schema=False, sync_to_thread=False)
def door_page(request: Request, event_id: int) -> Response[str]:
    """The page is public; everything it shows comes from the API with the staff token. Its
    words are in the browser's language, else the club's (checkin.door_page)."""
    language = request_language(request)
    return Response(door_html(language), media_type="text/html", headers={"Content-Language": language.tag})


@get(urls.TICKET_PAGE, include_in_schema=False)
async def ticket_page(request: Request, signed: str, settings: Settings, signer: TicketSigner) -> Response[str]:
    """Public: the signed link is the credential. Never cached anywhere, nor sent on as a referrer."""
    page = await open_ticket_page(signed, settings, signer)
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    if page is None:
        language = reader_language(None, request.headers.get("accept-language"), settings.club_locale)
        return Response(invalid_page_html(language), status_code=404, media_type="text/html", headers=headers)
    return Response(
        ticket_page_html(page), media_type="text/html", headers={**headers, "Content-Language": page.language.tag}
    )


door_static = create_static_files_router(path=urls.DOOR_STATIC, directories=[STATIC], include_in_schema=False)

CHECKIN_ROUTES = [DoorController, AttendanceController, TicketController, door_page, ticket_page, door_static, *DOOR_APP_ROUTES]
