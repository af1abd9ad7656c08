"""Route paths of the health programs API, in one place so tests and links never spell them out."""

from __future__ import annotations

PROGRAMS = "/api/health-programs"
PROGRAM = "/api/health-programs/{program_id:int}"
PROGRAM_PREPARATION = "/api/health-programs/{program_id:int}/preparation"
PROGRAM_CLINICS = "/api/health-programs/{program_id:int}/clinics"
PROGRAM_SLOTS = "/api/health-programs/{program_id:int}/slots"
PROGRAM_BOOKINGS = "/api/health-programs/{program_id:int}/bookings"
CLINIC_SLOTS = "/api/health-clinics/{clinic_id:int}/slots"
BOOKING = "/api/health-bookings/{booking_id:int}"
BOOKING_MOVE = "/api/health-bookings/{booking_id:int}/move"
MY_BOOKINGS = "/api/me/health-bookings"
MEMBER_BOOKINGS = "/api/members/{member_id:int}/health-bookings"
SLOT_BOOKINGS = "/api/health-slots/{slot_id:int}/bookings"
CALLS = "/api/health-calls"
CALL_OUTCOME = "/api/health-calls/{task_id:int}/outcome"
ACCESS_AUDIT = "/api/health-access-audit"
