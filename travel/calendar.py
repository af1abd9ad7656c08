"""The trip's itinerary as a calendar: one entry per item on the item's own clock.

Each item keeps one UID for its whole life and its `version` as SEQUENCE, so when a leg moves
a calendar that re-reads the file updates the entry it has instead of adding a second one.
"""

from __future__ import annotations

from typing import Any

from icalendar import Event as VEvent

from club.accounts import Principal
from club.errors import NotFound
from events.calendar import calendar_of, host_of, timed_entry
from events.tables import EventStatus, Rsvp, RsvpStatus
from travel.itinerary import load_trip, trip_items

__all__ = ["itinerary_ics"]


def _vevent(trip: dict[str, Any], item: dict[str, Any], host: str, cancelled: bool) -> VEvent:
    place = f"{item['meeting_point']}, {item['place']}" if item["meeting_point"] else item["place"]
    vevent = timed_entry(
        f"trip-item-{item['id']}@{host}", item["version"], cancelled, item["starts_at"], item["ends_at"],
        item["time_zone"], f"{trip['title']}: {item['title']}", place,
    )
    if item["is_checkpoint"]:
        vevent.add("description", "Meeting point: bring your ticket. The departure does not wait.")
    return vevent


async def itinerary_ics(event_id: int, viewer: Principal, base_url: str) -> bytes:
    """For coordinators, and for members holding a confirmed place on the trip (others: 404)."""
    trip = await load_trip(event_id, viewer)
    if not viewer.is_coordinator:
        confirmed = await Rsvp.exists().where(
            (Rsvp.event == event_id) & (Rsvp.member == viewer.member_id) & (Rsvp.status == RsvpStatus.confirmed.value)
        )
        if not confirmed:
            raise NotFound("You have no confirmed place on this trip.")
    cancelled = trip["status"] == EventStatus.cancelled.value
    cal = calendar_of("PUBLISH")
    cal.add("x-wr-calname", trip["title"])
    host = host_of(base_url)
    for item in await trip_items(event_id):
        cal.add_component(_vevent(trip, item, host, cancelled))
    cal.add_missing_timezones()
    return cal.to_ical()
