"""HTTP controllers of travel: thin, they authorize, call one service and shape the answer."""

from __future__ import annotations

from typing import Any

from arq.connections import ArqRedis
from litestar import Controller, Request, Response, delete, get, patch, post, put, route

from club.auth import coordinator_only, principal_of, requires
from club.downloads import CSV, GET_AND_HEAD, ICS, XLSX, calendar_tag, file_response, get_or_head_operation
from club.i18n.http import request_language
from club.settings import Settings
from club.tables import Role
from events.export import csv_file, xlsx_file
from events.reminders.schemas import SequenceOut
from travel import urls
from travel.calendar import itinerary_ics
from travel.itinerary import add_item, delete_item, list_items, update_item
from travel.manifest import manifest_sheet
from travel.passports import passport_check
from travel.reminders import install_trip_reminders
from travel.rooms import assign_room, create_room, list_rooms, unassign_room
from travel.schemas import (
    DocumentIn,
    DocumentOut,
    ItemIn,
    ItemOut,
    ItemUpdate,
    OccupantIn,
    PassportCheckOut,
    RoomIn,
    RoomOut,
    TravelerIn,
    TravelerOut,
    TravelerUpdate,
)
from travel.travelers import (
    add_traveler,
    delete_traveler,
    get_document,
    put_document,
    rsvp_travelers,
    trip_travelers,
    update_traveler,
)

__all__ = ["ROUTES"]

member_or_coordinator = requires(Role.member, Role.coordinator)


class ItineraryController(Controller):
    tags = ["travel"]

    # Door staff see a trip's meeting points through checkin's door view, not the itinerary.
    @get(urls.TRIP_ITEMS, guards=[member_or_coordinator], operation_id="listTripItems", summary="A trip's itinerary, in order")
    async def list_all(self, request: Request, event_id: int) -> list[ItemOut]:
        return await list_items(event_id, principal_of(request))

    @post(urls.TRIP_ITEMS, guards=[coordinator_only], operation_id="addTripItem", summary="Add an itinerary item")
    async def add(self, event_id: int, data: ItemIn) -> ItemOut:
        return await add_item(event_id, data)

    @patch(urls.TRIP_ITEM, guards=[coordinator_only], operation_id="updateTripItem", summary="Edit or move an item; its reminders follow")
    async def update(self, item_id: int, data: ItemUpdate) -> ItemOut:
        return await update_item(item_id, data)

    @delete(urls.TRIP_ITEM, guards=[coordinator_only], operation_id="deleteTripItem", summary="Remove an item")
    async def remove(self, item_id: int) -> None:
        await delete_item(item_id)

    @route(
        urls.TRIP_ITINERARY_ICS, http_method=GET_AND_HEAD, guards=[member_or_coordinator],
        operation_id=get_or_head_operation("getTripItinerary"), summary="The itinerary as a calendar (.ics)",
    )
    async def ics(self, request: Request, event_id: int, settings: Settings) -> Response[bytes]:
        body = await itinerary_ics(event_id, principal_of(request), settings.public_base_url, request_language(request))
        return file_response(request, body, ICS, tag=calendar_tag(body), filename=f"trip-{event_id}.ics")

    @post(urls.TRIP_REMINDER_DEFAULTS, guards=[coordinator_only], status_code=200, operation_id="installTripReminders", summary="Make the trip reminder sequence the trip kind's default")
    async def install_reminders(self, queue: ArqRedis, settings: Settings) -> SequenceOut:
        return await install_trip_reminders(queue, settings.reminder_horizon_s)


class TravelerController(Controller):
    tags = ["travel"]
    guards = [member_or_coordinator]

    @get(urls.RSVP_TRAVELERS, operation_id="listRsvpTravelers", summary="Travelers on an RSVP (mine, or any for coordinators)")
    async def of_rsvp(self, request: Request, rsvp_id: int) -> list[TravelerOut]:
        return await rsvp_travelers(rsvp_id, principal_of(request))

    @post(urls.RSVP_TRAVELERS, operation_id="addTraveler", summary="Name the member or a companion as a traveler")
    async def add(self, request: Request, rsvp_id: int, data: TravelerIn) -> TravelerOut:
        return await add_traveler(rsvp_id, data, principal_of(request))

    @patch(urls.TRAVELER, operation_id="updateTraveler", summary="Edit a traveler's name or dietary notes")
    async def update(self, request: Request, traveler_id: int, data: TravelerUpdate) -> TravelerOut:
        return await update_traveler(traveler_id, data, principal_of(request))

    @delete(urls.TRAVELER, operation_id="deleteTraveler", summary="Remove a traveler, their document and bed")
    async def remove(self, request: Request, traveler_id: int) -> None:
        await delete_traveler(traveler_id, principal_of(request))

    @put(urls.TRAVELER_DOCUMENT, operation_id="putTravelDocument", summary="Record a traveler's passport")
    async def put_doc(self, request: Request, traveler_id: int, data: DocumentIn) -> DocumentOut:
        return await put_document(traveler_id, data, principal_of(request))

    @get(urls.TRAVELER_DOCUMENT, operation_id="getTravelDocument", summary="A traveler's passport (the number masked)")
    async def get_doc(self, request: Request, traveler_id: int) -> DocumentOut:
        return await get_document(traveler_id, principal_of(request))


class TripDeskController(Controller):
    """The coordinators' desk: everyone travelling, passports, rooms, the manifest."""

    tags = ["travel"]
    guards = [coordinator_only]

    @get(urls.TRIP_TRAVELERS, operation_id="listTripTravelers", summary="Every traveler of a trip, full passport numbers")
    async def travelers(self, request: Request, event_id: int) -> list[TravelerOut]:
        return await trip_travelers(event_id, principal_of(request))

    @get(urls.TRIP_PASSPORT_CHECK, operation_id="checkTripPassports", summary="Who fails the six-month passport rule, and why")
    async def passports(self, request: Request, event_id: int) -> PassportCheckOut:
        return await passport_check(event_id, principal_of(request))

    @get(urls.TRIP_MANIFEST_CSV, operation_id="exportTripManifest", summary="The manifest as CSV (UTF-8 with BOM, for Excel)")
    async def manifest(self, request: Request, event_id: int) -> Response[bytes]:
        language = request_language(request)
        body = csv_file(await manifest_sheet(event_id, principal_of(request)), language)
        return file_response(request, body, CSV, filename=f"trip-{event_id}-manifest.csv", language=language.tag)

    @get(urls.TRIP_MANIFEST_XLSX, operation_id="exportTripManifestXlsx", summary="The manifest as an Excel workbook")
    async def manifest_xlsx(self, request: Request, event_id: int) -> Response[bytes]:
        language = request_language(request)
        body = xlsx_file(await manifest_sheet(event_id, principal_of(request)), language)
        return file_response(request, body, XLSX, filename=f"trip-{event_id}-manifest.xlsx", language=language.tag)

    @get(urls.TRIP_ROOMS, operation_id="listTripRooms", summary="A trip's rooms and who sleeps where")
    async def rooms(self, request: Request, event_id: int) -> list[RoomOut]:
        return await list_rooms(event_id, principal_of(request))

    @post(urls.TRIP_ROOMS, operation_id="createTripRoom", summary="Add a room (single or twin)")
    async def add_room(self, request: Request, event_id: int, data: RoomIn) -> RoomOut:
        return await create_room(event_id, data.label, data.kind, principal_of(request))

    @post(urls.ROOM_OCCUPANTS, status_code=200, operation_id="assignRoom", summary="Put a traveler in a room")
    async def assign(self, request: Request, room_id: int, data: OccupantIn) -> RoomOut:
        return await assign_room(room_id, data.traveler_id, principal_of(request))

    @delete(urls.ROOM_OCCUPANT, status_code=200, operation_id="unassignRoom", summary="Take a traveler out of a room")
    async def unassign(self, request: Request, room_id: int, traveler_id: int) -> RoomOut:
        return await unassign_room(room_id, traveler_id, principal_of(request))


ROUTES: list[Any] = [ItineraryController, TravelerController, TripDeskController]
