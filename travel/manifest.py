"""The trip manifest as CSV for coordinators: travelers, document status, rooms, dietary notes."""

from __future__ import annotations

from club.access import require_coordinator_or_404
from club.accounts import Principal
from events.export import csv_text
from events.tables import Rsvp, RsvpStatus
from travel.itinerary import load_trip
from travel.passports import trip_problems
from travel.tables import TravelerRole
from travel.travelers import trip_travelers

__all__ = ["manifest_csv"]

HEADER = [
    "rsvp_id", "member_id", "traveler_id", "role", "full_name", "document_status", "passport_number",
    "nationality", "expiry_date", "room", "dietary_notes",
]


async def manifest_csv(event_id: int, viewer: Principal) -> str:
    """One line per traveler of a confirmed RSVP (and per place not named yet), full passport
    numbers included: this export exists for the coordinators who book flights and hotels
    (anyone else: 404)."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    trip = await load_trip(event_id)
    _, _, problems = await trip_problems(trip)
    status = {p.traveler_id: p.reason.value for p in problems if p.traveler_id is not None}
    travelers = await trip_travelers(event_id, viewer, full=True)
    lines = []
    confirmed = {
        r["id"] for r in await Rsvp.select(Rsvp.id).where((Rsvp.event == event_id) & (Rsvp.status == RsvpStatus.confirmed.value))
    }
    for t in travelers:
        if t.rsvp_id not in confirmed:
            continue
        doc = t.document
        lines.append([
            t.rsvp_id, t.member_id, t.id, t.role.value, t.full_name, status.get(t.id, "ok"),
            doc.passport_number if doc else "", doc.nationality if doc else "",
            doc.expiry_date.isoformat() if doc else "", t.room or "", t.dietary_notes,
        ])
    for p in problems:
        if p.traveler_id is None:
            lines.append([p.rsvp_id, p.member_id, "", p.role.value, p.name, p.reason.value, "", "", "", "", ""])
    lines.sort(key=lambda line: (line[0], line[3] != TravelerRole.member.value))
    return csv_text(HEADER, lines)
