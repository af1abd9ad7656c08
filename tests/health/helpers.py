"""Makers for health program tests: a program, its clinics and slots over HTTP, bookings, the schedule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx

from club import clock
from events.reminders.tables import ScheduledReminder
from events.urls import link
from health_programs import urls
from tests.conftest import LiveServer
from tests.factories import Caller

__all__ = [
    "book",
    "clinic",
    "program",
    "program_body",
    "slot",
    "slot_in",
    "step_rows",
]


def program_body(**overrides: Any) -> dict[str, Any]:
    today = clock.now().date()
    body: dict[str, Any] = {
        "name": "Annual check-up 2027",
        "year": 2027,
        "season_starts_on": (today - timedelta(days=30)).isoformat(),
        "season_ends_on": date(2027, 12, 31).isoformat(),
        "fasting_hours": 10,
        "bring": "your passport and last year's letter",
        "avoid": "alcohol and coffee the evening before",
        "attendance_points": 300,
    }
    body.update(overrides)
    return body


async def program(server: LiveServer, coordinator: Caller, **overrides: Any) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.PROGRAMS, json=program_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def clinic(
    server: LiveServer, coordinator: Caller, program_id: int, name: str = "Clinique du Louvre", time_zone: str = "Europe/Paris"
) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        response = await http.post(
            link(urls.PROGRAM_CLINICS, program_id=program_id),
            json={"name": name, "address": "4 rue de Rivoli", "time_zone": time_zone},
        )
    assert response.status_code == 201, response.text
    return response.json()


async def slot(server: LiveServer, coordinator: Caller, clinic_id: int, starts_at: datetime, capacity: int = 4) -> dict[str, Any]:
    async with server.client(coordinator.token) as http:
        response = await http.post(
            link(urls.CLINIC_SLOTS, clinic_id=clinic_id),
            json={"starts_at": starts_at.isoformat(), "ends_at": (starts_at + timedelta(hours=1)).isoformat(), "capacity": capacity},
        )
    assert response.status_code == 201, response.text
    return response.json()


def slot_in(delta: timedelta) -> datetime:
    """A start time `delta` from now, to the second."""
    return clock.now().replace(microsecond=0) + delta


async def book(http: httpx.AsyncClient, program_id: int, slot_id: int) -> httpx.Response:
    return await http.post(link(urls.PROGRAM_BOOKINGS, program_id=program_id), json={"slot_id": slot_id})


async def step_rows(rsvp_id: int) -> list[dict[str, Any]]:
    """An RSVP's reminder steps, in step order."""
    return await ScheduledReminder.select().where(
        (ScheduledReminder.rsvp == rsvp_id) & ScheduledReminder.step.is_not_null()
    ).order_by(ScheduledReminder.step)
