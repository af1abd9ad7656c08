"""The trip manifest for coordinators (CSV and .xlsx): travelers, document status, rooms, dietary notes."""

from __future__ import annotations

from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.i18n.catalogs import N_
from events.export import Cell, Column, Sheet
from events.tables import Rsvp, RsvpStatus
from travel.itinerary import load_trip
from travel.passports import trip_problems
from travel.tables import TravelerRole
from travel.travelers import trip_travelers

__all__ = ["manifest_sheet"]

# The English headers are the columns' names as the CSV has always had them (see events.export).
COLUMNS = (
    Column(N_("rsvp_id"), 9), Column(N_("member_id"), 10), Column(N_("traveler_id"), 10), Column(N_("role"), 11),
    Column(N_("full_name"), 24), Column(N_("document_status"), 18), Column(N_("passport_number"), 16),
    Column(N_("nationality"), 11), Column(N_("expiry_date"), 12), Column(N_("room"), 10), Column(N_("dietary_notes"), 30),
)


async def manifest_sheet(event_id: int, viewer: Principal) -> Sheet:
    """One line per traveler of a confirmed RSVP (and per place not named yet), full passport
    numbers included: this export exists for the coordinators who book flights and hotels
    (anyone else: 404)."""
    require_coordinator_or_404(viewer, "Event {event_id} does not exist.", event_id=event_id)
    trip = await load_trip(event_id)
    _, _, problems = await trip_problems(trip)
    status = {p.traveler_id: p.reason.value for p in problems if p.traveler_id is not None}
    travelers = await trip_travelers(event_id, viewer, full=True)
    lines: list[list[Cell]] = []
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
            doc.expiry_date if doc else None, t.room or "", t.dietary_notes,
        ])
    for p in problems:
        if p.traveler_id is None:
            lines.append([p.rsvp_id, p.member_id, "", p.role.value, p.name, p.reason.value, "", "", None, "", ""])
    lines.sort(key=lambda line: (line[0], line[3] != TravelerRole.member.value))  # type: ignore[arg-type, return-value]
    return Sheet(N_("Manifest"), COLUMNS, lines)
