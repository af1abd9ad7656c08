"""HTTP controllers of health_programs: thin, they authorize, call one service and shape the answer.

Door staff get 403 on every route here: health bookings and call notes are for the member and
coordinators only. A member naming another member's booking gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import Parameter

from club.auth import coordinator_only, member_only, principal_of, requires
from club.bounds import INT32_MAX
from club.examples import example_body
from club.i18n.http import request_language
from club.paging import Limit, Offset
from club.settings import Settings
from club.tables import Role
from events.reminders.schemas import CallOutcomeIn
from health_programs import urls
from health_programs.audit import access_log
from health_programs.bookings import (
    book,
    cancel_booking,
    get_booking,
    member_bookings,
    move_booking,
    my_bookings,
    slot_bookings,
)
from health_programs.calls import health_call_list, record_health_call
from health_programs.programs import (
    add_clinic,
    add_slot,
    create_program,
    get_program,
    list_programs,
    list_slots,
    update_preparation,
)
from health_programs.schemas import (
    AccessAuditOut,
    BookIn,
    BookingOut,
    ClinicIn,
    ClinicOut,
    HealthCallOut,
    MoveIn,
    PreparationIn,
    ProgramIn,
    ProgramOut,
    SlotIn,
    SlotOut,
)

__all__ = ["ROUTES"]


member_or_coordinator = requires(Role.member, Role.coordinator)


class HealthProgramController(Controller):
    tags = ["health programs"]

    @post(urls.PROGRAMS, guards=[coordinator_only], operation_id="createHealthProgram", summary="Create a check-up program and its concierge sequence")
    async def create(self, request: Request, data: ProgramIn, settings: Settings) -> ProgramOut:
        return await create_program(data, principal_of(request).user_id, settings.club_locale)

    @get(urls.PROGRAMS, guards=[member_or_coordinator], operation_id="listHealthPrograms", summary="Programs (members: those they may book)")
    async def list_all(self, request: Request) -> list[ProgramOut]:
        return await list_programs(principal_of(request), request_language(request))

    @get(urls.PROGRAM, guards=[member_or_coordinator], operation_id="getHealthProgram", summary="One program with its clinics and preparation")
    async def get_one(self, request: Request, program_id: int) -> ProgramOut:
        return await get_program(program_id, principal_of(request), request_language(request))

    @patch(urls.PROGRAM_PREPARATION, guards=[coordinator_only], operation_id="updateHealthPreparation", summary="Change how members prepare; unsent reminders follow")
    async def preparation(self, program_id: int, data: PreparationIn, settings: Settings) -> ProgramOut:
        return await update_preparation(program_id, data, settings.club_locale)

    @post(urls.PROGRAM_CLINICS, guards=[coordinator_only], operation_id="addHealthClinic", summary="Add a partner clinic")
    async def clinic(self, program_id: int, data: ClinicIn) -> ClinicOut:
        return await add_clinic(program_id, data)

    @post(urls.CLINIC_SLOTS, guards=[coordinator_only], operation_id="addHealthSlot", summary="Publish an appointment slot at a clinic")
    async def slot(self, request: Request, clinic_id: int, data: SlotIn) -> SlotOut:
        return await add_slot(clinic_id, data, principal_of(request).user_id)

    @get(urls.PROGRAM_SLOTS, guards=[member_or_coordinator], operation_id="listHealthSlots", summary="A program's slots with seats left")
    async def slots(self, request: Request, program_id: int) -> list[SlotOut]:
        return await list_slots(program_id, principal_of(request))


class HealthBookingController(Controller):
    tags = ["health programs"]

    @post(urls.PROGRAM_BOOKINGS, guards=[member_only], operation_id="bookHealthSlot", summary="Book a slot (one a program); a full slot waitlists")
    async def create(
        self, request: Request, program_id: int, data: Annotated[BookIn, example_body("Book slot 12", {"slot_id": 12})]
    ) -> Response[BookingOut]:
        booking, created = await book(program_id, data.slot_id, principal_of(request))
        return Response(booking, status_code=201 if created else 200)

    @get(urls.MY_BOOKINGS, guards=[member_only], operation_id="listMyHealthBookings", summary="My check-up bookings, with the concierge's calls")
    async def mine(self, request: Request) -> list[BookingOut]:
        return await my_bookings(principal_of(request))

    @get(urls.BOOKING, guards=[member_or_coordinator], operation_id="getHealthBooking", summary="One booking (coordinator reads are audited)")
    async def get_one(self, request: Request, booking_id: int) -> BookingOut:
        return await get_booking(booking_id, principal_of(request))

    @delete(urls.BOOKING, guards=[member_or_coordinator], status_code=200, operation_id="cancelHealthBooking", summary="Cancel a booking; the slot's waitlist moves up")
    async def cancel(self, request: Request, booking_id: int) -> BookingOut:
        return await cancel_booking(booking_id, principal_of(request))

    @post(urls.BOOKING_MOVE, guards=[member_or_coordinator], status_code=200, operation_id="moveHealthBooking", summary="Move a booking to another slot; reminders follow")
    async def move(self, request: Request, booking_id: int, data: MoveIn) -> BookingOut:
        return await move_booking(booking_id, data.slot_id, principal_of(request))

    @get(urls.SLOT_BOOKINGS, guards=[coordinator_only], operation_id="listHealthSlotBookings", summary="Who is booked for a slot (audited)")
    async def of_slot(self, request: Request, slot_id: int) -> list[BookingOut]:
        return await slot_bookings(slot_id, principal_of(request))

    @get(urls.MEMBER_BOOKINGS, guards=[coordinator_only], operation_id="listMemberHealthBookings", summary="A member's bookings and call notes (audited)")
    async def of_member(self, request: Request, member_id: int) -> list[BookingOut]:
        return await member_bookings(member_id, principal_of(request))


class HealthCallController(Controller):
    tags = ["health programs"]
    guards = [coordinator_only]

    @get(urls.CALLS, operation_id="listHealthCalls", summary="The concierge call list (audited)")
    async def list_all(self, request: Request, include_done: bool = False, limit: Limit = 100, offset: Offset = 0) -> list[HealthCallOut]:
        return await health_call_list(principal_of(request), include_done, limit, offset)

    @post(urls.CALL_OUTCOME, status_code=200, operation_id="recordHealthCall", summary="Record how a concierge call went")
    async def outcome(self, request: Request, task_id: int, data: CallOutcomeIn) -> HealthCallOut:
        return await record_health_call(task_id, data.outcome, data.note, data.retry_in_minutes, principal_of(request))

    @get(urls.ACCESS_AUDIT, operation_id="listHealthAccessAudit", summary="Who read whose health data, newest first")
    async def audit(
        self, request: Request, member_id: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
        limit: Limit = 100, offset: Offset = 0,
    ) -> list[AccessAuditOut]:
        return await access_log(principal_of(request), member_id, limit, offset)


ROUTES: list[Any] = [HealthProgramController, HealthBookingController, HealthCallController]
