"""The trip's itinerary as a calendar: one entry per item on the item's own clock.

Each item keeps one UID for its whole life and its `version` as SEQUENCE, so when a leg moves
a calendar that re-reads the file updates the entry it has instead of adding a second one.
"""

from __future__ import annotations

from icalendar import Event as VEvent

from club.access import owned_or_404
from club.accounts import Principal
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from events.calendar import calendar_of, host_of, timed_entry
from events.tables import EventStatus, Rsvp, RsvpStatus
from travel.itinerary import load_trip, trip_items
from travel.rows import ItemRow, TripRow

__all__ = ["CHECKPOINT_TEXT", "itinerary_ics"]

CHECKPOINT_TEXT = N_("Meeting point: bring your ticket. The departure does not wait.")


def _vevent(trip: TripRow, item: ItemRow, host: str, cancelled: bool, language: Language) -> VEvent:
    vevent = timed_entry(
        f"trip-item-{item.id}@{host}", item.version, cancelled, item.starts_at, item.ends_at,
        item.time_zone, f"{trip.title}: {item.title}", item.venue,
    )
    if item.is_checkpoint:
        vevent.add("description", gettext(language, CHECKPOINT_TEXT))
    return vevent


async def _confirmed_traveler(event_id: int, viewer: Principal) -> int | None:
    """The viewer's member id if they hold a confirmed place on the trip, else None (and no
    query for a coordinator, who sees every itinerary)."""
    if viewer.is_coordinator or viewer.member_id is None:
        return None
    confirmed = await Rsvp.exists().where(
        (Rsvp.event == event_id) & (Rsvp.member == viewer.member_id) & (Rsvp.status == RsvpStatus.confirmed.value)
    )
    return viewer.member_id if confirmed else None


async def itinerary_ics(event_id: int, viewer: Principal, base_url: str, language: Language) -> bytes:
    """For coordinators, and for members holding a confirmed place on the trip (others: 404);
    its texts in `language` (the reader's)."""
    trip = await load_trip(event_id, viewer)
    # The itinerary is the confirmed travelers' own: the one owner-or-coordinator rule.
    owned_or_404(await _confirmed_traveler(event_id, viewer), viewer, "You have no confirmed place on this trip.")
    cancelled = trip.status == EventStatus.cancelled
    cal = calendar_of("PUBLISH")
    cal.add("x-wr-calname", trip.title)
    host = host_of(base_url)
    for item in await trip_items(event_id):
        cal.add_component(_vevent(trip, item, host, cancelled, language))
    cal.add_missing_timezones()
    return cal.to_ical()
